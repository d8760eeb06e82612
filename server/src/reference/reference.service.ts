import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_REFERENCE, ReferenceIndex, type ReferenceData } from '@wall/shared';
import type { Redis } from 'ioredis';
import type { AuditEntry } from '../audit/audit-entry.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { REDIS, keys } from '../redis/redis.tokens.js';

/** Other instances pick up an admin's edit within this time. */
const RELOAD_MS = 10_000;

// Reference data lives in Redis so every instance validates against the same version;
// the shipped Wenzhou data is the default until an admin edits it.

@Injectable()
export class ReferenceService implements OnModuleInit, OnApplicationShutdown {
  index = new ReferenceIndex(DEFAULT_REFERENCE);
  private stored: string | null = null;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly audit: AuditRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch(() => undefined), RELOAD_MS);
    this.timer.unref();
  }

  private async reload(): Promise<void> {
    const stored = await this.redis.get(keys.reference);
    if (stored === this.stored) return;
    this.stored = stored;
    this.index = new ReferenceIndex(stored ? (JSON.parse(stored) as ReferenceData) : DEFAULT_REFERENCE);
  }

  /** Stores the data and its audit entry (before and after) in one step. */
  async replace(data: ReferenceData, entry: AuditEntry): Promise<void> {
    const json = JSON.stringify(data);
    await this.audit.auditedSet(keys.reference, json, entry);
    this.stored = json;
    this.index = new ReferenceIndex(data);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

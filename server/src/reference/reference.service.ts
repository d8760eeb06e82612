import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_REFERENCE, ReferenceIndex, type ReferenceData } from '@wall/shared';
import type { Redis } from 'ioredis';
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

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

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

  async replace(data: ReferenceData): Promise<void> {
    const json = JSON.stringify(data);
    await this.redis.set(keys.reference, json);
    this.stored = json;
    this.index = new ReferenceIndex(data);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

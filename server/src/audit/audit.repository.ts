import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS, keys } from '../redis/redis.tokens.js';

export interface AuditEntry {
  at: string;
  who: string;
  action: string;
  detail: Record<string, unknown>;
}

const MAX_ENTRIES = 100_000;

/** Who did what and when: logins, acknowledgements, escalations, roster and reference edits. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async record(who: string, action: string, detail: Record<string, unknown> = {}): Promise<void> {
    const entry: AuditEntry = { at: new Date().toISOString(), who, action, detail };
    await this.redis.xadd(keys.audit, 'MAXLEN', '~', MAX_ENTRIES, '*', 'e', JSON.stringify(entry));
  }

  /** Newest first. */
  async latest(count: number, action?: string): Promise<AuditEntry[]> {
    const rows = (await this.redis.xrevrange(keys.audit, '+', '-', 'COUNT', action ? count * 20 : count)) as Array<[string, string[]]>;
    const entries = rows.map(([, fields]) => JSON.parse(fields[1]!) as AuditEntry);
    return (action ? entries.filter((e) => e.action === action) : entries).slice(0, count);
  }
}

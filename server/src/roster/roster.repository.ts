import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_ROSTER, rosterSchema, type Roster } from '@wall/shared';
import type { Redis } from 'ioredis';
import type { AuditEntry } from '../audit/audit-entry.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { REDIS, keys } from '../redis/redis.tokens.js';

/** A burst of alarms reads the roster once; an admin's edit reaches every instance within this. */
const CACHE_MS = 2000;

@Injectable()
export class RosterRepository {
  private cached?: { at: number; roster: Promise<Roster> };
  private readonly listeners = new Set<() => void>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly audit: AuditRepository,
  ) {}

  get(): Promise<Roster> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      const roster = this.redis.get(keys.roster).then((json) => (json ? rosterSchema.parse(JSON.parse(json)) : DEFAULT_ROSTER));
      roster.catch(() => (this.cached = undefined));
      this.cached = { at: now, roster };
    }
    return this.cached.roster;
  }

  /** Stores the roster and its audit entry (before and after) in one step. */
  async put(roster: Roster, entry: AuditEntry): Promise<void> {
    await this.audit.auditedSet(keys.roster, JSON.stringify(roster), entry);
    this.cached = undefined;
    for (const listener of this.listeners) listener();
  }

  /** Called after this instance stores a new roster (other instances see it within CACHE_MS and at their next sweep). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { MonthArtifact } from '@wall/shared';
import type { Redis } from 'ioredis';
import { REDIS, keys } from '../redis/redis.tokens.js';

/**
 * Closed months' artifacts: the reports folded once from a month's settle span, shared by
 * every instance. Each carries the stamp it was folded at (code and reference version, and
 * the writes into the months of its span); one whose stamp moved is folded again.
 */
@Injectable()
export class MonthArtifactRepository {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async load(month: string): Promise<{ stamp: string; artifact: MonthArtifact } | undefined> {
    const [stamp, data] = await this.redis.hmget(keys.monthArtifact(month), 'stamp', 'data');
    if (!stamp || !data) return undefined;
    return { stamp, artifact: JSON.parse(data) as MonthArtifact };
  }

  async stamp(month: string): Promise<string | null> {
    return this.redis.hget(keys.monthArtifact(month), 'stamp');
  }

  async save(month: string, stamp: string, artifact: MonthArtifact): Promise<void> {
    await this.redis.hset(keys.monthArtifact(month), 'stamp', stamp, 'data', JSON.stringify(artifact));
  }

  /** One instance folds a month at a time; the others wait for its artifact. */
  async lock(month: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(keys.monthArtifactLock(month), String(process.pid), 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unlock(month: string): Promise<void> {
    await this.redis.del(keys.monthArtifactLock(month));
  }
}

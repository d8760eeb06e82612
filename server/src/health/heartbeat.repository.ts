import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { observeWorkerBeat } from '../metrics/metrics.js';
import { KEY_PREFIX, REDIS } from '../redis/redis.tokens.js';

const KEY = `${KEY_PREFIX}workers`;
const BEAT_MS = 5_000;
/** A worker whose last beat is older than this counts as gone. */
export const HEARTBEAT_STALE_MS = 15_000;

/**
 * Deadline workers beat into one sorted set (score: Redis's time), so every API instance's
 * readiness can tell whether anyone is raising alarms, however many workers run where.
 */
@Injectable()
export class HeartbeatRepository implements OnApplicationShutdown {
  readonly id = `${hostname()}-${process.pid}`;
  private timer?: NodeJS.Timeout;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    observeWorkerBeat(async () => {
      const ago = await this.freshest();
      return ago === undefined ? Number.POSITIVE_INFINITY : ago / 1000;
    });
  }

  /** Beats while `alive()` holds (the BullMQ worker is running), from now until shutdown. */
  start(alive: () => boolean): void {
    const beat = async () => {
      if (!alive()) return;
      const [s, us] = await this.redis.time();
      const now = Number(s) * 1000 + Math.floor(Number(us) / 1000);
      await this.redis
        .multi()
        .zadd(KEY, now, this.id)
        .zremrangebyscore(KEY, '-inf', now - 10 * HEARTBEAT_STALE_MS)
        .exec();
    };
    void beat().catch(() => undefined);
    this.timer = setInterval(() => void beat().catch(() => undefined), BEAT_MS);
    this.timer.unref();
  }

  /** How long ago (ms, by Redis's clock) the freshest worker beat; undefined if none ever did. */
  async freshest(): Promise<number | undefined> {
    const [[, s], [, top]] = (await this.redis.multi().time().zrange(KEY, -1, -1, 'WITHSCORES').exec()) as [[null, [string, string]], [null, string[]]];
    if (!top.length) return undefined;
    const now = Number(s[0]) * 1000 + Math.floor(Number(s[1]) / 1000);
    return now - Number(top[1]);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.timer) await this.redis.zrem(KEY, this.id).catch(() => undefined);
  }
}

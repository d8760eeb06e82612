import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.tokens.js';

/**
 * The one clock deadline decisions read: Redis's. Every instance asks the same server, so a
 * step of one machine's clock neither raises an alarm early nor holds one back; due times
 * themselves come from event times and never from a local clock.
 */
@Injectable()
export class ClockRepository {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async now(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  /** True for the one caller that takes the lock for `ms`; others skip this round. */
  async lock(key: string, ms: number): Promise<boolean> {
    return (await this.redis.set(key, '1', 'PX', ms, 'NX')) === 'OK';
  }
}

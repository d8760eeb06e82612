import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS, keys } from '../redis/redis.tokens.js';
import type { StoredUser } from './auth.types.js';

@Injectable()
export class UsersRepository {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async get(username: string): Promise<StoredUser | undefined> {
    const json = await this.redis.hget(keys.users, username);
    return json ? (JSON.parse(json) as StoredUser) : undefined;
  }

  async list(): Promise<StoredUser[]> {
    const all = await this.redis.hvals(keys.users);
    return all.map((json) => JSON.parse(json) as StoredUser);
  }

  async put(user: StoredUser): Promise<void> {
    await this.redis.hset(keys.users, user.username, JSON.stringify(user));
  }

  /** Creates the user only when there is no user at all (first start); true if created. */
  async createFirst(user: StoredUser): Promise<boolean> {
    const created = await this.redis.eval(
      "if redis.call('HLEN', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end return 0",
      1,
      keys.users,
      user.username,
      JSON.stringify(user),
    );
    return created === 1;
  }

  /** A secret shared by every instance: the first one to start generates it. */
  async sharedSecret(key: string, generate: () => string): Promise<string> {
    await this.redis.set(key, generate(), 'NX');
    return (await this.redis.get(key))!;
  }

  /** Counts a failed login in a sliding window; returns the count. */
  async countFailure(who: string, windowSeconds: number): Promise<number> {
    const key = keys.loginFailures(who);
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec()) as [[null, number]];
    return count;
  }

  async failures(who: string): Promise<number> {
    return Number((await this.redis.get(keys.loginFailures(who))) ?? 0);
  }

  async clearFailures(who: string): Promise<void> {
    await this.redis.del(keys.loginFailures(who));
  }
}

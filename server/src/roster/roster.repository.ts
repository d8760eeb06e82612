import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_ROSTER, rosterSchema, type Roster } from '@wall/shared';
import type { Redis } from 'ioredis';
import { REDIS, alarmKeys } from '../redis/redis.tokens.js';

@Injectable()
export class RosterRepository {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async get(): Promise<Roster> {
    const json = await this.redis.get(alarmKeys.roster);
    return json ? rosterSchema.parse(JSON.parse(json)) : DEFAULT_ROSTER;
  }

  async put(roster: Roster): Promise<void> {
    await this.redis.set(alarmKeys.roster, JSON.stringify(roster));
  }
}

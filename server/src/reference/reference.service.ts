import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_REFERENCE, ReferenceIndex, type ReferenceData } from '@wall/shared';
import type { Redis } from 'ioredis';
import { REDIS, keys } from '../redis/redis.tokens.js';

// Reference data lives in Redis so every instance validates against the same version;
// the shipped Wenzhou data is the default until an admin edits it.

@Injectable()
export class ReferenceService implements OnModuleInit {
  index = new ReferenceIndex(DEFAULT_REFERENCE);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onModuleInit(): Promise<void> {
    const stored = await this.redis.get(keys.reference);
    if (stored) this.index = new ReferenceIndex(JSON.parse(stored) as ReferenceData);
  }
}

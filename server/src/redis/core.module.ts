import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { connectRedis, type RedisTarget } from './connection.js';
import { REDIS } from './redis.tokens.js';

export const REDIS_TARGET = Symbol('REDIS_TARGET');

/** A command connection: commands fail fast while Redis is away (the feed answers 503) instead of queueing forever. */
export function createRedis(target: RedisTarget, name: string): Redis {
  return connectRedis(target, name, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
}

/** Config and the shared Redis connection, available to every module. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(config: AppConfig, target: RedisTarget): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: REDIS_TARGET, useValue: target },
        {
          provide: REDIS,
          useFactory: async () => {
            const redis = createRedis(target, 'wall-commands');
            await new Promise<void>((resolve, reject) => {
              redis.once('ready', resolve);
              redis.once('error', reject);
            });
            redis.on('error', () => undefined);
            return redis;
          },
        },
      ],
      exports: [APP_CONFIG, REDIS_TARGET, REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

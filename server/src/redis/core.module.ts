import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { REDIS } from './redis.tokens.js';

export const REDIS_URL = Symbol('REDIS_URL');

export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    // Commands fail fast while Redis is away (the feed answers 503) instead of queueing forever.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  });
}

/** Config and the shared Redis connection, available to every module. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(config: AppConfig, redisUrl: string): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: REDIS_URL, useValue: redisUrl },
        {
          provide: REDIS,
          useFactory: async () => {
            const redis = createRedis(redisUrl, 'wall-commands');
            await new Promise<void>((resolve, reject) => {
              redis.once('ready', resolve);
              redis.once('error', reject);
            });
            redis.on('error', () => undefined);
            return redis;
          },
        },
      ],
      exports: [APP_CONFIG, REDIS_URL, REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

import { Redis, type RedisOptions } from 'ioredis';

/**
 * Where Redis is: one URL (the embedded server, or REDIS_URL), or a primary found through
 * Sentinel. Every connection of a process is made from this one value, so a failover moves
 * them all: ioredis asks the sentinels for the current primary on each reconnect.
 */
export type RedisTarget =
  { kind: 'url'; url: string } | { kind: 'sentinel'; sentinels: Array<{ host: string; port: number }>; name: string; password?: string; sentinelPassword?: string };

export function describeTarget(target: RedisTarget): string {
  return target.kind === 'url' ? new URL(target.url).host : `sentinel ${target.name} via ${target.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
}

/** A connection to the target; `overrides` for the blocking and subscribing connections. */
export function connectRedis(target: RedisTarget, connectionName: string, overrides: RedisOptions = {}): Redis {
  const options: RedisOptions = {
    connectionName,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
    // After a failover the old primary may answer as a replica: reconnect rather than fail writes.
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
    ...overrides,
  };
  if (target.kind === 'url') return new Redis(target.url, options);
  return new Redis({
    ...options,
    sentinels: target.sentinels,
    name: target.name,
    password: target.password,
    sentinelPassword: target.sentinelPassword,
    // Ask the sentinels again quickly while they elect a new primary.
    sentinelRetryStrategy: (times) => Math.min(100 * times, 1_000),
  });
}

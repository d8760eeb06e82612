import type { Redis } from 'ioredis';

export type ScriptArg = string | number | Buffer;

/**
 * A Lua script as a typed function (keys first, then arguments). ioredis sends EVALSHA and
 * falls back to EVAL, so the script is loaded once per connection.
 */
export function defineScript<R>(redis: Redis, name: string, numberOfKeys: number, lua: string): (...args: ScriptArg[]) => Promise<R> {
  redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, (...args: ScriptArg[]) => Promise<R>>)[name]!;
  return (...args) => command.call(redis, ...args);
}

import { Redis } from 'ioredis';
import { startTestRedis } from './redis.js';
import { startServer, type RunningServer } from './server.js';

// One fixture for the e2e tests' set-up: a redis-server of the test's own and the built server
// on it, restartable in place (same port, same data directory), and a raw Redis client for
// reading what Redis itself holds rather than what the server says it holds.

export type TestRedis = Awaited<ReturnType<typeof startTestRedis>>;

export interface Stack {
  readonly redis: TestRedis;
  readonly server: RunningServer;
  /** A direct client to the test's Redis (reconnects by itself after a Redis restart). */
  readonly raw: Redis;
  /** Stops Redis (SIGTERM, or SIGKILL for a crash) and starts it again on its AOF. */
  restartRedis(signal?: NodeJS.Signals): Promise<void>;
  stopRedis(signal?: NodeJS.Signals): Promise<void>;
  startRedis(): Promise<void>;
  /** Stops the server (SIGTERM, or SIGKILL for a crash) and starts it again on the same port. */
  restartServer(options?: { signal?: NodeJS.Signals; env?: Record<string, string | undefined> }): Promise<RunningServer>;
  /** Another server instance on the same Redis (stopped by `stop`). */
  addServer(env?: Record<string, string | undefined>): Promise<RunningServer>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** The AOF's fsync policy (`always`, the product's default, for the durability tests). */
  fsync?: 'always' | 'everysec';
  /** The server's environment on top of startServer's test defaults. */
  env?: Record<string, string | undefined>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const fsync = options.fsync ?? 'everysec';
  let env = options.env ?? {};
  let redis = await startTestRedis({ fsync });
  let server: RunningServer;
  try {
    server = await startServer(redis.url, env);
  } catch (e) {
    await redis.cleanup();
    throw e;
  }
  const raw = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  raw.on('error', () => undefined); // down on purpose while a test stops Redis; it reconnects
  const others: RunningServer[] = [];
  let redisUp = true;
  const stack: Stack = {
    get redis() {
      return redis;
    },
    get server() {
      return server;
    },
    raw,
    async stopRedis(signal = 'SIGTERM') {
      await redis.stop(signal);
      redisUp = false;
    },
    async startRedis() {
      redis = await startTestRedis({ dir: redis.dir, port: redis.port, fsync });
      redisUp = true;
    },
    async restartRedis(signal = 'SIGTERM') {
      await stack.stopRedis(signal);
      await stack.startRedis();
    },
    async restartServer({ signal = 'SIGTERM', env: next } = {}) {
      await server.stop(signal);
      if (next) env = next;
      server = await startServer(redis.url, env, server.port);
      return server;
    },
    async addServer(extra = {}) {
      const other = await startServer(redis.url, { ...env, ...extra });
      others.push(other);
      return other;
    },
    async stop() {
      raw.disconnect();
      await Promise.all([server, ...others].map((s) => s.stop()));
      if (!redisUp) await stack.startRedis().catch(() => undefined);
      await redis.cleanup();
    },
  };
  return stack;
}

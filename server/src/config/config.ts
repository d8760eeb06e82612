import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { RedisTarget } from '../redis/connection.js';

// The environment of the public contract, parsed once at startup. Every bad variable is
// reported together, so an operator fixes a deployment in one pass.

const port = z.coerce.number().int().min(0).max(65535);
const secret = (min: number) => z.string().min(min, `must be at least ${min} characters`);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** host:port,host:port of the sentinels that watch REDIS_SENTINEL_NAME (instead of REDIS_URL). */
  REDIS_SENTINELS: z
    .string()
    .transform((s, ctx) => {
      const out: Array<{ host: string; port: number }> = [];
      for (const part of s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(part);
        if (!m || Number(m[2]) > 65535) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not host:port` });
          return z.NEVER;
        }
        out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) });
      }
      if (!out.length) ctx.addIssue({ code: 'custom', message: 'must list at least one host:port' });
      return out;
    })
    .optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
  /** The primary's password with REDIS_SENTINELS (a REDIS_URL carries its own). */
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  /**
   * Replicas that must hold a feed batch before it is acknowledged (Redis WAIT): with Sentinel,
   * 1 means a failover to that replica loses no acknowledged event. 0: the primary's AOF only.
   */
  FEED_WAIT_REPLICAS: z.coerce.number().int().min(0).max(10).default(0),
  FEED_WAIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Bearer token of GET /metrics; unset: no /metrics at all. */
  METRICS_TOKEN: secret(16).optional(),
  /** Port of the worker process's health and metrics endpoint (npm run worker). */
  WORKER_PORT: port.default(3001),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  FEED_TOKEN: secret(16).optional(),
  ADMIN_PASSWORD: secret(8).optional(),
  JWT_SECRET: secret(32).optional(),
  TZ_REPORTS: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Shanghai'),
  DATA_DIR: z.string().min(1).default('./.data'),
  /** on/off/auto: auto simulates a live feed only on the embedded setup (no REDIS_URL). */
  SIMULATE: z.enum(['on', 'off', 'auto']).default('auto'),
  SIMULATE_SPEED: z.coerce.number().positive().max(10_000).default(1),
  TOKEN_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(12),
  /** Wall screens log in as viewers and must survive weeks unattended; revoke with POST /api/users/:name/revoke. */
  VIEWER_TOKEN_TTL_DAYS: z.coerce.number().positive().max(3650).default(90),
  CORS_ORIGINS: z.string().optional(),
  /**
   * Which proxies' X-Forwarded-For to believe for the caller's address (login throttling, the
   * audit log): express's 'trust proxy' ('loopback', 'false', a hop count, or addresses and
   * subnets separated by commas). Set it to the reverse proxy's address in production.
   */
  TRUST_PROXY: z.string().default('loopback'),
  /** Logins checked at once on this instance (each hash takes a thread-pool thread); the rest answer 429 at once. */
  /** Password checks at once; by default one core fewer than the machine has, so the event loop keeps one (alarms, walls). */
  LOGIN_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.max(1, availableParallelism() - 1)),
  /** Audit entries older than this are dropped. */
  AUDIT_RETENTION_DAYS: z.coerce.number().positive().max(36_500).default(400),
  /** Open sockets one user (one credential) may hold on this instance, over both namespaces. */
  SOCKETS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(50),
  CLIENT_DIR: z.string().optional(),
  /** Delay before each push of wall deltas; the first change after a quiet spell goes at once. */
  /** Limits older than this when found unmet (backfill, replayed logs) count but page nobody. */
  ALARM_MAX_AGE_MINUTES: z.coerce.number().positive().default(60),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(200).default(60_000),
  /** off: this instance serves but runs no deadline worker (e.g. a read-only replica). */
  DEADLINE_WORKER: z.enum(['on', 'off']).default('on'),
  /** Save a checkpoint of the projection every this many applied events (0: never). */
  CHECKPOINT_EVERY: z.coerce.number().int().min(0).default(20_000),
  /** Entries kept in the recent log that instances tail (older ones live in the day partitions only). */
  TAIL_KEEP: z.coerce.number().int().min(1000).default(100_000),
  /** Where `npm run archive` writes closed months (compressed NDJSON); shared by every instance. */
  ARCHIVE_DIR: z.string().min(1).optional(),
  /** Months kept in Redis before they are archived by themselves (0: only `npm run archive` archives). */
  HISTORY_RETENTION_MONTHS: z.coerce.number().int().min(0).max(1200).default(0),
  WALL_THROTTLE_MS: z.coerce.number().int().min(0).max(10_000).default(200),
  /** A stop that has not finished in this long (Redis gone, a client stuck) exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
});

export type AppConfig = z.infer<typeof schema> & { embedded: boolean; simulate: boolean; trustProxy: boolean | number | string };

/** TRUST_PROXY as express's 'trust proxy' setting takes it. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): AppConfig {
  // An empty variable means "unset": shells and compose files often export FOO= by accident.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.REDIS_URL && config.REDIS_SENTINELS) throw new ConfigError('Invalid environment:\n  REDIS_SENTINELS: set REDIS_URL or REDIS_SENTINELS, not both');
  const embedded = config.REDIS_URL === undefined && config.REDIS_SENTINELS === undefined;
  const simulate = config.SIMULATE === 'on' || (config.SIMULATE === 'auto' && embedded);
  return { ...config, embedded, simulate, trustProxy: trustProxy(config.TRUST_PROXY) };
}

/** The Redis this process uses: the configured one, or the embedded server at `embeddedUrl`. */
export function redisTargetOf(config: AppConfig, embeddedUrl?: string): RedisTarget {
  if (config.REDIS_SENTINELS) {
    return {
      kind: 'sentinel',
      sentinels: config.REDIS_SENTINELS,
      name: config.REDIS_SENTINEL_NAME,
      password: config.REDIS_PASSWORD,
      sentinelPassword: config.REDIS_SENTINEL_PASSWORD,
    };
  }
  const url = config.REDIS_URL ?? embeddedUrl;
  if (!url) throw new Error('no Redis: neither REDIS_URL nor REDIS_SENTINELS, and no embedded server');
  return { kind: 'url', url };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

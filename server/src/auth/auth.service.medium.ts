import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import type * as Audit from '../audit/audit.repository.js';
import { parseConfig } from '../config/config.js';
import type * as Auth from './auth.service.js';
import type * as Throttle from './login-throttle.repository.js';
import type * as Users from './users.repository.js';

// The built-in simulator posts with a token of its own: random per process, accepted only
// while the simulator runs, and never written anywhere (log, Redis, the data directory).
// The service runs from the build (as `npm test` leaves it): its password hashing threads load
// the compiled worker file beside it.
const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url).href;
const { AuditRepository } = (await import(dist('audit/audit.repository.js'))) as typeof Audit;
const { AuthService } = (await import(dist('auth/auth.service.js'))) as typeof Auth;
const { LoginThrottleRepository } = (await import(dist('auth/login-throttle.repository.js'))) as typeof Throttle;
const { UsersRepository } = (await import(dist('auth/users.repository.js'))) as typeof Users;

describe('AuthService: the simulator’s token', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  const dataDir = mkdtempSync(join(tmpdir(), 'wall-auth-'));
  const services: Auth.AuthService[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      vi.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    for (const s of services) await s.onApplicationShutdown();
    redis?.disconnect();
    await server?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** An instance as main.ts makes it; no FEED_TOKEN or ADMIN_PASSWORD, so it generates both. */
  async function start(simulate: 'on' | 'off'): Promise<Auth.AuthService> {
    const config = parseConfig({ REDIS_URL: server.url, SIMULATE: simulate, DATA_DIR: dataDir, LOGIN_CONCURRENCY: '1' });
    const audit = new AuditRepository(redis, config);
    const service = new AuthService(config, new UsersRepository(redis, audit), new LoginThrottleRepository(redis, audit), audit);
    services.push(service);
    await service.onModuleInit();
    return service;
  }

  it('is accepted as the simulator by its own process while it simulates, by no other, and differs per process', async () => {
    const a = await start('on');
    const b = await start('on');
    const off = await start('off');
    const token = a.simulatorTokenValue;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.feedSource(`Bearer ${token}`)).toBe('demo');
    expect(b.simulatorTokenValue).not.toBe(token);
    expect(b.feedSource(`Bearer ${token}`)).toBeNull();
    // Without the simulator running, not even its own token is taken.
    expect(off.feedSource(`Bearer ${off.simulatorTokenValue}`)).toBeNull();
    // The real feed token still is, everywhere.
    expect(a.feedToken).toBeDefined();
    for (const s of [a, b, off]) expect(s.feedSource(`Bearer ${a.feedToken}`)).toBe('real');
    expect(a.feedSource(`Bearer ${token.slice(0, -1)}`)).toBeNull();
  });

  it('is never written: not to the log, Redis or the data directory', async () => {
    const tokens = services.map((s) => s.simulatorTokenValue);
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(logged.length, 'the first start logs what it generated').toBeGreaterThan(0);
    for (const line of logged) for (const t of tokens) expect(line).not.toContain(t);
    let values = '';
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      if (type === 'string') values += await redis.get(key);
      else if (type === 'hash') values += JSON.stringify(await redis.hgetall(key));
      else if (type === 'stream') values += JSON.stringify(await redis.xrange(key, '-', '+'));
      else if (type === 'zset') values += JSON.stringify(await redis.zrange(key, 0, -1));
      else if (type === 'set') values += JSON.stringify(await redis.smembers(key));
      else if (type === 'list') values += JSON.stringify(await redis.lrange(key, 0, -1));
      values += key;
    }
    expect(values.length).toBeGreaterThan(0);
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.map((f) => f.name)).toContain('credentials.json');
    const written = values + files.map((f) => readFileSync(join(f.parentPath, f.name), 'utf8')).join('');
    for (const t of tokens) expect(written).not.toContain(t);
  });
});

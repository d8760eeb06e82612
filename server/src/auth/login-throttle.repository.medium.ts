import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { AppConfig } from '../config/config.js';
import { BASE_DELAY_MS, LoginThrottleRepository } from './login-throttle.repository.js';

describe('LoginThrottleRepository on a real Redis', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  let audit: AuditRepository;
  let throttle: LoginThrottleRepository;
  const limits = { perAccountAddress: 3, perAccount: 10, perAddress: 20 };

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    audit = new AuditRepository(redis, { AUDIT_RETENTION_DAYS: 400 } as AppConfig);
    throttle = new LoginThrottleRepository(redis, audit);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.cleanup();
  });

  it('lets exactly the free attempts of a parallel burst through, then asks for a doubling wait', async () => {
    const rules = throttle.rules('eve', '10.0.0.1', limits);
    const waits = await Promise.all(Array.from({ length: 50 }, () => throttle.attempt(rules, 'eve', '10.0.0.1', 'throttled')));
    expect(waits.filter((w) => w === 0)).toHaveLength(limits.perAccountAddress);
    expect(Math.max(...waits)).toBeLessThanOrEqual(BASE_DELAY_MS);
    expect(Math.min(...waits.filter((w) => w > 0))).toBeGreaterThan(BASE_DELAY_MS - 1000);
    // Once the wait is over one more attempt passes, and the next wait is twice as long.
    await redis.hset(rules[0]!.key, 'next', Date.now() - 1);
    expect(await throttle.attempt(rules, 'eve', '10.0.0.1', 'throttled')).toBe(0);
    const next = await throttle.attempt(rules, 'eve', '10.0.0.1', 'throttled');
    expect(next).toBeGreaterThan(2 * BASE_DELAY_MS - 1000);
    expect(next).toBeLessThanOrEqual(2 * BASE_DELAY_MS);
  });

  it('doubles the wait up to 15 minutes, never more', async () => {
    const rules = throttle.rules('grace', '10.0.0.2', limits);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      expect(await throttle.attempt(rules, 'grace', '10.0.0.2', 'throttled')).toBe(0);
      waits.push(Number(await redis.hget(rules[0]!.key, 'next')) - Date.now());
      // The wait over (on every counter): the next attempt passes and sets the one after.
      for (const rule of rules) await redis.hset(rule.key, 'next', Date.now() - 1);
    }
    // Two free attempts, then 5 s, 10 s, 20 s ... doubling until the 15 minutes (the README's figures, not the constants).
    const expected = [0, 0, ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => 5000 * 2 ** k), 15 * 60_000, 15 * 60_000];
    expect(waits.map((w, i) => Math.abs(w - expected[i]!) < 1000 || `${i}: ${w} ms, expected ${expected[i]}`)).toEqual(waits.map(() => true));
  });

  it('audits a window’s refusals as one entry with their count', async () => {
    const refused = (await audit.latest({ limit: 10, action: 'login.refused' })).filter((e) => e.ip === '10.0.0.1');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.who).toBe('(unknown)');
    expect(refused[0]!.count).toBe(50 - limits.perAccountAddress + 1);
  });

  it('clears the account’s counters on success, and only its own attempt from the address', async () => {
    const ip = '10.0.0.9';
    for (let i = 0; i < 5; i++) await throttle.attempt(throttle.rules(`x${i}`, ip, limits), `x${i}`, ip, 'throttled');
    const rules = throttle.rules('frank', ip, limits);
    await throttle.attempt(rules, 'frank', ip, 'throttled');
    await throttle.succeeded(rules, audit.entry('frank', 'login', {}, ip));
    expect(await redis.exists(rules[0]!.key, rules[1]!.key)).toBe(0);
    expect(Number(await redis.hget(rules[2]!.key, 'n'))).toBe(5);
  });
});

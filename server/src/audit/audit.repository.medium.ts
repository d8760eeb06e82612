import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import type { AppConfig } from '../config/config.js';
import { DAY_MS } from './audit-entry.js';
import { AuditRepository } from './audit.repository.js';

describe('AuditRepository on a real Redis', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  let audit: AuditRepository;

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    audit = new AuditRepository(redis, { AUDIT_RETENTION_DAYS: 10 } as AppConfig);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.cleanup();
  });

  it('finds entries through the action and who indexes, newest first, past many newer ones', async () => {
    await audit.record('alice', 'roster.update', { n: 1 }, '10.0.0.1');
    for (let i = 0; i < 300; i++) await audit.record(`u${i % 7}`, 'login', {}, '10.0.0.2');
    await audit.record('bob', 'roster.update', { n: 2 }, '10.0.0.3');
    expect((await audit.latest({ limit: 5, action: 'roster.update' })).map((e) => e.detail['n'])).toEqual([2, 1]);
    expect(await audit.latest({ limit: 5, action: 'roster.update', who: 'alice' })).toMatchObject([{ who: 'alice', ip: '10.0.0.1' }]);
    expect(await audit.latest({ limit: 3, who: 'u3' })).toHaveLength(3);
    expect((await audit.latest({ limit: 1 }))[0]).toMatchObject({ who: 'bob' });
  });

  it('keeps before and after of a replaced value, atomically with the value', async () => {
    await audit.auditedSet('k:rules', JSON.stringify({ a: [] }), audit.entry('carol', 'rules.set', { why: 'x' }, '10.0.0.4'));
    await audit.auditedSet('k:rules', JSON.stringify({ a: [1] }), audit.entry('carol', 'rules.set', {}, '10.0.0.4'));
    expect(await redis.get('k:rules')).toBe('{"a":[1]}');
    const [second, first] = await audit.latest({ limit: 2, action: 'rules.set' });
    expect(first!.detail).toEqual({ before: null, after: { a: [] }, why: 'x' });
    expect(second!.detail).toEqual({ before: { a: [] }, after: { a: [1] } });
  });

  it('drops from the indexes and the answers what is older than the retention', async () => {
    const old = { ...audit.entry('dave', 'old.thing', {}, null), at: new Date(Date.now() - 11 * DAY_MS).toISOString() };
    // Written as if 11 days ago (the script takes the entry's own time as its score).
    await (audit as unknown as { recordScript: (...a: unknown[]) => Promise<string> }).recordScript(...audit.scriptArgs(old));
    await audit.record('dave', 'old.thing', {}, null);
    const found = await audit.latest({ limit: 10, action: 'old.thing' });
    expect(found).toHaveLength(1);
    expect(Date.now() - Date.parse(found[0]!.at)).toBeLessThan(DAY_MS);
    expect(await redis.zcard('wall:audit:action:old.thing')).toBe(1);
    expect(await redis.pttl('wall:audit:action:old.thing')).toBeGreaterThan(9 * DAY_MS);
  });
});

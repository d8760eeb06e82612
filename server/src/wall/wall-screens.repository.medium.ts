import type { WallScreen } from '@wall/shared';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { AppConfig } from '../config/config.js';
import { WallScreensRepository } from './wall-screens.repository.js';

const screen = (id: string, seq: number): WallScreen => ({
  id,
  seq,
  layout: '16x9',
  tile: null,
  view: 'live',
  screen: '1920x1080@1',
  user: 'wall1',
  lastContact: Date.now(),
  connectedAt: Date.now(),
});

describe('WallScreensRepository on a real Redis', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.cleanup();
  });

  it('lists each screen once with its latest report, under a TTL', async () => {
    const repo = new WallScreensRepository(redis, new AuditRepository(redis, { AUDIT_RETENTION_DAYS: 400 } as AppConfig));
    await repo.touch(screen('a', 1), 'sock-a', 20);
    await repo.touch(screen('a', 7), 'sock-a', 20);
    await repo.touch(screen('b', 3), 'sock-b', 20);
    const list = (await repo.list()).sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(list.map((s) => [s.id, s.seq])).toEqual([
      ['a', 7],
      ['b', 3],
    ]);
    const ttl = await redis.ttl('wall:screens:a');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(20);
  });

  it('drops a screen nobody refreshes when its TTL runs out', async () => {
    const repo = new WallScreensRepository(redis, new AuditRepository(redis, { AUDIT_RETENTION_DAYS: 400 } as AppConfig));
    await repo.touch(screen('lost', 1), 'sock-l', 1);
    expect((await repo.list()).some((s) => s.id === 'lost')).toBe(true);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await repo.list()).some((s) => s.id === 'lost')).toBe(false);
  });

  it('removes a screen only for the socket that registered it last (a reconnect keeps it)', async () => {
    const repo = new WallScreensRepository(redis, new AuditRepository(redis, { AUDIT_RETENTION_DAYS: 400 } as AppConfig));
    await repo.touch(screen('c', 1), 'old-socket', 20);
    await repo.touch(screen('c', 2), 'new-socket', 20);
    await repo.remove('c', 'old-socket');
    expect((await repo.list()).find((s) => s.id === 'c')?.seq).toBe(2);
    await repo.remove('c', 'new-socket');
    expect((await repo.list()).some((s) => s.id === 'c')).toBe(false);
  });
});

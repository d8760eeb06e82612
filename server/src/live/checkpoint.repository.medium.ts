import { DEFAULT_INDEX, Zone, canonical, generateMonth, parseStored, projectEvents } from '@wall/shared';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import { CheckpointRepository } from './checkpoint.repository.js';

describe('CheckpointRepository on a real Redis', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  const zone = new Zone('Asia/Shanghai');
  const events = generateMonth(3, zone.startOfMonth('2020-08'), zone.startOfMonth('2020-08') + 3 * 86_400_000, (t) => zone.parts(t).hour, 100);
  const state = projectEvents(
    events.map((e) => parseStored(JSON.stringify(e))),
    DEFAULT_INDEX,
    zone,
  );

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.cleanup();
  });

  it('gives back the state it saved, only to the same code, reference data and zone', async () => {
    const repo = new CheckpointRepository(redis);
    const key = CheckpointRepository.keyOf(JSON.stringify(DEFAULT_INDEX.data), 'Asia/Shanghai');
    expect(await repo.save(key, { state, received: new Map([['o1', 5]]), seq: events.length, lastId: '1-0' })).toBe(true);
    const loaded = await repo.load(key);
    expect(loaded?.seq).toBe(events.length);
    expect(loaded?.lastId).toBe('1-0');
    expect(canonical(loaded!.state)).toEqual(canonical(state));
    expect(loaded!.received.get('o1')).toBe(5);
    expect(await repo.load(CheckpointRepository.keyOf(JSON.stringify(DEFAULT_INDEX.data), 'UTC'))).toBeUndefined();
  });

  it('never goes backwards: an older checkpoint does not replace a newer one', async () => {
    const repo = new CheckpointRepository(redis);
    const key = CheckpointRepository.keyOf('x', 'UTC');
    expect(await repo.save(key, { state, received: new Map(), seq: 100, lastId: '5-0' })).toBe(true);
    expect(await repo.save(key, { state, received: new Map(), seq: 50, lastId: '3-0' })).toBe(false);
    expect((await repo.load(key))?.seq).toBe(100);
    expect(await repo.save(key, { state, received: new Map(), seq: 150, lastId: '7-0' })).toBe(true);
    expect((await repo.load(key))?.lastId).toBe('7-0');
  });
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import { parseConfig } from '../config/config.js';
import { EventLogRepository, ReplicasBehind } from './event-log.repository.js';

describe('EventLogRepository on a real Redis', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  let log: EventLogRepository;

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    log = new EventLogRepository(redis, parseConfig({}));
  });
  beforeEach(async () => {
    await redis.flushdb();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.cleanup();
  });

  it('appends in order, numbers the events and stores a re-sent id once', async () => {
    expect(await log.append([{ id: 'a', json: '{"id":"a"}' }, { id: 'b', json: '{"id":"b"}' }])).toEqual({ accepted: 2, duplicates: 0, seq: 2 });
    expect(await log.append([{ id: 'b', json: '{"id":"b"}' }, { id: 'c', json: '{"id":"c"}' }, { id: 'c', json: '{"id":"c"}' }])).toEqual({
      accepted: 1,
      duplicates: 2,
      seq: 3,
    });
    const all = await log.readAfter('0', 100);
    expect(all.map((e) => [e.seq, e.json])).toEqual([
      [1, '{"id":"a"}'],
      [2, '{"id":"b"}'],
      [3, '{"id":"c"}'],
    ]);
    expect((await log.readAfter(all[0]!.streamId, 100)).map((e) => e.seq)).toEqual([2, 3]);
    expect(await log.seq()).toBe(3);
  });

  it('keeps the count exact under concurrent appenders', async () => {
    const senders = Array.from({ length: 8 }, (_, s) =>
      log.append(Array.from({ length: 200 }, (_, i) => ({ id: `e${(s % 4) * 200 + i}`, json: '{}' }))),
    );
    const answers = await Promise.all(senders);
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(800);
    expect(answers.reduce((n, a) => n + a.duplicates, 0)).toBe(800);
    expect(await redis.xlen('wall:events')).toBe(800);
    expect(Math.max(...answers.map((a) => a.seq))).toBe(800);
  });

  it('wakes a blocked reader when events arrive', async () => {
    const reader = redis.duplicate();
    const waiting = log.waitAfter(reader, '$', 5000, 10);
    await new Promise((r) => setTimeout(r, 50));
    await log.append([{ id: 'x', json: '{"id":"x"}' }]);
    const got = await waiting;
    reader.disconnect();
    expect(got.map((e) => e.json)).toEqual(['{"id":"x"}']);
  });

  it('with FEED_WAIT_REPLICAS, refuses to acknowledge a batch no replica has (the resend is stored once)', async () => {
    const waiting = new EventLogRepository(redis, parseConfig({ FEED_WAIT_REPLICAS: '1', FEED_WAIT_TIMEOUT_MS: '50' }));
    await expect(waiting.append([{ id: 'w', json: '{"id":"w"}' }])).rejects.toBeInstanceOf(ReplicasBehind);
    expect(await log.append([{ id: 'w', json: '{"id":"w"}' }])).toEqual({ accepted: 0, duplicates: 1, seq: 1 });
  });
});

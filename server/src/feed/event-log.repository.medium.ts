import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import { parseConfig } from '../config/config.js';
import { EventLogRepository, ReplicasBehind, StoreModeError } from './event-log.repository.js';

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
    const e = (id: string, fingerprint = `fp-${id}`) => ({ id, fingerprint, json: `{"id":"${id}"}` });
    expect(await log.append([e('a'), e('b')])).toEqual({ accepted: 2, duplicates: 0, seq: 2, conflicts: [] });
    expect(await log.append([e('b'), e('c'), e('c')])).toEqual({ accepted: 1, duplicates: 2, seq: 3, conflicts: [] });
    const all = await log.readAfter('0', 100);
    expect(all.map((e) => [e.seq, e.json])).toEqual([
      [1, '{"id":"a"}'],
      [2, '{"id":"b"}'],
      [3, '{"id":"c"}'],
    ]);
    expect((await log.readAfter(all[0]!.streamId, 100)).map((e) => e.seq)).toEqual([2, 3]);
    expect(await log.seq()).toBe(3);
  });

  it('tells a re-sent id with other content apart: listed as a conflict, counted as a duplicate, the stored one stands', async () => {
    await log.append([{ id: 'a', fingerprint: 'one', json: '{"id":"a","v":1}' }]);
    const answer = await log.append([
      { id: 'b', fingerprint: 'b', json: '{"id":"b"}' },
      { id: 'a', fingerprint: 'one', json: '{"id":"a","v":1}' },
      { id: 'a', fingerprint: 'two', json: '{"id":"a","v":2}' },
    ]);
    expect(answer).toEqual({ accepted: 1, duplicates: 2, seq: 2, conflicts: [2] });
    expect((await log.readAfter('0', 10)).map((x) => x.json)).toEqual(['{"id":"a","v":1}', '{"id":"b"}']);
  });

  it('keeps simulated and real events apart: the first batch sets the store, the other kind is refused whole', async () => {
    expect(await log.mode()).toBeNull();
    await log.append([{ id: 's1', fingerprint: 's1', json: '{"id":"s1"}' }], 'demo');
    expect(await log.mode()).toBe('demo');
    await expect(log.append([{ id: 'r1', fingerprint: 'r1', json: '{"id":"r1"}' }], 'real')).rejects.toThrow(StoreModeError);
    // The server's own marks belong to either kind.
    expect((await log.append([{ id: 'm1', fingerprint: 'm1', json: '{"id":"m1"}' }], 'server')).accepted).toBe(1);
    expect((await log.readAfter('0', 10)).map((x) => x.json)).toEqual(['{"id":"s1"}', '{"id":"m1"}']);
  });

  it('keeps the count exact under concurrent appenders', async () => {
    const senders = Array.from({ length: 8 }, (_, s) => log.append(Array.from({ length: 200 }, (_, i) => ({ id: `e${(s % 4) * 200 + i}`, fingerprint: 'f', json: '{}' }))));
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
    await log.append([{ id: 'x', fingerprint: 'x', json: '{"id":"x"}' }]);
    const got = await waiting;
    reader.disconnect();
    expect(got.map((e) => e.json)).toEqual(['{"id":"x"}']);
  });

  it('with FEED_WAIT_REPLICAS, refuses to acknowledge a batch no replica has (the resend is stored once)', async () => {
    const waiting = new EventLogRepository(redis, parseConfig({ FEED_WAIT_REPLICAS: '1', FEED_WAIT_TIMEOUT_MS: '50' }));
    await expect(waiting.append([{ id: 'w', fingerprint: 'w', json: '{"id":"w"}' }])).rejects.toBeInstanceOf(ReplicasBehind);
    expect(await log.append([{ id: 'w', fingerprint: 'w', json: '{"id":"w"}' }])).toEqual({ accepted: 0, duplicates: 1, seq: 1, conflicts: [] });
  });
});

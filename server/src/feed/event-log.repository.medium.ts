import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import { parseConfig } from '../config/config.js';
import { EventLogRepository, ReplicasBehind, StoreModeError, migrateLegacyLog, neighboursToCheck, type EventToAppend } from './event-log.repository.js';

const ev = (id: string, fingerprint = `fp-${id}`, day = '2020-08-10'): EventToAppend => ({ id, fingerprint, json: `{"id":"${id}"}`, day, month: day.slice(0, 7) });

describe('EventLogRepository on a real Redis', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  let log: EventLogRepository;

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    log = new EventLogRepository(redis, parseConfig({ TAIL_KEEP: '1000' }));
  });
  beforeEach(async () => {
    await redis.flushdb();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.cleanup();
  });

  const dayJson = async (day: string) => (await log.readDay(day, '0', 1000)).map((e) => e.json);

  it('appends in order, numbers the events and stores a re-sent id once', async () => {
    expect(await log.append([ev('a'), ev('b')])).toEqual({ accepted: 2, duplicates: 0, seq: 2, conflicts: [], archived: [] });
    expect(await log.append([ev('b'), ev('c'), ev('c')])).toEqual({ accepted: 1, duplicates: 2, seq: 3, conflicts: [], archived: [] });
    const all = await log.readAfter('0', 100);
    expect(all.map((e) => [e.seq, e.json])).toEqual([
      [1, '{"id":"a"}'],
      [2, '{"id":"b"}'],
      [3, '{"id":"c"}'],
    ]);
    expect((await log.readAfter(all[0]!.streamId, 100)).map((e) => e.seq)).toEqual([2, 3]);
    expect(await log.seq()).toBe(3);
  });

  it('stores each event in its day partition, indexes the days and counts the writes per month', async () => {
    await log.append([ev('a', 'a', '2020-08-31'), ev('b', 'b', '2020-09-01'), ev('c', 'c', '2020-08-31'), ev('d', 'd', '2019-12-31')]);
    expect(await dayJson('2020-08-31')).toEqual(['{"id":"a"}', '{"id":"c"}']);
    expect(await dayJson('2020-09-01')).toEqual(['{"id":"b"}']);
    expect(await log.days()).toEqual(['2019-12-31', '2020-08-31', '2020-09-01']);
    expect(await log.days('2020-08-01', '2020-08-31')).toEqual(['2020-08-31']);
    expect(await log.months()).toEqual(['2019-12', '2020-08', '2020-09']);
    expect(await log.monthWrites(['2020-07', '2020-08', '2020-09'])).toEqual([0, 2, 1]);
    // The dedupe is per month: one hash per month, freed with it.
    expect(await redis.hlen('wall:ids:2020-08')).toBe(2);
  });

  it('finds a re-sent id across a month edge (a time-zone slip of its at), not only in its own month', async () => {
    await log.append([ev('a', 'one', '2020-08-31'), ev('b', 'b', '2020-08-01')]);
    const answer = await log.append([ev('a', 'two', '2020-09-01'), ev('b', 'b', '2020-07-31'), ev('a', 'one', '2020-10-02'), ev('b', 'b', '2020-07-15')]);
    expect(answer.duplicates).toBe(2);
    expect(answer.conflicts).toEqual([0]);
    // Two months away, or mid-month next door, is another month's event: stored there.
    expect(answer.accepted).toBe(2);
    expect(await dayJson('2020-10-02')).toEqual(['{"id":"a"}']);
    expect(await dayJson('2020-07-15')).toEqual(['{"id":"b"}']);
    expect(await dayJson('2020-09-01')).toEqual([]);
  });

  it('looks at a neighbour month only within two days of the edge', () => {
    expect(neighboursToCheck('2020-08-01')).toEqual(['2020-07', '']);
    expect(neighboursToCheck('2020-08-02')).toEqual(['2020-07', '']);
    expect(neighboursToCheck('2020-08-15')).toEqual(['', '']);
    expect(neighboursToCheck('2020-08-30')).toEqual(['', '2020-09']);
    expect(neighboursToCheck('2020-02-28')).toEqual(['', '2020-03']);
    expect(neighboursToCheck('2020-12-31')).toEqual(['', '2021-01']);
  });

  it('tells a re-sent id with other content apart: listed as a conflict, counted as a duplicate, the stored one stands', async () => {
    await log.append([{ ...ev('a', 'one'), json: '{"id":"a","v":1}' }]);
    const answer = await log.append([ev('b', 'b'), { ...ev('a', 'one'), json: '{"id":"a","v":1}' }, { ...ev('a', 'two'), json: '{"id":"a","v":2}' }]);
    expect(answer).toEqual({ accepted: 1, duplicates: 2, seq: 2, conflicts: [2], archived: [] });
    expect((await log.readAfter('0', 10)).map((x) => x.json)).toEqual(['{"id":"a","v":1}', '{"id":"b"}']);
  });

  it('refuses events of an archived month, stores the rest of the batch', async () => {
    await log.append([ev('a', 'a', '2019-09-03')]);
    const entry = JSON.stringify({ at: '2026-12-01T00:00:00.000Z', who: 'admin', action: 'history.archive', ip: null, detail: { month: '2019-09' } });
    await log.freeArchived('2019-09', ['2019-09-03'], [entry, 'history.archive', 'admin', Date.parse('2026-12-01'), 400 * 86_400_000]);
    expect(await dayJson('2019-09-03')).toEqual([]);
    expect(await redis.exists('wall:ids:2019-09')).toBe(0);
    // The month's audit entry was written by the same script.
    expect((await redis.xrange('wall:audit', '-', '+')).map(([, fields]) => fields[1])).toEqual([entry]);
    const answer = await log.append([ev('x', 'x', '2019-09-04'), ev('y', 'y', '2019-10-01')]);
    expect(answer).toMatchObject({ accepted: 1, duplicates: 0, archived: [0] });
    expect(await dayJson('2019-09-04')).toEqual([]);
    expect(await log.archivedMonths()).toEqual(new Set(['2019-09']));
  });

  it('keeps the recent log trimmed near TAIL_KEEP while every partition keeps all', async () => {
    for (let b = 0; b < 5; b++) await log.append(Array.from({ length: 1000 }, (_, i) => ev(`e${b}-${i}`, 'f', `2020-08-${String(10 + b).padStart(2, '0')}`)));
    const tail = await redis.xlen('wall:events');
    expect(tail).toBeGreaterThanOrEqual(1000);
    expect(tail).toBeLessThan(2500);
    let all = 0;
    for (const day of await log.days()) all += (await log.readDay(day, '0', 5000)).length;
    expect(all).toBe(5000);
    const bounds = await log.tailBounds();
    expect(bounds.seq).toBe(5000);
    expect(bounds.firstSeq).toBe(5000 - tail + 1);
  });

  it('indexes incident reports by month, the earliest at kept, for a later mark', async () => {
    await log.append([{ ...ev('r1', 'r1', '2020-08-05'), report: { incident: 'i1', t: 2000 } }]);
    await log.append([{ ...ev('r2', 'r2', '2020-08-05'), report: { incident: 'i1', t: 1000 } }]);
    await log.append([{ ...ev('r3', 'r3', '2020-08-05'), report: { incident: 'i1', t: 3000 } }]);
    expect(await log.reportTime('i1', ['2020-09', '2020-08'])).toBe(1000);
    expect(await log.reportTime('i2', ['2020-09', '2020-08'])).toBeUndefined();
  });

  it('keeps simulated and real events apart: the first batch sets the store, the other kind is refused whole', async () => {
    expect(await log.mode()).toBeNull();
    await log.append([ev('s1')], 'demo');
    expect(await log.mode()).toBe('demo');
    await expect(log.append([ev('r1')], 'real')).rejects.toThrow(StoreModeError);
    // The server's own marks belong to either kind.
    expect((await log.append([ev('m1')], 'server')).accepted).toBe(1);
    expect((await log.readAfter('0', 10)).map((x) => x.json)).toEqual(['{"id":"s1"}', '{"id":"m1"}']);
  });

  it('keeps the count exact under concurrent appenders', async () => {
    const senders = Array.from({ length: 8 }, (_, s) => log.append(Array.from({ length: 100 }, (_, i) => ev(`e${(s % 4) * 100 + i}`, 'f'))));
    const answers = await Promise.all(senders);
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(400);
    expect(answers.reduce((n, a) => n + a.duplicates, 0)).toBe(400);
    expect(await redis.xlen('wall:log:2020-08-10')).toBe(400);
    expect(Math.max(...answers.map((a) => a.seq))).toBe(400);
  });

  it('wakes a blocked reader when events arrive', async () => {
    const reader = redis.duplicate();
    const waiting = log.waitAfter(reader, '$', 5000, 10);
    await new Promise((r) => setTimeout(r, 50));
    await log.append([ev('x', 'x')]);
    const got = await waiting;
    reader.disconnect();
    expect(got.map((e) => e.json)).toEqual(['{"id":"x"}']);
  });

  it('with FEED_WAIT_REPLICAS, refuses to acknowledge a batch no replica has (the resend is stored once)', async () => {
    const waiting = new EventLogRepository(redis, parseConfig({ FEED_WAIT_REPLICAS: '1', FEED_WAIT_TIMEOUT_MS: '50' }));
    await expect(waiting.append([ev('w', 'w')])).rejects.toBeInstanceOf(ReplicasBehind);
    expect(await log.append([ev('w', 'w')])).toEqual({ accepted: 0, duplicates: 1, seq: 1, conflicts: [], archived: [] });
  });

  it('partitions a log written before partitions once, keeping ids and fingerprints, and again adds nothing', async () => {
    const days = ['2020-08-01', '2020-08-01', '2020-09-02'];
    for (const [i, day] of days.entries()) {
      await redis.xadd('wall:events', '*', 's', i + 1, 'e', JSON.stringify({ id: `old${i}`, day }));
      await redis.hset('wall:event-ids', `old${i}`, `fp${i}`);
    }
    await redis.set('wall:seq', 3);
    const partition = (json: string) => {
      const e = JSON.parse(json) as { id: string; day: string };
      return { id: e.id, day: e.day, month: e.day.slice(0, 7) };
    };
    await migrateLegacyLog(redis, partition, 1000, () => undefined);
    expect((await log.readDay('2020-08-01', '0', 10)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await redis.hget('wall:ids:2020-09', 'old2')).toBe('fp2');
    expect(await redis.exists('wall:event-ids')).toBe(0);
    // A run cut short and started again (the format not yet set) adds nothing twice.
    await redis.del('wall:log-format');
    await migrateLegacyLog(redis, partition, 1000, () => undefined);
    expect(await redis.xlen('wall:log:2020-08-01')).toBe(2);
    // A re-sent old id is still a duplicate, its fingerprint kept.
    expect(await log.append([ev('old2', 'fp2', '2020-09-02')])).toMatchObject({ accepted: 0, duplicates: 1, conflicts: [] });
  });
});

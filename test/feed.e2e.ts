import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// The feed contract against the real built server and a real Redis.

const at = (minutes: number) => new Date(Date.UTC(2020, 7, 10, 2, 0) + minutes * 60_000).toISOString();

function lifecycle(n: number) {
  const inc = `inc-${n}`;
  const ord = `ord-${n}`;
  return [
    { id: `${inc}-r`, type: 'incident.reported', at: at(n), incident: inc, center: 'ruian', kind: 'alarm', category: '火情' },
    { id: `${ord}-d`, type: 'order.dispatched', at: at(n + 1), incident: inc, order: ord, unit: 'ruian.fire' },
    { id: `${ord}-s`, type: 'order.signed', at: at(n + 2), incident: inc, order: ord },
    { id: `${ord}-f`, type: 'order.feedback', at: at(n + 30), incident: inc, order: ord, stage: 'result' },
    { id: `${inc}-c`, type: 'incident.closed', at: at(n + 40), incident: inc },
  ];
}

type Report = { total: { incidents: number; closed: number; feedbacks: number }; centers: Array<{ center: string; incidents: number }> };

describe('POST /api/feed', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    token = await login(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it('answers 401 without the feed token, and stores nothing', async () => {
    const res = await fetch(`${server.url}/api/feed`, { method: 'POST', body: JSON.stringify(lifecycle(0)) });
    expect(res.status).toBe(401);
    const wrong = await postFeed(server.url, lifecycle(0), { token: 'nope' });
    expect(wrong.status).toBe(401);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { seq: number };
    expect(health.seq).toBe(0);
  });

  it('accepts a batch, counts re-sent ids as duplicates and stores them once', async () => {
    const first = await postFeed(server.url, lifecycle(1));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accepted: 5, duplicates: 0, rejected: [], seq: 5, conflicts: [] });
    const again = await postFeed(server.url, [...lifecycle(1), ...lifecycle(2)]);
    expect(again.body).toEqual({ accepted: 5, duplicates: 5, rejected: [], seq: 10, conflicts: [] });
    const report = await getJson<Report>(server.url, '/api/reports/monthly?month=2020-08', token);
    expect(report.body.total.incidents).toBe(2);
    expect(report.body.total.feedbacks).toBe(2);
  });

  it('takes NDJSON, rejecting a broken line by index and keeping the rest (422)', async () => {
    const lines = lifecycle(3).map((e) => JSON.stringify(e));
    lines.splice(2, 0, '{"id": "broken",');
    const res = await postFeed(server.url, lines.join('\n') + '\n', { ndjson: true });
    expect(res.status).toBe(422);
    expect(res.body.accepted).toBe(5);
    expect(res.body.rejected).toEqual([{ index: 2, id: null, error: expect.stringContaining('not valid JSON') }]);
    expect(res.body.seq).toBe(15);
  });

  it('rejects bad events by index, id and field, and stores nothing of them', async () => {
    const good = lifecycle(4)[0]!;
    const res = await postFeed(server.url, [
      { ...good, id: 'bad-center', center: 'atlantis' },
      good,
      { ...good, id: 'bad-time', at: '2020-08-10 10:00' },
      { id: 'bad-type', type: 'incident.exploded', at: at(0), incident: 'x' },
      JSON.parse(`{"id":"proto","type":"incident.closed","at":"${at(0)}","incident":"x","__proto__":{"a":1}}`),
      { ...good, id: 'x'.repeat(129) },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.accepted).toBe(1);
    const errors = Object.fromEntries(res.body.rejected.map((r) => [r.index, r]));
    expect(errors[0]).toMatchObject({ id: 'bad-center', error: expect.stringContaining('center') });
    expect(errors[2]).toMatchObject({ id: 'bad-time', error: expect.stringContaining('at') });
    expect(errors[3]).toMatchObject({ id: 'bad-type', error: expect.stringContaining('type') });
    expect(errors[4]).toMatchObject({ id: 'proto', error: expect.stringContaining('__proto__') });
    expect(errors[5]).toMatchObject({ id: null, error: expect.stringContaining('id') });
    expect(res.body.seq).toBe(16);
    // The rejected events left no trace: re-sending the corrected one is accepted, not a duplicate.
    const fixed = await postFeed(server.url, [{ ...good, id: 'bad-center' }]);
    expect(fixed.body).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it('answers 400 for a body that cannot be read', async () => {
    expect((await postFeed(server.url, '{not json')).status).toBe(400);
    expect((await postFeed(server.url, { id: 'not-an-array' })).status).toBe(400);
    expect((await postFeed(server.url, new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]))).status).toBe(400);
  });

  it('answers 413 over 5,000 events or 10 MB', async () => {
    const many = Array.from({ length: 5001 }, (_, i) => ({ id: `m${i}`, type: 'incident.closed', at: at(0), incident: 'm' }));
    const tooMany = await postFeed(server.url, many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.message).toContain('5000');
    const big = JSON.stringify([{ id: 'big', type: 'incident.closed', at: at(0), incident: 'x', pad: 'x'.repeat(10 * 1024 * 1024) }]);
    const tooBig = await fetch(`${server.url}/api/feed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-feed-token-0123456789' },
      body: big,
    });
    expect(tooBig.status).toBe(413);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { seq: number };
    expect(health.seq).toBe(17);
  });

  it('needs a user token for reads: 401 without, 401 with a forged one', async () => {
    expect((await fetch(`${server.url}/api/reports/monthly?month=2020-08`)).status).toBe(401);
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await getJson(server.url, '/api/reports/monthly?month=2020-08', forged)).status).toBe(401);
    expect((await getJson(server.url, '/api/reports/monthly?month=2020-13', token)).status).toBe(400);
  });

  it('freezes the limits of an admin override into each dispatch; a bad reference edit changes nothing', async () => {
    const ref = (await getJson<Record<string, unknown>>(server.url, '/api/reference', token)).body;
    const put = (body: unknown) =>
      fetch(`${server.url}/api/reference`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await put({ ...ref, limitOverrides: [{ center: 'mars', arriveMinutes: 10 }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('limitOverrides.0.center');
    expect((await getJson<Record<string, unknown>>(server.url, '/api/reference', token)).body['limitOverrides']).toBeUndefined();
    expect((await put({ ...ref, limitOverrides: [{ unitType: 'fire', arriveMinutes: 10 }] })).status).toBe(200);
    await postFeed(server.url, [{ id: 'ovr-d', type: 'order.dispatched', at: at(5), incident: 'inc-1', order: 'ovr-o', unit: 'ruian.fire' }]);
    const ndjson = await (await fetch(`${server.url}/api/events?from=2020-08-10&to=2020-08-10`, { headers: { authorization: `Bearer ${token}` } })).text();
    const stored = ndjson
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; deadlines?: unknown })
      .find((e) => e.id === 'ovr-d');
    expect(stored?.deadlines).toEqual({ signMinutes: 5, arriveMinutes: 10, feedbackMinutes: 60 });
    expect((await put(ref)).status).toBe(200);
  });

  it('rebuilds the same state after a restart', async () => {
    const before = await getJson<Report>(server.url, '/api/reports/monthly?month=2020-08', token);
    const seqBefore = ((await (await fetch(`${server.url}/api/health`)).json()) as { seq: number }).seq;
    await server.stop();
    server = await startServer(redis.url, {}, server.port);
    // The stop saved a checkpoint; the new process starts from it.
    expect(server.output()).toContain(`from checkpoint at seq ${seqBefore} + 0 events`);
    const after = await getJson<Report>(server.url, '/api/reports/monthly?month=2020-08', await login(server.url));
    expect(after.body).toEqual(before.body);
    expect(after.body.total.incidents).toBe(4);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { seq: number };
    expect(health.seq).toBe(seqBefore);
  });

  it('lists a re-sent id with other content in `conflicts`, counts it as a duplicate, keeps the stored event, and shows it in data quality', async () => {
    type Quality = { counts: Record<string, number>; issues: Array<{ kind: string; incident: string; detail: string }> };
    const month = '/api/reports/monthly?month=2020-08';
    const before = await getJson<Report>(server.url, month, token);
    const seqBefore = ((await (await fetch(`${server.url}/api/health`)).json()) as { seq: number }).seq;
    const [report, dispatch] = lifecycle(1);
    // The same instant written with another offset is the same event, not a conflict.
    const sameInstant = { ...report!, at: new Date(Date.parse(report!.at)).toISOString().replace('Z', '+00:00') };
    const res = await postFeed(server.url, [
      { ...dispatch!, at: at(90) }, // another `at`
      sameInstant,
      { ...report!, center: 'yueqing' }, // another field
      lifecycle(1)[2]!, // an exact re-send
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accepted: 0,
      duplicates: 4,
      rejected: [],
      seq: seqBefore,
      conflicts: [
        { index: 0, id: 'ord-1-d' },
        { index: 2, id: 'inc-1-r' },
      ],
    });
    // The stored one stands: nothing changed.
    expect((await getJson<Report>(server.url, month, token)).body).toEqual(before.body);
    const quality = (await getJson<Quality>(server.url, '/api/reports/quality?month=2020-08', token)).body;
    expect(quality.counts['conflictingDuplicate']).toBe(2);
    const listed = quality.issues.filter((i) => i.kind === 'conflictingDuplicate');
    expect(listed.map((i) => i.incident).sort()).toEqual(['inc-1', 'inc-1']);
    expect(listed.map((i) => i.detail).join(' ')).toContain('ord-1-d');
    expect(listed.map((i) => i.detail).join(' ')).toContain('inc-1-r');
  });
});

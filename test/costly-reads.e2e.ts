import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { login, postFeed, startServer, type RunningServer } from './support/server.js';
import { adminCall, createUser, watchSocket } from './support/users.js';

// Costly reads by any token: a few at once per user, exports computed once per state, and a
// cap on the sockets one credential holds.

const STREAMS = 2; // COSTLY_READS_PER_USER
const SOCKETS = 3;

function reported(i: number) {
  const id = `c-${i}`;
  return {
    id,
    type: 'incident.reported',
    at: `2020-08-10T0${i % 10}:00:00+08:00`,
    incident: id,
    center: 'lucheng',
    kind: 'alarm',
    category: `测试-${'长'.repeat(40)}`,
    summary: 'x'.repeat(200),
  };
}

describe('costly reads', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let viewer: string;
  let admin: string;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url, { SOCKETS_PER_USER: String(SOCKETS) });
    admin = await login(server.url);
    await createUser(server.url, admin, 'reader', 'viewer');
    viewer = await login(server.url, 'reader', 'password-123');
    // Enough that a stream nobody reads stalls on a full socket (~3 MB).
    for (let b = 0; b < 2; b++)
      expect(
        (
          await postFeed(
            server.url,
            Array.from({ length: 5000 }, (_, i) => reported(b * 5000 + i)),
          )
        ).status,
      ).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  const events = (signal?: AbortSignal) =>
    fetch(`${server.url}/api/events?from=2020-08-01&to=2020-08-31`, { headers: { authorization: `Bearer ${viewer}`, 'accept-encoding': 'identity' }, signal });

  it(`runs at most ${STREAMS} event streams of one user at once, and the next once one is done`, async () => {
    const abort = new AbortController();
    const open = [await events(abort.signal), await events(abort.signal)];
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await events();
    expect(third.status).toBe(429);
    await third.text();
    abort.abort();
    for (const r of open) await r.body?.cancel().catch(() => undefined);
    let after = 0;
    for (let i = 0; i < 50 && after !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await events();
      after = res.status;
      const text = await res.text();
      if (after === 200) expect(text.split('\n').filter(Boolean)).toHaveLength(10_000);
    }
    expect(after).toBe(200);
  });

  it('answers an export asked again from its cache, and computes it anew after a new event, a rules change or a reference edit', async () => {
    const xlsx = async () =>
      Buffer.from(await (await fetch(`${server.url}/api/reports/monthly.xlsx?month=2020-08`, { headers: { authorization: `Bearer ${viewer}` } })).arrayBuffer());
    const first = await xlsx();
    await new Promise((r) => setTimeout(r, 1100));
    const second = await xlsx();
    expect(second.equals(first)).toBe(true);
    expect((await postFeed(server.url, [reported(20_000)])).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const third = await xlsx();
    expect(third.equals(first)).toBe(false);
    // Each file says when it was made (to the second): one asked a second later is the cached one, or made anew.
    const later = async () => (await new Promise((r) => setTimeout(r, 1100)), xlsx());
    expect((await later()).equals(third), 'asked again: the cached file').toBe(true);
    expect((await adminCall(server.url, admin, 'PUT', '/api/reports/assessment-rules', { signLate: 3 })).status).toBe(200);
    const rules = await later();
    expect(rules.equals(third), 'after a rules change: made anew').toBe(false);
    expect((await later()).equals(rules)).toBe(true);
    const reference = (await adminCall(server.url, admin, 'GET', '/api/reference')).body;
    expect((await adminCall(server.url, admin, 'PUT', '/api/reference', reference)).status).toBe(200);
    const referenced = await later();
    expect(referenced.equals(rules), 'after a reference edit: made anew').toBe(false);
    expect((await later()).equals(referenced)).toBe(true);
  });

  it(`runs at most ${STREAMS} exports of one user at once, besides its event streams`, async () => {
    // A new event: the month's tables are computed afresh, so that the exports below are all in flight together.
    expect((await postFeed(server.url, [reported(20_001)])).status).toBe(200);
    const abort = new AbortController();
    const streams = [await events(abort.signal), await events(abort.signal)];
    expect(streams.map((r) => r.status)).toEqual([200, 200]);
    const download = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${viewer}` } }).then(async (r) => (await r.arrayBuffer(), r.status));
    const statuses = await Promise.all(
      ['/api/reports/monthly.xlsx?month=2020-08', '/api/reports/monthly.csv?month=2020-08&table=units', '/api/reports/monthly.csv?month=2020-08&table=centers'].map(download),
    );
    expect([...statuses].sort()).toEqual([200, 200, 429]);
    // Done, the next one runs.
    expect(await download('/api/reports/monthly.csv?month=2020-08&table=units')).toBe(200);
    abort.abort();
    for (const r of streams) await r.body?.cancel().catch(() => undefined);
  });

  it(`holds at most ${SOCKETS} sockets per credential`, async () => {
    const sockets = Array.from({ length: SOCKETS + 1 }, () => watchSocket(server.url, 'wall', viewer));
    const results: string[] = [];
    for (const s of sockets) results.push(await s.opened);
    expect(results.filter((r) => r === 'connected')).toHaveLength(SOCKETS);
    expect(results.filter((r) => r === 'too-many-sockets')).toHaveLength(1);
    for (const s of sockets) s.close();
  });
});

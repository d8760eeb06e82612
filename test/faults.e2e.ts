import { Zone, generateMonth, projectEvents, parseStored, DEFAULT_INDEX, monthlyReport, WALL_NAMESPACE, type Alarm, type WallSnapshot } from '@wall/shared';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/wait.js';
import { startTestRedis } from './support/redis.js';
import { FEED_TOKEN, getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// Faults against real processes: the server killed mid-batch, Redis killed and restarted,
// Redis away for a while. Nothing acknowledged may be lost, nothing may be doubled.

const ZONE = new Zone('Asia/Shanghai');
type Report = ReturnType<typeof monthlyReport>;

async function health(url: string): Promise<{ status: number; body: { seq: number; redis: string } }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: (await res.json()) as { seq: number; redis: string } };
}

describe('faults', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;

  beforeAll(async () => {
    redis = await startTestRedis({ fsync: 'always' });
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '1000' });
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it('kill -9 of the server in the middle of a batch, then the same batch again: every event once, counts exact', async () => {
    const events = generateMonth(5, ZONE.startOfMonth('2020-07'), ZONE.startOfMonth('2020-08'), (t) => ZONE.parts(t).hour, 30).slice(0, 5000);
    const body = JSON.stringify(events);
    const sent = fetch(`${server.url}/api/feed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FEED_TOKEN}` },
      body,
    }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 30));
    await server.stop('SIGKILL');
    const first = await sent;
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '1000' }, server.port);
    const again = await postFeed(server.url, events);
    expect(again.status).toBe(200);
    expect(again.body.accepted + again.body.duplicates).toBe(5000);
    // Whether the killed request got through or not, the log now holds each event once.
    expect(again.body.seq).toBe(5000);
    const token = await login(server.url);
    const report = await getJson<Report>(server.url, '/api/reports/monthly?month=2020-07', token);
    const expected = monthlyReport(projectEvents(events.map((e) => parseStored(JSON.stringify(e))), DEFAULT_INDEX, ZONE), '2020-07', DEFAULT_INDEX);
    expect(report.body.total).toEqual(expected.total);
    expect(first instanceof Error || (first as Response).status === 200).toBe(true);
  });

  it('killed with no shutdown save: checkpoint + tail give the same numbers as folding the whole log', async () => {
    await server.stop();
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '1000', CHECKPOINT_EVERY: '1000' }, server.port);
    const events = generateMonth(6, ZONE.startOfMonth('2020-06'), ZONE.startOfMonth('2020-07'), (t) => ZONE.parts(t).hour, 30);
    for (let i = 0; i < events.length; i += 700) await postFeed(server.url, events.slice(i, i + 700));
    const token = await login(server.url);
    const before = (await getJson<Report>(server.url, '/api/reports/monthly?month=2020-06', token)).body;
    await new Promise((r) => setTimeout(r, 500));
    await server.stop('SIGKILL');
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '1000', CHECKPOINT_EVERY: '1000' }, server.port);
    expect(server.output()).toMatch(/from checkpoint at seq \d+ \+ \d+ events/);
    expect((await getJson<Report>(server.url, '/api/reports/monthly?month=2020-06', await login(server.url))).body).toEqual(before);
    await server.stop();
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '1000', CHECKPOINT_EVERY: '0' }, server.port);
    expect(server.output()).not.toContain('from checkpoint');
    expect((await getJson<Report>(server.url, '/api/reports/monthly?month=2020-06', await login(server.url))).body).toEqual(before);
    expect(before.total.incidents).toBeGreaterThan(800);
  });

  it('Redis killed and restarted (AOF, fsync always): state, pending deadlines and open alarms come back', async () => {
    const token = await login(server.url);
    const now = Date.now();
    const mk = (k: string, signMinutes: number) => [
      { id: `${k}-r`, type: 'incident.reported', at: new Date(now - 1000).toISOString(), incident: k, center: 'yueqing', kind: 'alarm', category: '测试' },
      { id: `${k}-d`, type: 'order.dispatched', at: new Date(now).toISOString(), incident: k, order: `${k}-o`, unit: 'yueqing.power', deadlines: { signMinutes, arriveMinutes: 60, feedbackMinutes: 120 } },
    ];
    await postFeed(server.url, [...mk('alarmed', 0.02), ...mk('pending', 0.25)]);
    const open = await until(async () => {
      const list = (await getJson<Alarm[]>(server.url, '/api/alarms?state=open', token)).body;
      return list.find((a) => a.order === 'alarmed-o');
    }, 5000);
    expect(open).toBeDefined();
    const ack = await fetch(`${server.url}/api/alarms/${open!.id}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'before the crash' }),
    });
    expect(ack.status).toBe(200);
    const before = await health(server.url);
    const reportBefore = (await getJson<Report>(server.url, '/api/reports/monthly?month=2020-07', token)).body;

    await redis.stop('SIGKILL');
    redis = await startTestRedis({ dir: redis.dir, port: redis.port, fsync: 'always' });
    const back = await until(async () => ((await health(server.url)).status === 200 ? true : undefined), 15_000);
    expect(back).toBe(true);
    expect((await health(server.url)).body.seq).toBe(before.body.seq);
    expect((await getJson<Report>(server.url, '/api/reports/monthly?month=2020-07', token)).body).toEqual(reportBefore);
    const alarmed = (await getJson<Alarm[]>(server.url, '/api/alarms?state=all', token)).body.find((a) => a.order === 'alarmed-o');
    expect(alarmed?.acknowledgedBy).toBe('admin');
    expect(alarmed?.note).toBe('before the crash');
    // The deadline that was pending across the restart still fires (due 15 s after dispatch).
    const late = await until(async () => (await getJson<Alarm[]>(server.url, '/api/alarms?state=all', token)).body.find((a) => a.order === 'pending-o'), 20_000);
    expect(late?.limit).toBe('sign');
  });

  it('Redis away: the feed answers 503 at once, health and walls say so, and all recovers by itself', async () => {
    const token = await login(server.url);
    const socket = io(`${server.url}${WALL_NAMESPACE}`, { auth: { token }, transports: ['websocket'], forceNew: true });
    let latest: Partial<WallSnapshot['sections']> = {};
    socket.on('snapshot', (s) => (latest = { ...s.sections }));
    socket.on('delta', (d) => (latest = { ...latest, ...d.sections }));
    await until(async () => (latest.health ? true : undefined), 5000);
    expect(latest.health?.store).toBe('up');

    await redis.stop();
    const started = Date.now();
    const res = await postFeed(server.url, [{ id: 'while-down', type: 'incident.closed', at: new Date().toISOString(), incident: 'x' }]);
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await health(server.url)).status).toBe(503);
    const down = await until(async () => (latest.health?.store === 'down' ? latest.health : undefined), 5000);
    expect(down?.since).toBeGreaterThan(0);

    redis = await startTestRedis({ dir: redis.dir, port: redis.port, fsync: 'always' });
    expect(await until(async () => ((await health(server.url)).status === 200 ? true : undefined), 15_000)).toBe(true);
    const after = await postFeed(server.url, [{ id: 'after-up', type: 'incident.closed', at: new Date().toISOString(), incident: 'x' }]);
    expect(after.status).toBe(200);
    expect(await until(async () => (latest.health?.store === 'up' ? true : undefined), 5000)).toBe(true);
    socket.close();
  });

  /**
   * A server of its own whose Redis is then broken by `breakRedis`; stopped after `run`.
   * Hung (SIGSTOP: connections stay open, nothing answers) is the case where a stop would wait
   * for ever. Gone outright may or may not leave a stop waiting (that races ioredis' reconnect),
   * so it cannot be the fixture that proves the deadline.
   */
  async function withOwnServer(
    shutdownMs: number,
    breakRedis: 'hung' | 'gone',
    run: (own: RunningServer, exited: Promise<number | null>) => Promise<void>,
  ): Promise<void> {
    const ownRedis = await startTestRedis();
    const own = await startServer(ownRedis.url, { SHUTDOWN_TIMEOUT_MS: String(shutdownMs) });
    try {
      if (breakRedis === 'hung') {
        // An event since the last checkpoint: the stop then has to save one and waits on Redis.
        // Without it a stop may need no answer at all (a connection not yet ready just closes).
        const fed = await postFeed(own.url, [{ id: `before-hang-${Date.now()}`, type: 'incident.closed', at: new Date().toISOString(), incident: 'x' }]);
        expect(fed.status).toBe(200);
        await until(async () => ((await health(own.url)).body.seq >= fed.body.seq ? true : undefined), 5000);
        process.kill(ownRedis.pid, 'SIGSTOP');
      } else {
        await ownRedis.stop();
        await until(async () => ((await health(own.url)).status === 503 ? true : undefined), 10_000);
      }
      await run(own, new Promise((resolve) => own.child.once('exit', (code) => resolve(code))));
    } finally {
      await own.stop('SIGKILL');
      if (breakRedis === 'hung') process.kill(ownRedis.pid, 'SIGCONT');
      await ownRedis.cleanup();
    }
  }

  it('a stop with Redis hung ends by SHUTDOWN_TIMEOUT_MS instead of waiting for it for ever', async () => {
    await withOwnServer(1500, 'hung', async (own, exited) => {
      const started = Date.now();
      own.child.kill('SIGTERM');
      const code = await exited;
      const tookMs = Date.now() - started;
      expect(code).toBe(1);
      expect(tookMs).toBeGreaterThanOrEqual(1500);
      expect(tookMs).toBeLessThan(1500 + 5000);
      expect(own.output()).toMatch(/the stop did not finish in 1500 ms/);
    });
  });

  it('a second signal ends a stop at once', async () => {
    await withOwnServer(60_000, 'hung', async (own, exited) => {
      own.child.kill('SIGTERM');
      await until(async () => (/SIGTERM: stopping/.test(own.output()) ? true : undefined), 5000);
      const started = Date.now();
      own.child.kill('SIGINT');
      expect(await exited).toBe(1);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(own.output()).toMatch(/SIGINT again: exiting without finishing the stop/);
    });
  });

  it('a stop with Redis gone ends too, well within SHUTDOWN_TIMEOUT_MS', async () => {
    await withOwnServer(3000, 'gone', async (own, exited) => {
      const started = Date.now();
      own.child.kill('SIGTERM');
      // 0 when the stop finished without Redis, 1 when the deadline ended it: either way it ends.
      expect([0, 1]).toContain(await exited);
      expect(Date.now() - started).toBeLessThan(3000 + 5000);
    });
  });
});

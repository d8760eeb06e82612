import {
  SUPERVISOR_NAMESPACE,
  WALL_NAMESPACE,
  type Alarm,
  type AlarmChange,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SupervisorClientEvents,
  type SupervisorServerEvents,
} from '@wall/shared';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { ADMIN_PASSWORD, FEED_TOKEN, login, postFeed, startServer, startWorkerProcess, type RunningServer, type RunningWorker } from './support/server.js';
import { until } from './support/wait.js';
import { orderWithSignLimit } from './support/orders.js';

// Beyond one process, as deployed: two API instances without deadline workers (A and B) and one
// `npm run worker` on one Redis. Each process is real; the cases share them to keep CI short.

const METRICS_TOKEN = 'metrics-token-0123456789';
const JWT_SECRET = 'test-jwt-secret-0123456789-0123456789';
const SIGN_MIN = 0.05; // 3 s

type Metric = { name: string; type: string; metrics: Array<{ value?: string; labels?: Record<string, string>; count?: string; buckets?: Record<string, string> }> };

async function scrape(url: string): Promise<Metric[]> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await res.text()) as Metric[];
}

/** The value of a counter or gauge (sample matching `labels`), or a histogram's count. */
function valueOf(metrics: Metric[], name: string, labels: Record<string, string> = {}): number {
  const family = metrics.find((m) => m.name === name);
  if (!family) throw new Error(`no metric ${name} in ${metrics.map((m) => m.name).join(', ')}`);
  const sample = family.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  if (!sample) throw new Error(`no sample of ${name} with ${JSON.stringify(labels)}`);
  return Number(family.type === 'HISTOGRAM' ? sample.count : sample.value);
}

describe('two API instances and a worker on one Redis', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let a: RunningServer;
  let b: RunningServer;
  let worker: RunningWorker;
  let token: string;
  let readyWithoutWorker: { status: number; body: Record<string, unknown> };

  beforeAll(async () => {
    redis = await startTestRedis();
    const env = { DEADLINE_WORKER: 'off', METRICS_TOKEN };
    [a, b] = await Promise.all([startServer(redis.url, env), startServer(redis.url, env)]);
    // No worker yet: nobody would be paged, so the instances are alive but not ready.
    const unready = await fetch(`${a.url}/api/health/ready`);
    readyWithoutWorker = { status: unready.status, body: (await unready.json()) as Record<string, unknown> };
    worker = await startWorkerProcess({ REDIS_URL: redis.url }, { METRICS_TOKEN, SWEEP_INTERVAL_MS: '1000' });
    token = await login(a.url);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), worker?.stop()]);
    await redis?.cleanup();
  });

  it('runs no deadline worker in an API instance with DEADLINE_WORKER=off, and is ready only while a worker beats', async () => {
    expect(readyWithoutWorker.status).toBe(503);
    expect(readyWithoutWorker.body).toMatchObject({ redis: 'up', projection: 'ready', worker: 'down' });
    await until(async () => ((await fetch(`${a.url}/api/health/ready`)).status === 200 ? true : undefined), 7000);
    const ready = (await (await fetch(`${a.url}/api/health/ready`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ status: 'ok', redis: 'up', projection: 'ready', worker: 'up', node: process.version });
    expect((await fetch(`${a.url}/api/health/live`)).status).toBe(200);
    expect((await (await fetch(`${worker.url}/api/health/ready`)).json()) as Record<string, unknown>).toMatchObject({ status: 'ok', worker: 'running', node: process.version });
    expect(a.output()).toMatch(/deadline worker off/);
  });

  it('a wall on B has what was posted to A; a console on B gets each missed limit once, on time; /metrics moves with both', async () => {
    const beforeA = await scrape(a.url);
    const beforeW = await scrape(worker.url);

    const wall: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${b.url}${WALL_NAMESPACE}`, { auth: { token }, transports: ['websocket'], forceNew: true });
    const console_: Socket<SupervisorServerEvents, SupervisorClientEvents> = io(`${b.url}${SUPERVISOR_NAMESPACE}`, { auth: { token }, transports: ['websocket'], forceNew: true });
    let seq = -1;
    let today = -1;
    let gaps = 0;
    let rev = -1;
    wall.on('snapshot', (s) => {
      seq = s.seq;
      rev = s.rev;
      today = s.sections.kpi.today;
    });
    wall.on('delta', (d) => {
      if (d.prevRev !== rev) gaps++;
      rev = d.rev;
      seq = d.seq;
      if (d.sections.kpi) today = d.sections.kpi.today;
    });
    const raisedSeen = new Map<string, number>();
    console_.on('alarm', (change: AlarmChange) => {
      if (change.kind === 'raised') raisedSeen.set(change.alarm.order, (raisedSeen.get(change.alarm.order) ?? 0) + 1);
    });
    await Promise.all([new Promise((r) => wall.once('snapshot', r)), new Promise((r) => console_.once('alarms', r))]);
    const todayBefore = today;

    const items = Array.from({ length: 3 }, () => orderWithSignLimit('ruian.power', SIGN_MIN));
    const answer = await postFeed(
      a.url,
      items.flatMap((i) => i.events),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(6);

    // The wall on B: the whole batch, in order, with no gap in revisions.
    expect(await until(async () => (seq >= answer.body.seq && today === todayBefore + 3 ? true : undefined), 5000)).toBe(true);
    expect(gaps).toBe(0);

    // Each missed sign-off: one alarm, raised by the worker within 1 s of its due time.
    const alarms = await until(async () => {
      const res = await fetch(`${a.url}/api/alarms?state=all`, { headers: { authorization: `Bearer ${token}` } });
      const mine = ((await res.json()) as Alarm[]).filter((x) => items.some((i) => i.order === x.order));
      return mine.length >= items.length ? mine : undefined;
    }, 10_000);
    expect(alarms).toHaveLength(items.length);
    for (const item of items) {
      const alarm = alarms!.find((x) => x.order === item.order)!;
      expect(alarm.limit).toBe('sign');
      expect(Date.parse(alarm.raisedAt) - item.due).toBeGreaterThanOrEqual(0);
      expect(Date.parse(alarm.raisedAt) - item.due).toBeLessThan(1000);
    }
    // The console on B heard each exactly once, and nothing more comes for them.
    expect(await until(async () => (items.every((i) => raisedSeen.get(i.order) === 1) ? true : undefined), 3000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    for (const item of items) expect(raisedSeen.get(item.order)).toBe(1);

    // Acknowledge one through B.
    const ack = await fetch(`${b.url}/api/alarms/${alarms![0]!.id}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'on it' }),
    });
    expect(ack.status).toBe(200);

    // Seconds of deltas later, still one unbroken chain of B's own revisions: no delta of A's
    // reached B's wall through the adapter.
    expect(gaps).toBe(0);

    const afterA = await scrape(a.url);
    const afterB = await scrape(b.url);
    const afterW = await scrape(worker.url);
    expect(valueOf(afterA, 'wall_feed_events_total', { result: 'accepted' }) - valueOf(beforeA, 'wall_feed_events_total', { result: 'accepted' })).toBe(6);
    expect(valueOf(afterW, 'wall_alarms_raised_total', { limit: 'sign' }) - valueOf(beforeW, 'wall_alarms_raised_total', { limit: 'sign' })).toBe(3);
    expect(valueOf(afterW, 'wall_alarm_lateness_seconds') - valueOf(beforeW, 'wall_alarm_lateness_seconds')).toBe(3);
    expect(valueOf(afterB, 'wall_alarms_acknowledged_total')).toBe(1);
    expect(valueOf(afterB, 'wall_sockets', { namespace: WALL_NAMESPACE })).toBe(1);
    expect(valueOf(afterB, 'wall_sockets', { namespace: SUPERVISOR_NAMESPACE })).toBe(1);
    expect(valueOf(afterA, 'wall_sockets', { namespace: WALL_NAMESPACE })).toBe(0);
    // API instances run no alarms: the worker counts them once, not each instance.
    expect(valueOf(afterA, 'wall_alarms_raised_total', { limit: 'sign' })).toBe(0);
    expect(valueOf(afterA, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(afterA, 'wall_projection_rebuild_seconds')).toBeGreaterThanOrEqual(0);
    wall.close();
    console_.close();
  });

  it("a revoke on A disconnects the user's socket on B through the adapter, at once (three revokes, each closed within 200 ms), and it cannot come back", async () => {
    const connect = (t: string): Socket<ServerToClientEvents, ClientToServerEvents> =>
      io(`${b.url}${WALL_NAMESPACE}`, { auth: { token: t }, transports: ['websocket'], forceNew: true, reconnection: false });
    const bystander = connect(await login(b.url));
    await new Promise((r) => bystander.once('snapshot', r));
    const late: number[] = [];
    let lastToken = '';
    for (let i = 0; i < 3; i++) {
      const name = `screen-7${i}`;
      const created = await fetch(`${a.url}/api/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: name, password: 'screen-pass-7', role: 'viewer' }),
      });
      expect(created.status).toBe(201);
      lastToken = await login(b.url, name, 'screen-pass-7');
      const revoked = connect(lastToken);
      await new Promise((r) => revoked.once('snapshot', r));
      const closed = new Promise<{ reason: string; at: number }>((r) => revoked.once('disconnect', (reason) => r({ reason, at: Date.now() })));
      // At a random moment of B's own once-a-second re-check: that alone closes within 200 ms
      // of the answer one time in five, so three in a row are the adapter's doing.
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      expect((await fetch(`${a.url}/api/users/${name}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(201);
      const answered = Date.now();
      const end = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
      expect(end?.reason, 'still connected on B 3 s after the revoke on A').toBe('io server disconnect');
      late.push(end!.at - answered);
    }
    expect(
      late.filter((ms) => ms > 200),
      `closed on B ${late.join(', ')} ms after A's answers`,
    ).toEqual([]);
    expect(bystander.connected).toBe(true);
    const again = connect(lastToken);
    expect(await new Promise<string>((r) => again.once('connect_error', (e) => r(e.message)))).toBe('unauthorized');
    again.close();
    bystander.close();
  });

  it('refuses /metrics without the token', async () => {
    expect((await fetch(`${a.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${a.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(401);
  });

  it('serves Bull Board to admins only, and logs JSON lines with request ids and no secret', async () => {
    expect((await fetch(`${a.url}/admin/queues`)).status).toBe(401);
    await fetch(`${a.url}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wall-1', password: 'viewer-pass-1', role: 'viewer' }),
    });
    const viewer = await login(a.url, 'wall-1', 'viewer-pass-1');
    expect((await fetch(`${a.url}/admin/queues`, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(403);
    const board = await fetch(`${a.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${token}` } });
    expect(board.status).toBe(200);
    expect(((await board.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name)).toContain('deadlines');
    // No long-lived token in a URL: ?token= opens nothing; a one-time ticket does, once, and becomes a cookie for this path only.
    expect((await fetch(`${a.url}/admin/queues?token=${token}`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${a.url}/api/auth/board-ticket`, { method: 'POST', headers: { authorization: `Bearer ${viewer}` } })).status).toBe(403);
    const issued = (await (await fetch(`${a.url}/api/auth/board-ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as {
      url: string;
      expiresInSeconds: number;
    };
    expect(issued.url).toMatch(/^\/admin\/queues\?ticket=[\w-]{32}$/);
    expect(issued.expiresInSeconds).toBe(60);
    // The ticket works on any instance (it is in Redis), once.
    const first = await fetch(`${b.url}${issued.url}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/queues');
    expect((await fetch(`${b.url}${issued.url}`, { redirect: 'manual' })).status).toBe(401);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/Path=\/admin\/queues; HttpOnly; SameSite=Strict/);
    const page = await fetch(`${a.url}/admin/queues`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    // A token in a query string (kiosks log in with ?token=) and in headers, then read every line.
    const res = await fetch(`${a.url}/api/reports/monthly?month=2020-08&token=${viewer}`, { headers: { authorization: `Bearer ${viewer}`, 'x-request-id': 'req-from-proxy-1' } });
    expect(res.headers.get('x-request-id')).toBe('req-from-proxy-1');
    await new Promise((r) => setTimeout(r, 300));
    const lines = [a, b, worker].flatMap((p) => p.output().split('\n').filter(Boolean));
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; req?: { id: string; url: string } });
    expect(records.find((r) => r.req?.id === 'req-from-proxy-1')?.req?.url).toBe('/api/reports/monthly?month=2020-08&token=[redacted]');
    expect(records.filter((r) => r.req).every((r) => typeof r.req!.id === 'string' && r.req!.id.length > 0)).toBe(true);
    for (const secret of [token, viewer, FEED_TOKEN, ADMIN_PASSWORD, METRICS_TOKEN, JWT_SECRET, 'viewer-pass-1']) {
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    }
    // A quiet start: no route mapping at info.
    expect(records.filter((r) => /Mapped \{/.test(r.msg ?? ''))).toEqual([]);
  });
});

import { SUPERVISOR_NAMESPACE, type Alarm, type AlarmChange } from '@wall/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { orderJobId } from '../server/src/jobs/job-queue.repository.js';
import { startMonitor, tcpPortsOf } from './support/monitor.js';
import { until as waitFor } from './support/wait.js';
import { login, postFeed, type RunningServer } from './support/server.js';
import { startStack, type Stack } from './support/stack.js';
import { orderWithSignLimit } from './support/orders.js';

// The deadline engine on a real Redis and real BullMQ, with limits of a few seconds.

const SIGN_MIN = 0.05; // 3 s

/** An order to `<center>.power` (ruian by default) with the file's short sign-off limit. */
const dispatch = (o: { center?: string; unit?: string; signMinutes?: number; at?: number } = {}) =>
  orderWithSignLimit(o.unit ?? `${o.center ?? 'ruian'}.power`, o.signMinutes ?? SIGN_MIN, o.at);

async function alarmsOf(url: string, token: string, order: string): Promise<Alarm[]> {
  const res = await fetch(`${url}/api/alarms?state=all`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as Alarm[]).filter((a) => a.order === order);
}

async function put(url: string, token: string, path: string, body: unknown, method = 'PUT') {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A console socket; collects every alarm change it is sent. */
async function consoleSocket(url: string, token: string): Promise<{ socket: Socket; changes: Array<AlarmChange & { popup: boolean }> }> {
  const socket = io(`${url}${SUPERVISOR_NAMESPACE}`, { auth: { token }, transports: ['websocket'], forceNew: true });
  const changes: Array<AlarmChange & { popup: boolean }> = [];
  socket.on('alarm', (c) => changes.push(c));
  await new Promise((resolve) => socket.once('alarms', resolve));
  return { socket, changes };
}

const ENV = { SWEEP_INTERVAL_MS: '1000' };

describe('deadline engine', () => {
  let stack: Stack;
  let b: RunningServer | undefined;
  let token: string;
  let a: RunningServer;

  beforeAll(async () => {
    stack = await startStack({ env: ENV });
    a = stack.server;
    token = await login(a.url);
  });
  afterEach(async () => {
    await b?.stop();
    b = undefined;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('raises exactly one alarm within 1 s of the due time for an unsigned order, and none for a signed one', async () => {
    const late = dispatch();
    const onTime = dispatch();
    await postFeed(a.url, [...late.events, ...onTime.events]);
    await postFeed(a.url, [{ id: `s-${onTime.order}`, type: 'order.signed', at: new Date().toISOString(), incident: onTime.incident, order: onTime.order }]);
    const dueAt = Date.parse(late.events[1]!.at) + SIGN_MIN * 60_000;
    const raised = await waitFor(async () => (await alarmsOf(a.url, token, late.order))[0], 8000);
    expect(raised).toBeDefined();
    expect(raised!.limit).toBe('sign');
    expect(Date.parse(raised!.raisedAt) - dueAt).toBeGreaterThanOrEqual(0);
    expect(Date.parse(raised!.raisedAt) - dueAt).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await alarmsOf(a.url, token, late.order)).toHaveLength(1);
    expect(await alarmsOf(a.url, token, onTime.order)).toHaveLength(0);

    // The late sign-off resolves it and records how late it was.
    const signedAt = Date.now();
    await postFeed(a.url, [{ id: `s-${late.order}`, type: 'order.signed', at: new Date(signedAt).toISOString(), incident: late.incident, order: late.order }]);
    const resolved = await waitFor(async () => (await alarmsOf(a.url, token, late.order)).find((x) => x.resolvedAt), 3000);
    expect(resolved!.lateSeconds).toBe(Math.round((signedAt - dueAt) / 1000));
    expect(resolved!.outcome).toBe('late');
    const open = (await (await fetch(`${a.url}/api/alarms?state=open`, { headers: { authorization: `Bearer ${token}` } })).json()) as Alarm[];
    expect(open.find((x) => x.order === late.order)).toBeUndefined();
  });

  it('one job per order wakes again for the next limit: sign met, arrival late', async () => {
    const item = dispatch();
    const dispatchAt = Date.parse(item.events[1]!.at);
    (item.events[1] as { deadlines: Record<string, number> }).deadlines = { signMinutes: 0.05, arriveMinutes: 0.1, feedbackMinutes: 120 };
    await postFeed(a.url, item.events);
    await postFeed(a.url, [{ id: `s-${item.order}`, type: 'order.signed', at: new Date().toISOString(), incident: item.incident, order: item.order }]);
    const raised = await waitFor(async () => (await alarmsOf(a.url, token, item.order))[0], 10_000);
    expect(raised?.limit).toBe('arrive');
    expect(Date.parse(raised!.raisedAt) - (dispatchAt + 6000)).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await alarmsOf(a.url, token, item.order)).toHaveLength(1);
  });

  it('two instances with workers on one Redis: 40 orders, each raised once and seen once at each instance, both workers ran jobs', async () => {
    b = await stack.addServer(ENV);
    const consoles = await Promise.all([a, b].map((s) => consoleSocket(s.url, token)));
    const monitor = await startMonitor(stack.redis.port);
    try {
      const items = Array.from({ length: 40 }, () => dispatch());
      expect(
        (
          await postFeed(
            a.url,
            items.flatMap((x) => x.events),
          )
        ).body.accepted,
      ).toBe(80);
      await new Promise((r) => setTimeout(r, SIGN_MIN * 60_000 + 2500));
      for (const item of items) expect(await alarmsOf(a.url, token, item.order)).toHaveLength(1);
      // Each instance's console got exactly one `raised` per order: no doubled alarm, none lost.
      for (const { changes } of consoles) {
        for (const item of items)
          expect(
            changes.filter((c) => c.kind === 'raised' && c.alarm.order === item.order),
            item.order,
          ).toHaveLength(1);
      }
      // Who raised each: the alarm script's caller, by Redis's MONITOR, mapped to the process.
      const ports = [a, b].map((s) => tcpPortsOf(s.child.pid!));
      const raisedBy = new Map<string, number[]>();
      for (const { port, text } of monitor.lines()) {
        if (port === null || !/"eval(sha)?" .*"wall:alarms" "wall:alarms:open"/.test(text)) continue;
        const item = items.find((x) => text.includes(`\\"order\\":\\"${x.order}\\"`));
        if (!item) continue;
        const who = ports.findIndex((p) => p.has(port));
        raisedBy.set(item.order, [...(raisedBy.get(item.order) ?? []), who]);
      }
      for (const item of items) expect(raisedBy.get(item.order)?.length, `raise calls for ${item.order}`).toBe(1);
      const byInstance = [0, 1].map((i) => [...raisedBy.values()].filter((w) => w[0] === i).length);
      expect(byInstance[0]! + byInstance[1]!).toBe(40);
      expect(byInstance[0], `jobs run by instance a: ${byInstance.join(' / ')}`).toBeGreaterThan(0);
      expect(byInstance[1], `jobs run by instance b: ${byInstance.join(' / ')}`).toBeGreaterThan(0);
      expect(a.output() + b.output()).not.toContain('sweeper raised');
    } finally {
      monitor.stop();
      for (const { socket } of consoles) socket.close();
    }
  });

  it('a worker stopped (SIGTERM) while 40 limits fall due exits 0 and loses none: the other instance runs the rest, each raised once, on time', async () => {
    b = await stack.addServer(ENV);
    const stopping = b;
    const watch = await consoleSocket(a.url, token);
    const monitor = await startMonitor(stack.redis.port);
    try {
      // Due 0-400 ms apart, so the stop comes while jobs are falling due.
      const start = Date.now();
      const items = Array.from({ length: 40 }, (_, i) => dispatch({ at: start + i * 10 }));
      expect(
        (
          await postFeed(
            a.url,
            items.flatMap((x) => x.events),
          )
        ).body.accepted,
      ).toBe(80);
      const bPorts = tcpPortsOf(stopping.child.pid!);
      await new Promise((r) => setTimeout(r, Math.max(0, items[20]!.due - Date.now())));
      const signalledAt = Date.now() / 1000;
      const exited = new Promise<number | null>((resolve) => stopping.child.once('exit', (code) => resolve(code)));
      stopping.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await new Promise((r) => setTimeout(r, Math.max(0, items[39]!.due + 2000 - Date.now())));
      const raisedBy = new Map<string, Array<{ byB: boolean; at: number }>>();
      for (const { port, text } of monitor.lines()) {
        if (port === null || !/"eval(sha)?" .*"wall:alarms" "wall:alarms:open"/.test(text)) continue;
        const item = items.find((x) => text.includes(`\\"order\\":\\"${x.order}\\"`));
        if (item) raisedBy.set(item.order, [...(raisedBy.get(item.order) ?? []), { byB: bPorts.has(port), at: Number(text.split(' ')[0]) }]);
      }
      for (const item of items) {
        expect(raisedBy.get(item.order)?.length, `raise calls for ${item.order}`).toBe(1);
        const alarms = await alarmsOf(a.url, token, item.order);
        expect(alarms).toHaveLength(1);
        expect(Date.parse(alarms[0]!.raisedAt) - item.due, item.order).toBeLessThan(1000);
        expect(watch.changes.filter((c) => c.kind === 'raised' && c.alarm.order === item.order)).toHaveLength(1);
      }
      const byB = [...raisedBy.values()].filter((w) => w[0]!.byB);
      const afterSignal = byB.filter((w) => w[0]!.at >= signalledAt).length;
      console.log(`worker stop: the stopped instance raised ${byB.length} of 40 (${afterSignal} after its SIGTERM), the other ${40 - byB.length}`);
      expect(byB.length).toBeGreaterThan(0);
      expect(40 - byB.length).toBeGreaterThan(0);
      expect(a.output()).not.toContain('sweeper raised');
    } finally {
      monitor.stop();
      watch.socket.close();
    }
  });

  it('alarms still come when the only worker was killed while jobs were pending', async () => {
    const item = dispatch({ signMinutes: 0.1 });
    await postFeed(a.url, item.events);
    await new Promise((r) => setTimeout(r, 500));
    await a.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 6500));
    a = await stack.restartServer();
    const raised = await waitFor(async () => (await alarmsOf(a.url, token, item.order))[0], 5000);
    expect(raised?.limit).toBe('sign');
  });

  it('the sweeper raises alarms whose delayed jobs were flushed', async () => {
    const item = dispatch({ signMinutes: 0.1 });
    await postFeed(a.url, item.events);
    await new Promise((r) => setTimeout(r, 500));
    const raw = stack.raw;
    const delayed = await raw.zrange('wall:bull:deadlines:delayed', 0, -1);
    expect(delayed).toContain(orderJobId(item.order, Date.parse(item.events[1]!.at) + 0.1 * 60_000));
    for (const id of delayed) await raw.del(`wall:bull:deadlines:${id}`);
    await raw.del('wall:bull:deadlines:delayed');
    const raised = await waitFor(async () => (await alarmsOf(a.url, token, item.order))[0], 16_000);
    expect(raised?.limit).toBe('sign');
    expect(await alarmsOf(a.url, token, item.order)).toHaveLength(1);
    expect(await waitFor(async () => (a.output().includes('sweeper raised') ? true : undefined), 3000)).toBe(true);
  });

  it('pages the supervisor on duty in scope, escalates without an ack, and not after one', async () => {
    expect((await put(a.url, token, '/api/users', { username: 'sup-ruian', password: 'sup-pass-123', role: 'supervisor', scope: { centers: ['ruian'] } }, 'POST')).status).toBe(
      201,
    );
    expect((await put(a.url, token, '/api/users', { username: 'leader', password: 'leader-pass-1', role: 'supervisor' }, 'POST')).status).toBe(201);
    const roster = await put(a.url, token, '/api/roster', {
      shifts: [
        { user: 'sup-ruian', level: 'supervisor' },
        { user: 'leader', level: 'leader' },
      ],
      ackTimeoutMinutes: 0.05,
    });
    expect(roster.status).toBe(200);
    const bad = await put(a.url, token, '/api/roster', { shifts: [{ user: 'x', level: 'boss', start: '25:00' }] });
    expect(bad.status).toBe(400);
    expect(String(bad.body['message'])).toContain('shifts.0.level');

    const supToken = await login(a.url, 'sup-ruian', 'sup-pass-123');
    const leaderToken = await login(a.url, 'leader', 'leader-pass-1');
    const { socket, changes } = await consoleSocket(a.url, supToken);
    const leader = await consoleSocket(a.url, leaderToken);

    const ignored = dispatch();
    const acked = dispatch();
    const elsewhere = dispatch({ center: 'taishun' });
    await postFeed(a.url, [...ignored.events, ...acked.events, ...elsewhere.events]);
    const popup = await waitFor(async () => changes.find((c) => c.alarm.order === acked.order && c.popup), 8000);
    expect(popup?.alarm.recipients).toEqual(['sup-ruian']);
    expect(changes.find((c) => c.alarm.order === elsewhere.order)).toBeUndefined();

    const ack = await put(a.url, supToken, `/api/alarms/${popup!.alarm.id}/ack`, { note: '已电话督促' }, 'POST');
    expect(ack.status).toBe(200);
    expect(ack.body['acknowledgedBy']).toBe('sup-ruian');
    const again = await put(a.url, supToken, `/api/alarms/${popup!.alarm.id}/ack`, { note: 'twice' }, 'POST');
    expect(again.body['note']).toBe('已电话督促');

    const escalated = await waitFor(async () => (await alarmsOf(a.url, token, ignored.order)).find((x) => x.level === 1), 8000);
    expect(escalated?.recipients).toEqual(['leader']);
    await new Promise((r) => setTimeout(r, 1000));
    const ackedNow = (await alarmsOf(a.url, token, acked.order))[0]!;
    expect(ackedNow.level).toBe(0);
    // Popups, counted: the supervisor was paged once per alarm in scope, the leader once for
    // the escalation only, nobody for the alarm out of scope.
    const popups = (list: typeof changes, order: string) => list.filter((c) => c.popup && c.alarm.order === order).map((c) => c.kind);
    expect(popups(changes, ignored.order)).toEqual(['raised']);
    expect(popups(changes, acked.order)).toEqual(['raised']);
    expect(popups(changes, elsewhere.order)).toEqual([]);
    expect(popups(leader.changes, ignored.order)).toEqual(['escalated']);
    expect(popups(leader.changes, acked.order)).toEqual([]);
    socket.close();
    leader.socket.close();

    // A supervisor sees only alarms in scope; the audit log has the acknowledgement.
    const mine = (await (await fetch(`${a.url}/api/alarms?state=all`, { headers: { authorization: `Bearer ${supToken}` } })).json()) as Alarm[];
    const all = (await (await fetch(`${a.url}/api/alarms?state=all`, { headers: { authorization: `Bearer ${token}` } })).json()) as Alarm[];
    expect(mine.length).toBeGreaterThanOrEqual(2); // ignored and acked at least
    expect(mine.map((x) => x.id).sort()).toEqual(
      all
        .filter((x) => x.center === 'ruian')
        .map((x) => x.id)
        .sort(),
    );
    expect(mine.map((x) => x.center).filter((c) => c !== 'ruian')).toEqual([]);
    const audit = (await (await fetch(`${a.url}/api/audit?action=alarm.acknowledge`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{ who: string }>;
    expect(audit[0]?.who).toBe('sup-ruian');
    expect((await fetch(`${a.url}/api/audit`, { headers: { authorization: `Bearer ${supToken}` } })).status).toBe(403);
  });

  it('counts but pages nobody for limits older than ALARM_MAX_AGE_MINUTES', async () => {
    const old = dispatch({ at: Date.now() - 3 * 3600_000 });
    await postFeed(a.url, old.events);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await alarmsOf(a.url, token, old.order)).toHaveLength(0);
  });
});

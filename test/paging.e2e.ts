import { SUPERVISOR_NAMESPACE, WALL_NAMESPACE, type Alarm, type AlarmChange, type WallSnapshot } from '@wall/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { orderWithSignLimit, send } from './support/orders.js';

// Who gets an overdue alarm, through real /supervisor sockets against the built server and a
// real Redis and BullMQ: every branch of the recipient rule, escalation to the leader when
// nobody acknowledges, an acknowledgement in time stopping it, and 无人接收 (nobody to take
// it) as a state of its own that a roster change resolves.

const SIGN_MIN = 0.05; // 3 s
const ACK_MIN = 0.05; // escalate after 3 s
const USERS = {
  yq: { username: 'yq-sup', scope: { centers: ['yueqing'] } },
  ra: { username: 'ra-sup', scope: { centers: ['ruian'] } },
  officer: { username: 'officer', scope: undefined },
  boss: { username: 'boss', scope: undefined },
  director: { username: 'director', scope: undefined },
} as const;
const password = (u: string) => `${u}-pass-123`;

type Seen = AlarmChange & { popup: boolean; at: number };

const dispatch = (unit: string, at?: number) => orderWithSignLimit(unit, SIGN_MIN, at);

/** A logged-in console: every `alarm` event it receives, in order. */
class Console {
  readonly seen: Seen[] = [];
  private constructor(
    readonly user: string,
    readonly socket: Socket,
  ) {
    socket.on('alarm', (change: AlarmChange & { popup: boolean }) => this.seen.push({ ...change, at: Date.now() }));
  }

  static async open(url: string, user: string, token: string): Promise<Console> {
    const socket = io(`${url}${SUPERVISOR_NAMESPACE}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    const c = new Console(user, socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('alarms', () => resolve());
      socket.once('connect_error', reject);
    });
    return c;
  }

  of(order: string): Seen[] {
    return this.seen.filter((s) => s.alarm.order === order);
  }

  popups(order: string): Seen[] {
    return this.of(order).filter((s) => s.popup);
  }
}

describe('who gets an overdue alarm', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let admin: string;
  const consoles: Record<string, Console> = {};

  beforeAll(async () => {
    redis = await startTestRedis();
    // A long sweep interval: the roster edit itself must retry 无人接收 alarms.
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '600000' });
    admin = await login(server.url);
    for (const u of Object.values(USERS)) {
      const created = await send(server.url, admin, 'POST', '/api/users', {
        username: u.username,
        password: password(u.username),
        role: 'supervisor',
        ...(u.scope ? { scope: u.scope } : {}),
      });
      expect(created.status).toBe(201);
    }
    for (const u of Object.values(USERS)) consoles[u.username] = await Console.open(server.url, u.username, await login(server.url, u.username, password(u.username)));
    consoles['admin'] = await Console.open(server.url, 'admin', admin);
  });
  afterEach(() => {
    for (const c of Object.values(consoles)) c.seen.length = 0;
  });
  afterAll(async () => {
    for (const c of Object.values(consoles)) c.socket.close();
    await server?.stop();
    await redis?.cleanup();
  });

  async function roster(body: Record<string, unknown>) {
    const res = await send(server.url, admin, 'PUT', '/api/roster', { ackTimeoutMinutes: 5, ...body });
    expect(res.status).toBe(200);
  }

  async function raise(unit: string) {
    const order = dispatch(unit);
    expect((await postFeed(server.url, order.events)).body.accepted).toBe(2);
    return order;
  }

  async function firstPopup(c: Console, order: string, timeout = 10_000): Promise<Seen> {
    await expect.poll(() => c.popups(order).length, { timeout, interval: 50 }).toBeGreaterThan(0);
    return c.popups(order)[0]!;
  }

  /** The alarm as the server stores it, from the admin's list. */
  async function stored(order: string): Promise<Alarm> {
    const all = await getJson<Alarm[]>(server.url, '/api/alarms?state=all', admin);
    return all.body.find((a) => a.order === order)!;
  }

  async function audit(action: string): Promise<Array<{ detail: Record<string, unknown> }>> {
    return (await getJson<Array<{ detail: Record<string, unknown> }>>(server.url, `/api/audit?action=${action}`, admin)).body;
  }

  it('the on-duty supervisor whose scope covers the alarm gets the popup; the out-of-scope one never receives it', async () => {
    await roster({
      shifts: [
        { user: USERS.yq.username, level: 'supervisor' },
        { user: USERS.ra.username, level: 'supervisor' },
      ],
      fallback: { '*': USERS.officer.username },
    });
    const order = await raise('ruian.power');
    const popup = await firstPopup(consoles[USERS.ra.username]!, order.order);
    expect(popup).toMatchObject({ kind: 'raised', alarm: { recipients: [USERS.ra.username], route: 'duty', level: 0 } });
    expect(popup.at - order.due).toBeLessThan(2000);
    // The admin and the all-scope officer see it, without a popup.
    await expect.poll(() => consoles['admin']!.of(order.order).length, { timeout: 2000 }).toBeGreaterThan(0);
    expect(consoles['admin']!.popups(order.order)).toHaveLength(0);
    expect(consoles[USERS.officer.username]!.of(order.order).length).toBeGreaterThan(0);
    expect(consoles[USERS.officer.username]!.popups(order.order)).toHaveLength(0);
    // Out of scope: nothing at all, not even the list change.
    await new Promise((r) => setTimeout(r, 1000));
    expect(consoles[USERS.yq.username]!.of(order.order)).toHaveLength(0);
  });

  it("nobody on duty in scope: the '*' fallback officer (issue 17's case: only a 乐清 supervisor on duty, alarm in 瑞安)", async () => {
    await roster({ shifts: [{ user: USERS.yq.username, level: 'supervisor' }], fallback: { '*': USERS.officer.username } });
    const order = await raise('ruian.police');
    const popup = await firstPopup(consoles[USERS.officer.username]!, order.order);
    expect(popup.alarm).toMatchObject({ recipients: [USERS.officer.username], route: 'fallback' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(consoles[USERS.yq.username]!.of(order.order)).toHaveLength(0);
  });

  it("the center's own fallback officer before '*'", async () => {
    await roster({ shifts: [{ user: USERS.yq.username, level: 'supervisor' }], fallback: { ruian: USERS.ra.username, '*': USERS.officer.username } });
    const order = await raise('ruian.water');
    const popup = await firstPopup(consoles[USERS.ra.username]!, order.order);
    expect(popup.alarm).toMatchObject({ recipients: [USERS.ra.username], route: 'fallback' });
    expect(consoles[USERS.officer.username]!.popups(order.order)).toHaveLength(0);
  });

  it('a fallback with no user behind it: the leaders on duty', async () => {
    await roster({
      shifts: [
        { user: USERS.yq.username, level: 'supervisor' },
        { user: USERS.boss.username, level: 'leader' },
      ],
      fallback: { '*': 'nobody-by-that-name' },
    });
    const order = await raise('ruian.fire');
    const popup = await firstPopup(consoles[USERS.boss.username]!, order.order);
    expect(popup.alarm).toMatchObject({ recipients: [USERS.boss.username], route: 'leaders', level: 0 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(consoles[USERS.yq.username]!.of(order.order)).toHaveLength(0);
  });

  it('nobody at all: 无人接收 on the consoles and the wall, audited, and a roster edit finds the right person', async () => {
    await roster({ shifts: [{ user: USERS.yq.username, level: 'supervisor' }], fallback: { '*': 'nobody-by-that-name' } });
    const order = await raise('ruian.health');
    await expect.poll(() => consoles['admin']!.of(order.order).length, { timeout: 10_000, interval: 50 }).toBeGreaterThan(0);
    const raised = consoles['admin']!.of(order.order)[0]!;
    expect(raised).toMatchObject({ kind: 'raised', popup: false, alarm: { recipients: [], route: 'none' } });
    for (const c of Object.values(consoles)) expect(c.popups(order.order)).toHaveLength(0);
    expect((await stored(order.order)).route).toBe('none');
    expect((await audit('alarm.unreached')).some((e) => e.detail['order'] === order.order)).toBe(true);
    // The wall takes the alarm at its next push (throttled), not in the same instant.
    await expect
      .poll(async () => (await wallSnapshot(server.url, admin)).sections.overdue.items.find((i) => i.order === order.order && i.limit === 'sign'), { timeout: 3000 })
      .toMatchObject({ unreached: true, acknowledgedBy: null });

    await roster({
      shifts: [
        { user: USERS.yq.username, level: 'supervisor' },
        { user: USERS.ra.username, level: 'supervisor' },
      ],
      fallback: {},
    });
    const popup = await firstPopup(consoles[USERS.ra.username]!, order.order, 5000);
    expect(popup).toMatchObject({ kind: 'rerouted', alarm: { recipients: [USERS.ra.username], route: 'duty' } });
    expect((await audit('alarm.reroute')).some((e) => e.detail['id'] === raised.alarm.id)).toBe(true);
    await expect
      .poll(async () => (await wallSnapshot(server.url, admin)).sections.overdue.items.find((i) => i.order === order.order && i.limit === 'sign')?.unreached, { timeout: 5000 })
      .toBe(false);
    expect(consoles[USERS.yq.username]!.of(order.order)).toHaveLength(0);
  });

  it('not acknowledged in time: the escalation reaches the leader', async () => {
    await roster({
      shifts: [
        { user: USERS.ra.username, level: 'supervisor' },
        { user: USERS.boss.username, level: 'leader' },
      ],
      ackTimeoutMinutes: ACK_MIN,
    });
    const order = await raise('ruian.market');
    const first = await firstPopup(consoles[USERS.ra.username]!, order.order);
    expect(consoles[USERS.boss.username]!.popups(order.order)).toHaveLength(0);
    const escalated = await firstPopup(consoles[USERS.boss.username]!, order.order, 10_000);
    expect(escalated).toMatchObject({ kind: 'escalated', alarm: { level: 1, recipients: [USERS.boss.username], route: 'duty' } });
    const waited = escalated.at - first.at;
    console.log(`escalated ${waited} ms after the first popup (timeout ${ACK_MIN * 60_000} ms)`);
    expect(waited).toBeGreaterThanOrEqual(ACK_MIN * 60_000 - 500);
    expect(waited).toBeLessThan(ACK_MIN * 60_000 + 3000);
    // Audited with it, by the server (no address).
    const entries = (await getJson<Array<{ who: string; ip: string | null; detail: Record<string, unknown> }>>(server.url, '/api/audit?action=alarm.escalate', admin)).body;
    expect(entries.filter((e) => e.detail['id'] === escalated.alarm.id)).toEqual([
      expect.objectContaining({ who: 'system', ip: null, detail: { id: escalated.alarm.id, level: 1, recipients: [USERS.boss.username], route: 'duty' } }),
    ]);
  });

  it('a configured ladder: supervisor -> leader -> 中心主任, each after its own timeout', async () => {
    await roster({
      shifts: [
        { user: USERS.ra.username, level: 'supervisor' },
        { user: USERS.boss.username, level: 'leader' },
        { user: USERS.director.username, level: 'director' },
      ],
      ladder: [
        { level: 'supervisor', ackTimeoutMinutes: ACK_MIN },
        { level: 'leader', ackTimeoutMinutes: ACK_MIN * 2 },
        { level: 'director', label: '中心主任' },
      ],
    });
    const order = await raise('ruian.transport');
    const first = await firstPopup(consoles[USERS.ra.username]!, order.order);
    const leader = await firstPopup(consoles[USERS.boss.username]!, order.order, 10_000);
    const director = await firstPopup(consoles[USERS.director.username]!, order.order, 15_000);
    expect(leader.alarm).toMatchObject({ level: 1, recipients: [USERS.boss.username] });
    expect(director.alarm).toMatchObject({ level: 2, recipients: [USERS.director.username] });
    console.log(`ladder: leader after ${leader.at - first.at} ms, director ${director.at - leader.at} ms later`);
    expect(leader.at - first.at).toBeGreaterThanOrEqual(ACK_MIN * 60_000 - 500);
    expect(director.at - leader.at).toBeGreaterThanOrEqual(ACK_MIN * 2 * 60_000 - 500);
    expect(consoles[USERS.director.username]!.popups(order.order).filter((p) => p.alarm.level < 2)).toHaveLength(0);
    const ra = await login(server.url, USERS.ra.username, password(USERS.ra.username));
    await send(server.url, ra, 'POST', `/api/alarms/${first.alarm.id}/ack`, {});
  });

  it('an acknowledgement in time stops the escalation', async () => {
    await roster({
      shifts: [
        { user: USERS.ra.username, level: 'supervisor' },
        { user: USERS.boss.username, level: 'leader' },
      ],
      ackTimeoutMinutes: ACK_MIN,
    });
    const order = await raise('ruian.street');
    const first = await firstPopup(consoles[USERS.ra.username]!, order.order);
    const ra = await login(server.url, USERS.ra.username, password(USERS.ra.username));
    expect((await send(server.url, ra, 'POST', `/api/alarms/${first.alarm.id}/ack`, { note: '已督促' })).status).toBe(200);
    // Past the timeout and then some: no escalation, no popup for the leader.
    await new Promise((r) => setTimeout(r, ACK_MIN * 60_000 + 2500));
    expect(consoles[USERS.boss.username]!.popups(order.order)).toHaveLength(0);
    expect(await stored(order.order)).toMatchObject({ level: 0, acknowledgedBy: USERS.ra.username });
  });
});

async function wallSnapshot(url: string, token: string): Promise<WallSnapshot> {
  const socket = io(`${url}${WALL_NAMESPACE}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    return await new Promise<WallSnapshot>((resolve, reject) => {
      socket.once('snapshot', resolve);
      socket.once('connect_error', reject);
      setTimeout(() => reject(new Error('no wall snapshot in 5 s')), 5000);
    });
  } finally {
    socket.close();
  }
}

import { SUPERVISOR_NAMESPACE, type Alarm, type AlarmChange } from '@wall/shared';
import { io, type Socket } from 'socket.io-client';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/wait.js';
import { getJson, login, postFeed, type RunningServer } from './support/server.js';
import { startStack, type Stack } from './support/stack.js';

// The server's wall clock steps forwards and backwards (libfaketime, changed at run time
// through a file) while Redis keeps real time. Alarms must come once, on time, whatever the
// step: due times come from event times, decisions read Redis's clock, and the sweeper runs
// on the process's monotonic timer. BullMQ's delayed jobs are timed by the server's wall clock,
// so a step would hold a job back (or fire it early): the server sees the step and moves the
// delayed jobs to keep their instants, a job fired early schedules itself again. The alarm
// comes from its own job within a second of due, never from the sweeper (whose 5 s grace
// would show). Each alarm pages the supervisor on duty once.

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const SWEEP_INTERVAL_MS = 1000;

describe('a server clock step', () => {
  let stack: Stack;
  let server: RunningServer;
  let token: string;
  let console_: Socket;
  const changes: Array<AlarmChange & { popup: boolean }> = [];
  let dir: string;
  let offsetFile: string;
  const step = (offset: string) => writeFileSync(offsetFile, `${offset}\n`);

  beforeAll(async () => {
    expect(existsSync(LIBFAKETIME), 'libfaketime (Debian package faketime) is needed: .ci/run installs it').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'wall-clock-'));
    offsetFile = join(dir, 'offset');
    step('+0');
    stack = await startStack({
      env: {
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME_TIMESTAMP_FILE: offsetFile,
        FAKETIME_NO_CACHE: '1',
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
        SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
      },
    });
    server = stack.server;
    token = await login(server.url);
    const post = (path: string, body: unknown, method = 'POST') =>
      fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/users', { username: 'sup-wencheng', password: 'sup-pass-123', role: 'supervisor', scope: { centers: ['wencheng'] } })).status).toBe(201);
    expect((await post('/api/roster', { shifts: [{ user: 'sup-wencheng', level: 'supervisor' }], ackTimeoutMinutes: 600 }, 'PUT')).status).toBe(200);
    console_ = io(`${server.url}${SUPERVISOR_NAMESPACE}`, { auth: { token: await login(server.url, 'sup-wencheng', 'sup-pass-123') }, transports: ['websocket'], forceNew: true });
    console_.on('alarm', (c) => changes.push(c));
    await new Promise((resolve) => console_.once('alarms', resolve));
  });
  afterAll(async () => {
    console_?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const order = async (name: string, signMinutes: number) => {
    const now = Date.now();
    await postFeed(server.url, [
      { id: `${name}-r`, type: 'incident.reported', at: new Date(now - 1000).toISOString(), incident: name, center: 'wencheng', kind: 'alarm', category: '测试' },
      {
        id: `${name}-d`,
        type: 'order.dispatched',
        at: new Date(now).toISOString(),
        incident: name,
        order: `${name}-o`,
        unit: 'wencheng.power',
        deadlines: { signMinutes, arriveMinutes: 600, feedbackMinutes: 600 },
      },
    ]);
    return now + signMinutes * 60_000;
  };
  const alarmsOf = async (name: string) => (await getJson<Alarm[]>(server.url, '/api/alarms?state=all', token)).body.filter((a) => a.order === `${name}-o`);
  const sweeperLines = () =>
    server
      .output()
      .split('\n')
      .filter((l) => l.includes('sweeper raised')).length;
  const popupsOf = (name: string) => changes.filter((c) => c.popup && c.alarm.order === `${name}-o`).map((c) => c.kind);

  it('forwards by two hours: the alarm comes once, not early, not suppressed as old, within a second of due by its own job, one popup', async () => {
    const sweptBefore = sweeperLines();
    const due = await order('fwd', 0.2); // 12 s
    await new Promise((r) => setTimeout(r, 1000));
    step('+2h');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await alarmsOf('fwd')).toHaveLength(0); // nothing is due yet in real time
    const raised = await until(async () => (await alarmsOf('fwd'))[0], 20_000);
    expect(raised).toBeDefined();
    const late = Date.parse(raised!.raisedAt) - due;
    expect(late).toBeGreaterThanOrEqual(0);
    // Its own job raised it, within a second of due: the delayed jobs were moved by the step.
    expect(late).toBeLessThan(1000);
    expect(sweeperLines() - sweptBefore, `raised ${late} ms late`).toBe(0);
    step('+0');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await alarmsOf('fwd')).toHaveLength(1);
    expect(popupsOf('fwd')).toEqual(['raised']);
  });

  it('backwards by an hour: the alarm comes within a second of due by its own job, and once when the clock returns, one popup', async () => {
    const sweptBefore = sweeperLines();
    const due = await order('back', 0.1); // 6 s
    await new Promise((r) => setTimeout(r, 500));
    step('-1h');
    const raised = await until(async () => (await alarmsOf('back'))[0], 20_000);
    expect(raised).toBeDefined();
    const late = Date.parse(raised!.raisedAt) - due;
    expect(late).toBeGreaterThanOrEqual(0);
    // Its own job raised it, within a second of due: the delayed jobs were moved by the step.
    expect(late).toBeLessThan(1000);
    expect(sweeperLines() - sweptBefore, `raised ${late} ms late`).toBe(0);
    step('+0');
    await new Promise((r) => setTimeout(r, 4000));
    expect(await alarmsOf('back')).toHaveLength(1);
    expect(popupsOf('back')).toEqual(['raised']);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});

import type { Alarm } from '@wall/shared';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/wait.js';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// The server's wall clock steps forwards and backwards (libfaketime, changed at run time
// through a file) while Redis keeps real time. Alarms must come once, on time, whatever the
// step: due times come from event times, decisions read Redis's clock, and the sweeper runs
// on the process's monotonic timer.

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

describe('a server clock step', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let token: string;
  let dir: string;
  let offsetFile: string;
  const step = (offset: string) => writeFileSync(offsetFile, `${offset}\n`);

  beforeAll(async () => {
    expect(existsSync(LIBFAKETIME), 'libfaketime (Debian package faketime) is needed: .ci/run installs it').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'wall-clock-'));
    offsetFile = join(dir, 'offset');
    step('+0');
    redis = await startTestRedis();
    server = await startServer(redis.url, {
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME_TIMESTAMP_FILE: offsetFile,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      SWEEP_INTERVAL_MS: '1000',
    });
    token = await login(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const order = async (name: string, signMinutes: number) => {
    const now = Date.now();
    await postFeed(server.url, [
      { id: `${name}-r`, type: 'incident.reported', at: new Date(now - 1000).toISOString(), incident: name, center: 'wencheng', kind: 'alarm', category: '测试' },
      { id: `${name}-d`, type: 'order.dispatched', at: new Date(now).toISOString(), incident: name, order: `${name}-o`, unit: 'wencheng.power', deadlines: { signMinutes, arriveMinutes: 600, feedbackMinutes: 600 } },
    ]);
    return now + signMinutes * 60_000;
  };
  const alarmsOf = async (name: string) => (await getJson<Alarm[]>(server.url, '/api/alarms?state=all', token)).body.filter((a) => a.order === `${name}-o`);

  it('forwards by two hours: the alarm comes once, at its due time, not early and not suppressed as old', async () => {
    const due = await order('fwd', 0.2); // 12 s
    await new Promise((r) => setTimeout(r, 1000));
    step('+2h');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await alarmsOf('fwd')).toHaveLength(0); // nothing is due yet in real time
    const raised = await until(async () => (await alarmsOf('fwd'))[0], 20_000);
    expect(raised).toBeDefined();
    const late = Date.parse(raised!.raisedAt) - due;
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(7000); // its job, or at worst the sweeper's grace and round
    step('+0');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await alarmsOf('fwd')).toHaveLength(1);
  });

  it('backwards by an hour: the alarm still comes on time (the sweeper), and once when the clock returns', async () => {
    const due = await order('back', 0.1); // 6 s
    await new Promise((r) => setTimeout(r, 500));
    step('-1h');
    const raised = await until(async () => (await alarmsOf('back'))[0], 20_000);
    expect(raised).toBeDefined();
    const late = Date.parse(raised!.raisedAt) - due;
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(8000);
    step('+0');
    await new Promise((r) => setTimeout(r, 4000));
    expect(await alarmsOf('back')).toHaveLength(1);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});

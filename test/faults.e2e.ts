import { Zone, generateMonth, projectEvents, parseStored, DEFAULT_INDEX, monthlyReport, type Alarm, type FeedEvent } from '@wall/shared';
import { Redis } from 'ioredis';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, waitForWallSeq, gotoWithToken } from './support/browser.js';
import { holdingProxy } from './support/proxy.js';
import { FEED_TOKEN, getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { startStack, type Stack } from './support/stack.js';
import { until } from './support/wait.js';

// Faults against real processes: the server killed -9 at the two moments of a batch that
// matter, Redis killed and restarted, Redis away for a while, stops with Redis broken.
// Nothing acknowledged may be lost, nothing may be doubled. What Redis holds is read with a
// raw client, not from the server that may still have it in memory.

const ZONE = new Zone('Asia/Shanghai');
type Report = ReturnType<typeof monthlyReport>;
const ENV = { SWEEP_INTERVAL_MS: '1000' };
const DELAYED = 'wall:bull:deadlines:delayed';

async function health(url: string): Promise<{ status: number; body: { seq: number; redis: string } }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: (await res.json()) as { seq: number; redis: string } };
}

function monthOf(seed: number, month: string): FeedEvent[] {
  const from = ZONE.startOfMonth(month);
  const to = ZONE.startOfMonth(month.endsWith('-12') ? `${Number(month.slice(0, 4)) + 1}-01` : `${month.slice(0, 5)}${String(Number(month.slice(5)) + 1).padStart(2, '0')}`);
  return generateMonth(seed, from, to, (t) => ZONE.parts(t).hour, 30);
}

function expectedReport(events: FeedEvent[], month: string): Report {
  return monthlyReport(
    projectEvents(
      events.map((e) => parseStored(JSON.stringify(e))),
      DEFAULT_INDEX,
      ZONE,
    ),
    month,
    DEFAULT_INDEX,
  );
}

function postRaw(url: string, body: string): Promise<Response | Error> {
  return fetch(`${url}/api/feed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${FEED_TOKEN}` },
    body,
  }).catch((e: Error) => e);
}

describe('faults', () => {
  let stack: Stack;
  const server = () => stack.server;

  beforeAll(async () => {
    stack = await startStack({ fsync: 'always', env: ENV });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('the embedded Redis (no REDIS_URL) runs with appendonly yes, appendfsync always and hz 100', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wall-embedded-'));
    const own = await startServer(null, { DATA_DIR: dataDir });
    try {
      const pid = Number(readFileSync(join(dataDir, 'redis/redis.pid'), 'utf8'));
      // redis-server sets its title to "redis-server 127.0.0.1:<port>".
      const port = Number(/:(\d+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1]);
      expect(port).toBeGreaterThan(0);
      // The embedded Redis is password-protected; the password is in the installation's credentials file.
      const { redisPassword } = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as { redisPassword: string };
      const raw = new Redis({ port, host: '127.0.0.1', password: redisPassword, lazyConnect: true });
      await raw.connect();
      try {
        expect(await raw.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
        expect(await raw.config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
        expect(await raw.config('GET', 'hz')).toEqual(['hz', '100']);
        expect(await raw.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      } finally {
        raw.disconnect();
      }
    } finally {
      await own.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('kill -9 after Redis stored a batch but before the server had the answer: the retry finds 5,000 duplicates', async () => {
    const events = monthOf(5, '2020-07').slice(0, 5000);
    const before = await stack.raw.xlen('wall:events');
    // The batch reaches Redis; Redis's answer is held back from the server, which is then killed.
    const proxy = await holdingProxy(stack.redis, events[0]!.id, 'reply');
    const victim = await startServer(proxy.url, ENV);
    try {
      const sent = postRaw(victim.url, JSON.stringify(events));
      await proxy.seen;
      const stored = await until(async () => ((await stack.raw.xlen('wall:events')) === before + 5000 ? true : undefined), 10_000, 5);
      expect(stored, 'Redis stored the batch').toBe(true);
      await victim.stop('SIGKILL');
      const first = await sent;
      expect(first, 'the client never got an answer').toBeInstanceOf(Error);
    } finally {
      await victim.stop('SIGKILL');
      await proxy.close();
    }
    expect(Number(await stack.raw.get('wall:seq'))).toBe(before + 5000);

    const again = await postFeed(server().url, events);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 5000, seq: before + 5000 });
    expect(await stack.raw.xlen('wall:events')).toBe(before + 5000);
    const token = await login(server().url);
    await until(async () => ((await health(server().url)).body.seq === before + 5000 ? true : undefined), 5000);
    const report = await getJson<Report>(server().url, '/api/reports/monthly?month=2020-07', token);
    expect(report.body.total).toEqual(expectedReport(events, '2020-07').total);
  });

  it('kill -9 before Redis saw the batch: nothing of it stored, the retry stores all 5,000', async () => {
    const events = monthOf(7, '2020-05').slice(0, 5000);
    const before = await stack.raw.xlen('wall:events');
    const proxy = await holdingProxy(stack.redis, events[0]!.id, 'request');
    const victim = await startServer(proxy.url, ENV);
    try {
      const sent = postRaw(victim.url, JSON.stringify(events));
      await proxy.seen;
      await victim.stop('SIGKILL');
      expect(await sent, 'the client never got an answer').toBeInstanceOf(Error);
    } finally {
      await victim.stop('SIGKILL');
      await proxy.close();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await stack.raw.xlen('wall:events')).toBe(before);
    expect(Number(await stack.raw.get('wall:seq'))).toBe(before);

    const again = await postFeed(server().url, events);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 5000, duplicates: 0, seq: before + 5000 });
    const token = await login(server().url);
    const report = await getJson<Report>(server().url, '/api/reports/monthly?month=2020-05', token);
    expect(report.body.total).toEqual(expectedReport(events, '2020-05').total);
  });

  it('killed with no shutdown save: checkpoint + tail give the same numbers as folding the whole log', async () => {
    await stack.restartServer({ env: { ...ENV, CHECKPOINT_EVERY: '1000' } });
    const events = monthOf(6, '2020-06');
    for (let i = 0; i < events.length; i += 700) expect((await postFeed(server().url, events.slice(i, i + 700))).status).toBe(200);
    const token = await login(server().url);
    const before = (await getJson<Report>(server().url, '/api/reports/monthly?month=2020-06', token)).body;
    expect(before.total).toEqual(expectedReport(events, '2020-06').total);
    await new Promise((r) => setTimeout(r, 500));
    await stack.restartServer({ signal: 'SIGKILL' });
    expect(server().output()).toMatch(/from checkpoint at seq \d+ \+ \d+ events/);
    expect((await getJson<Report>(server().url, '/api/reports/monthly?month=2020-06', await login(server().url))).body).toEqual(before);
    await stack.restartServer({ env: { ...ENV, CHECKPOINT_EVERY: '0' } });
    expect(server().output()).not.toContain('from checkpoint');
    expect((await getJson<Report>(server().url, '/api/reports/monthly?month=2020-06', await login(server().url))).body).toEqual(before);
    await stack.restartServer({ env: ENV });
  });

  it('Redis killed -9 and restarted (AOF, fsync always): Redis itself has the log, seq, pending job and alarms; the server reconnects, a restarted server shows the same', async () => {
    const token = await login(server().url);
    const now = Date.now();
    const mk = (k: string, signMinutes: number) => [
      { id: `${k}-r`, type: 'incident.reported', at: new Date(now - 1000).toISOString(), incident: k, center: 'yueqing', kind: 'alarm', category: '测试' },
      {
        id: `${k}-d`,
        type: 'order.dispatched',
        at: new Date(now).toISOString(),
        incident: k,
        order: `${k}-o`,
        unit: 'yueqing.power',
        deadlines: { signMinutes, arriveMinutes: 60, feedbackMinutes: 120 },
      },
    ];
    const pendingDue = now + 0.25 * 60_000;
    expect((await postFeed(server().url, [...mk('alarmed', 0.02), ...mk('pending', 0.25)])).status).toBe(200);
    const open = await until(async () => (await getJson<Alarm[]>(server().url, '/api/alarms?state=open', token)).body.find((a) => a.order === 'alarmed-o'), 5000);
    expect(open).toBeDefined();
    const ack = await fetch(`${server().url}/api/alarms/${open!.id}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'before the crash' }),
    });
    expect(ack.status).toBe(200);
    const seqBefore = (await health(server().url)).body.seq;
    const reportBefore = (await getJson<Report>(server().url, '/api/reports/monthly?month=2020-07', token)).body;
    const alarmsBefore = (await getJson<Alarm[]>(server().url, '/api/alarms?state=all', token)).body;
    const rawBefore = {
      xlen: await stack.raw.xlen('wall:events'),
      seq: await stack.raw.get('wall:seq'),
      delayed: await stack.raw.zrange(DELAYED, 0, -1, 'WITHSCORES'),
      alarms: await stack.raw.hgetall('wall:alarms'),
    };
    expect(rawBefore.xlen).toBe(seqBefore);
    // The pending order's job is in BullMQ's delayed set, due at its sign limit.
    expect(rawBefore.delayed.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(rawBefore.alarms)).toHaveLength(1);

    await stack.restartRedis('SIGKILL');
    expect({
      xlen: await stack.raw.xlen('wall:events'),
      seq: await stack.raw.get('wall:seq'),
      delayed: await stack.raw.zrange(DELAYED, 0, -1, 'WITHSCORES'),
      alarms: await stack.raw.hgetall('wall:alarms'),
    }).toEqual(rawBefore);
    expect(await until(async () => ((await health(server().url)).status === 200 ? true : undefined), 15_000)).toBe(true);
    expect((await health(server().url)).body.seq).toBe(seqBefore);

    // The deadline pending across the restart fires from its job, on time: not the sweeper's
    // late catch (it raises only 5 s past due and logs it).
    const late = await until(async () => (await getJson<Alarm[]>(server().url, '/api/alarms?state=all', token)).body.find((a) => a.order === 'pending-o'), 20_000);
    expect(late?.limit).toBe('sign');
    expect(Date.parse(late!.raisedAt) - pendingDue).toBeGreaterThanOrEqual(0);
    expect(Date.parse(late!.raisedAt) - pendingDue).toBeLessThan(1000);
    expect(server().output()).not.toContain('sweeper raised');

    // A server started afresh on the restarted Redis has nothing but what Redis kept.
    await stack.restartServer();
    const token2 = await login(server().url);
    expect((await health(server().url)).body.seq).toBe(seqBefore);
    expect((await getJson<Report>(server().url, '/api/reports/monthly?month=2020-07', token2)).body).toEqual(reportBefore);
    const alarmsAfter = (await getJson<Alarm[]>(server().url, '/api/alarms?state=all', token2)).body;
    const acked = alarmsAfter.find((a) => a.order === 'alarmed-o');
    expect(acked).toEqual(alarmsBefore.find((a) => a.order === 'alarmed-o'));
    expect(acked).toMatchObject({ acknowledgedBy: 'admin', note: 'before the crash' });
    expect(alarmsAfter.map((a) => a.order).sort()).toEqual(['alarmed-o', 'pending-o']);
  });

  describe('Redis away', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('the feed answers 503 at once, health 503, the wall page shows 数据连接中断 with the time, and all recovers by itself', async () => {
      const token = await login(server().url);
      const wall = await openPage(browser);
      try {
        const { page } = wall;
        const seq = (await health(server().url)).body.seq;
        await gotoWithToken(page, server().url, `/`, token);
        await waitForWallSeq(page, seq);
        expect(await page.getByTestId('conn-banner').count()).toBe(0);

        await stack.stopRedis();
        const wentDown = Date.now();
        const res = await postFeed(server().url, [{ id: 'while-down', type: 'incident.closed', at: new Date().toISOString(), incident: 'x' }]);
        expect(res.status).toBe(503);
        expect(Date.now() - wentDown).toBeLessThan(1000);
        expect((await health(server().url)).status).toBe(503);
        const banner = page.getByTestId('conn-banner');
        await banner.waitFor({ state: 'visible', timeout: 10_000 });
        const text = (await banner.textContent())!.replace(/\s+/g, ' ');
        expect(text).toContain('数据连接中断');
        expect(text).toContain('服务器正在自动重连数据库');
        // The time it went down, as the wall's clock shows it (Shanghai), to the minute.
        const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
        const minutes = [wentDown - 5000, wentDown, wentDown + 5000].map((t) => hhmm.format(t));
        expect(
          minutes.some((m) => text.includes(m)),
          `${text} names none of ${minutes.join(', ')}`,
        ).toBe(true);
        await screenshot(page, 'faults-redis-away');

        await stack.startRedis();
        expect(await until(async () => ((await health(server().url)).status === 200 ? true : undefined), 15_000)).toBe(true);
        const after = await postFeed(server().url, [{ id: 'after-up', type: 'incident.closed', at: new Date().toISOString(), incident: 'x' }]);
        expect(after.status).toBe(200);
        expect(after.body).toMatchObject({ accepted: 1, seq: seq + 1 });
        await banner.waitFor({ state: 'detached', timeout: 10_000 });
        // The live projection follows the stream again: the page reaches the new seq.
        await waitForWallSeq(page, seq + 1, 10_000);
        expect(await page.evaluate(() => (window as unknown as { __wall: { seq: number } }).__wall.seq)).toBe(seq + 1);
        expect(wall.errors).toEqual([]);
      } finally {
        await wall.close();
      }
    });
  });

  /**
   * A stack of its own whose Redis is then broken by `breakRedis`; stopped after `run`.
   * Hung (SIGSTOP: connections stay open, nothing answers) is the case where a stop would wait
   * for ever. Gone outright may or may not leave a stop waiting (that races ioredis' reconnect),
   * so it cannot be the fixture that proves the deadline.
   */
  async function withOwnServer(shutdownMs: number, breakRedis: 'hung' | 'gone', run: (own: RunningServer, exited: Promise<number | null>) => Promise<void>): Promise<void> {
    const own = await startStack({ env: { SHUTDOWN_TIMEOUT_MS: String(shutdownMs) } });
    const pid = own.redis.pid;
    try {
      if (breakRedis === 'hung') {
        // An event since the last checkpoint: the stop then has to save one and waits on Redis.
        // Without it a stop may need no answer at all (a connection not yet ready just closes).
        const fed = await postFeed(own.server.url, [{ id: `before-hang-${Date.now()}`, type: 'incident.closed', at: new Date().toISOString(), incident: 'x' }]);
        expect(fed.status).toBe(200);
        await until(async () => ((await health(own.server.url)).body.seq >= fed.body.seq ? true : undefined), 5000);
        process.kill(pid, 'SIGSTOP');
      } else {
        await own.stopRedis();
        await until(async () => ((await health(own.server.url)).status === 503 ? true : undefined), 10_000);
      }
      await run(own.server, new Promise((resolve) => own.server.child.once('exit', (code) => resolve(code))));
    } finally {
      await own.server.stop('SIGKILL');
      if (breakRedis === 'hung') process.kill(pid, 'SIGCONT');
      await own.stop();
    }
  }

  // A stop's bounds: the deadline plus the process's own exit (well under a second here).
  const EXIT_MS = 1000;

  it('a stop with Redis hung ends by SHUTDOWN_TIMEOUT_MS instead of waiting for it for ever', async () => {
    await withOwnServer(1500, 'hung', async (own, exited) => {
      const started = Date.now();
      own.child.kill('SIGTERM');
      const code = await exited;
      const tookMs = Date.now() - started;
      expect(code).toBe(1);
      expect(tookMs).toBeGreaterThanOrEqual(1500);
      expect(tookMs).toBeLessThan(1500 + EXIT_MS);
      expect(own.output()).toMatch(/the stop did not finish in 1500 ms/);
    });
  });

  it('a second signal ends a stop at once', async () => {
    await withOwnServer(60_000, 'hung', async (own, exited) => {
      own.child.kill('SIGTERM');
      await until(async () => (/SIGTERM: stopping/.test(own.output()) ? true : undefined), 5000, 20);
      const started = Date.now();
      own.child.kill('SIGINT');
      expect(await exited).toBe(1);
      expect(Date.now() - started).toBeLessThan(EXIT_MS);
      expect(own.output()).toMatch(/SIGINT again: exiting without finishing the stop/);
    });
  });

  it('a stop with Redis gone ends too, within SHUTDOWN_TIMEOUT_MS', async () => {
    await withOwnServer(3000, 'gone', async (own, exited) => {
      const started = Date.now();
      own.child.kill('SIGTERM');
      // 0 when the stop finished without Redis, 1 when the deadline ended it: either way it ends.
      expect([0, 1]).toContain(await exited);
      expect(Date.now() - started).toBeLessThan(3000 + EXIT_MS);
    });
  });
});

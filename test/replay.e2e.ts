import {
  ReferenceIndex,
  WALL_NAMESPACE,
  Zone,
  LIMIT_NAMES,
  buildWallSections,
  dueAt,
  generateMonth,
  limitStatus,
  milestoneAt,
  projectEvents,
  type Alarm,
  type ClientToServerEvents,
  type FeedEvent,
  type ReferenceData,
  type ServerToClientEvents,
  type StoredEvent,
  type WallSections,
  type WallSnapshot,
} from '@wall/shared';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bannerText } from '../client/src/replay/format.js';
import { formatDuration } from '../client/src/lib/format.js';
import { overdueMarks } from '../client/src/replay/timeline.js';
import { setReportZone } from '../client/src/lib/zone.js';
import { gotoWithToken, launchBrowser, openPage, screenshot, testIdText, type TrackedPage } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// The replay page in headless Chromium against the built server and a real Redis: a generated
// August 2020 is fed in, /replay is opened, and at a seeked time the tiles, the banner and the
// whole of the wall's sections equal the shared projection of exactly the events with at <= T.
// Meanwhile live events arrive: the live wall counts only them, and the replay raises no alarm.

const zone = new Zone('Asia/Shanghai');
// The zone the pages take from the server (default TZ_REPORTS), for the client helpers used here.
setReportZone(zone.tz);
const H = 3_600_000;
const M = 60_000;
const SHANGHAI = 8 * H;
const DAY = 24 * H;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const FROM = zone.startOfMonth('2020-08');
const TO = zone.startOfMonth('2020-09');
const T = Date.parse('2020-08-14T02:10:00+08:00');
const URL_PATH = '/replay?from=2020-08-01&to=2020-08-31&speed=3600';

interface ReplayState {
  phase: string;
  t: number;
  start: number;
  end: number;
  playing: boolean;
  speed: number;
  events: number;
  applied: number;
  seeks: number[];
  frames: number[];
  loadMs: number | null;
  indexMs: number | null;
  recomputes: number;
}

function replayState(page: Page): Promise<ReplayState | null> {
  return page.evaluate(() => {
    const r = (window as unknown as { __replay?: ReplayState }).__replay;
    return r ? { ...r, seeks: [...r.seeks], frames: [...r.frames] } : null;
  });
}

async function waitReady(page: Page): Promise<ReplayState> {
  await page.waitForFunction(() => (window as unknown as { __replay?: { phase: string } }).__replay?.phase === 'ready', null, { timeout: 60_000, polling: 100 });
  return (await replayState(page))!;
}

function wallSections(page: Page): Promise<WallSections | null> {
  return page.evaluate(() => (window as unknown as { __wall: { sections: WallSections | null } }).__wall.sections);
}

const intOf = (text: string) => Number(text.replace(/,/g, ''));
/** "2020-08-14T02:10" of a whole-minute instant, Shanghai time. */
/** The rows the wall's overdue panel shows (client/src/components/OverdueList.vue, SHOWN). */
const OVERDUE_ROWS_SHOWN = 7;
const localParam = (t: number) => new Date(t + SHANGHAI).toISOString().slice(0, 16);

async function awayFromMidnight(): Promise<void> {
  const ms = (Date.now() + SHANGHAI) % DAY;
  if (ms > DAY - 3 * 60_000) await sleep(DAY - ms + 15_000);
  else if (ms < 15_000) await sleep(15_000 - ms);
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

describe('replay of a month in headless Chromium', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let browser: Browser;
  let token: string;
  let ref: ReferenceIndex;
  let stored: StoredEvent[];
  const pages: TrackedPage[] = [];
  const timings: string[] = [];

  /** The wall at T computed here: the shared projection of exactly the events with at <= T. */
  const expected = (at: number): WallSections =>
    buildWallSections(
      projectEvents(
        stored.filter((e) => e.t <= at),
        ref,
        zone,
      ),
      at,
      ref,
      zone,
    );

  async function checkWallAt(page: Page, at: number): Promise<void> {
    const want = expected(at);
    await expect.poll(async () => (await replayState(page))?.t).toBe(at);
    await expect.poll(() => testIdText(page, 'replay-banner')).toBe(bannerText(at));
    // The tiles as the DOM shows them...
    await expect.poll(async () => intOf(await testIdText(page, 'kpi-today'))).toBe(want.kpi.today);
    expect(intOf(await testIdText(page, 'kpi-month'))).toBe(want.kpi.month);
    expect(intOf(await testIdText(page, 'kpi-in-progress'))).toBe(want.kpi.inProgress);
    expect(intOf(await testIdText(page, 'kpi-overdue'))).toBe(want.kpi.overdue);
    // ...and every section the components were given.
    expect(await wallSections(page)).toEqual(JSON.parse(JSON.stringify(want)));
    // The overdue list: how long each was overdue at that moment.
    const shown = await page.getByTestId('overdue-time').allTextContents();
    expect(shown).toEqual(want.overdue.items.slice(0, OVERDUE_ROWS_SHOWN).map((i) => formatDuration(at - i.dueAt)));
    // The live clock is the virtual one.
    expect(await testIdText(page, 'clock')).toBe(new Date(at + SHANGHAI).toISOString().slice(11, 19));
  }

  /** A whole minute at which the most limits of the month were overdue (late ones, not yet met). */
  function lateMoment(): number {
    const end = projectEvents(
      stored.filter((e) => e.t < TO),
      ref,
      zone,
    );
    let best = T;
    let most = 0;
    for (const order of end.orders.values()) {
      if (!order.dispatch) continue;
      const incident = end.incidents.get(order.dispatch.incident);
      if (incident?.report?.drill) continue;
      for (const limit of LIMIT_NAMES) {
        const due = dueAt(order, limit)!;
        if (limitStatus(order, incident, limit, TO) !== 'late' || due < FROM + DAY) continue;
        const at = Math.ceil((due + 1) / M) * M;
        if (at >= milestoneAt(order, limit)!) continue;
        const n = expected(at).overdue.total;
        if (n > most) [most, best] = [n, at];
        if (most >= 3) return best;
      }
    }
    return best;
  }

  beforeAll(async () => {
    await awayFromMidnight();
    redis = await startTestRedis();
    server = await startServer(redis.url);
    token = await login(server.url);
    ref = new ReferenceIndex((await getJson<ReferenceData>(server.url, '/api/reference', token)).body);
    const events: FeedEvent[] = generateMonth(20200814, FROM, TO, (t) => zone.parts(t).hour, 40);
    for (let i = 0; i < events.length; i += 2000) {
      const answer = await postFeed(server.url, events.slice(i, i + 2000));
      expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
    }
    stored = events.map((e) => ({ ...e, t: Date.parse(e.at) }) as StoredEvent);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    if (timings.length) console.log(`replay timings:\n  ${timings.join('\n  ')}`);
    for (const p of pages) await p.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  it('opens at the `at` of the URL and shows exactly the projection of the events up to then', async () => {
    const tracked = await openPage(browser);
    pages.push(tracked);
    const { page } = tracked;
    const opened = Date.now();
    await gotoWithToken(page, server.url, `${URL_PATH}&at=2020-08-14T02:10`, token);
    const state = await waitReady(page);
    timings.push(
      `${stored.length} events of 2020-08: page open -> ready ${Date.now() - opened} ms (download ${state.loadMs?.toFixed(0)} ms, index ${state.indexMs?.toFixed(0)} ms)`,
    );
    expect(state.events).toBe(stored.filter((e) => e.t < TO).length);
    expect(state.start).toBe(FROM);
    expect(state.end).toBe(TO - 1);
    await checkWallAt(page, T);
    expect(await testIdText(page, 'link-state')).toContain('回放');
    // The scrubber got the month's incidents per hour and the overdue marks.
    const scrub = page.getByTestId('replay-scrubber');
    const endState = projectEvents(
      stored.filter((e) => e.t < TO),
      ref,
      zone,
    );
    let incidents = 0;
    for (const i of endState.incidents.values()) if (i.report && !i.report.drill && i.report.t >= FROM && i.report.t < TO) incidents++;
    expect(Number(await scrub.getAttribute('data-incidents'))).toBe(incidents);
    const marks = overdueMarks(endState, FROM, TO - 1).length;
    expect(marks).toBeGreaterThan(0); // the month has overdue limits, so the count below means something
    expect(Number(await scrub.getAttribute('data-marks'))).toBe(marks);
    // The moment is in the address bar (a link to it can be shared); no token ever is.
    expect(page.url()).toContain('at=');
    await screenshot(page, 'replay');

    // A moment with overdue orders: the list says how long each was overdue then.
    const bad = lateMoment();
    await page.goto(`${server.url}${URL_PATH}&at=${localParam(bad)}`);
    await waitReady(page);
    await checkWallAt(page, bad);
    expect(expected(bad).overdue.total).toBeGreaterThan(0);
    expect(await page.getByTestId('overdue-item').count()).toBe(Math.min(expected(bad).overdue.total, OVERDUE_ROWS_SHOWN));
    await screenshot(page, 'replay-overdue');
    expect(tracked.errors).toEqual([]);
  });

  it('seeks with the scrubber and the step buttons, and every seek answers quickly', async () => {
    const tracked = await openPage(browser);
    pages.push(tracked);
    const { page } = tracked;
    await gotoWithToken(page, server.url, `${URL_PATH}`, token);
    const state = await waitReady(page);
    await checkWallAt(page, FROM);
    const box = (await page.getByTestId('replay-scrubber').boundingBox())!;
    const xOf = (t: number) => box.x + ((t - state.start) / (state.end - state.start)) * box.width;
    const y = box.y + box.height / 2;

    // Jump around the month (forwards and backwards), then land near 08-14 02:10.
    for (const day of [28, 3, 20, 9, 31, 1, 17, 25, 6, 12]) {
      await page.mouse.click(xOf(Date.parse(`2020-08-${String(day).padStart(2, '0')}T13:00:00+08:00`)), y);
      await expect.poll(async () => Math.abs((await replayState(page))!.t - Date.parse(`2020-08-${String(day).padStart(2, '0')}T13:00:00+08:00`))).toBeLessThan(2 * H);
    }
    // A drag ends where the pointer is let go.
    await page.mouse.move(xOf(Date.parse('2020-08-02T00:00:00+08:00')), y);
    await page.mouse.down();
    for (let d = 3; d <= 14; d++) await page.mouse.move(xOf(Date.parse(`2020-08-${String(d).padStart(2, '0')}T00:00:00+08:00`)), y, { steps: 2 });
    await page.mouse.move(xOf(T), y, { steps: 2 });
    await page.mouse.up();
    await expect.poll(async () => Math.abs((await replayState(page))!.t - T)).toBeLessThan(2 * H);
    const near = (await replayState(page))!.t;
    await checkWallAt(page, near);

    // Then exactly to 02:10 with the step buttons.
    let diff = T - near;
    const hours = Math.trunc(diff / H);
    for (let i = 0; i < Math.abs(hours); i++) await page.getByTestId(hours > 0 ? 'replay-step-forward-hour' : 'replay-step-back-hour').click();
    diff -= hours * H;
    const minutes = Math.round(diff / M);
    for (let i = 0; i < Math.abs(minutes); i++) await page.getByTestId(minutes > 0 ? 'replay-step-forward-minute' : 'replay-step-back-minute').click();
    await checkWallAt(page, T);
    expect(new URL(page.url()).searchParams.get('at')).toBe('2020-08-14T02:10');

    const seeks = (await replayState(page))!.seeks;
    expect(seeks.length).toBeGreaterThan(10);
    timings.push(
      `${seeks.length} seeks in the browser (engine.seek + buildWallSections): p50 ${percentile(seeks, 50).toFixed(1)} ms, p95 ${percentile(seeks, 95).toFixed(1)} ms, max ${Math.max(...seeks).toFixed(1)} ms`,
    );
    // The goal is every seek under 300 ms; on a box shared with other test runs a rare one may
    // wait for the CPU, so the 95th percentile is what fails the test.
    expect(percentile(seeks, 95)).toBeLessThan(300);
    expect(tracked.errors).toEqual([]);
  });

  it('is reached from the live wall by an operator link, hidden on a kiosk unless asked for', async () => {
    const tracked = await openPage(browser);
    pages.push(tracked);
    const { page } = tracked;
    await gotoWithToken(page, server.url, `/`, token);
    await expect.poll(() => page.getByTestId('kpi-today').isVisible()).toBe(true);
    expect(await page.getByTestId('replay-link').count()).toBe(0);
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('replay-link').isVisible()).toBe(true);
    await page.goto(`${server.url}/?operator`);
    await expect.poll(() => page.getByTestId('replay-link').isVisible()).toBe(true);
    await page.getByTestId('replay-link').click();
    await page.waitForURL(/\/replay/);
    await waitReady(page);
    await expect.poll(() => testIdText(page, 'replay-banner')).toMatch(/^回放 \d{4}-\d{2}-01 00:00$/);
    expect(tracked.errors).toEqual([]);
  });

  it('plays at 100,000x smoothly while live events arrive: live counts only them, no alarm from the replay', async () => {
    const tracked = await openPage(browser);
    pages.push(tracked);
    const { page } = tracked;
    await gotoWithToken(page, server.url, `${URL_PATH}`, token);
    await waitReady(page);
    // Frames the page draws in two seconds: paused first (what this machine manages at the
    // moment), then playing at 100,000x.
    const countFrames = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let n = 0;
            const end = performance.now() + 2000;
            const tick = () => {
              n++;
              if (performance.now() < end) requestAnimationFrame(tick);
              else resolve(n);
            };
            requestAnimationFrame(tick);
          }),
      );
    const idleFrames = await countFrames();
    await page.getByTestId('replay-speed').selectOption('100000');
    await page.getByTestId('replay-play').click();
    await expect.poll(async () => (await replayState(page))!.playing).toBe(true);
    const before = (await replayState(page))!;
    const frames = await countFrames();
    const after = (await replayState(page))!;
    const advanced = (after.t - before.t) / H;
    const computeMs = after.frames.slice(-(after.recomputes - before.recomputes));
    timings.push(
      `playing at 100,000x: ${frames} frames in 2 s (paused: ${idleFrames}), ${after.recomputes - before.recomputes} recomputations ` +
        `(max ${Math.max(...computeMs).toFixed(1)} ms each), virtual time +${advanced.toFixed(1)} h`,
    );
    // Virtual time follows real time x speed however many frames the machine draws; the wall
    // is recomputed at most ~10 times a second, each time quickly, and the page keeps drawing
    // (the frame counts depend on the machine's load: they are reported above, not compared).
    expect(advanced).toBeGreaterThan(20);
    expect(after.recomputes - before.recomputes).toBeLessThanOrEqual(22);
    expect(after.recomputes - before.recomputes).toBeGreaterThan(5);
    expect(Math.max(...computeMs)).toBeLessThan(100);
    expect(frames).toBeGreaterThanOrEqual(10);
    // What the wall shows while playing is still exactly the projection at its virtual time.
    await page.getByTestId('replay-play').click();
    await expect.poll(async () => (await replayState(page))!.playing).toBe(false);
    await checkWallAt(page, (await replayState(page))!.t);
    await page.getByTestId('replay-play').click();

    // Live events, now, while the replay plays on.
    const now = Date.now();
    const live = Array.from({ length: 7 }, (_, i) => ({
      id: `replay-live-${i}-r`,
      type: 'incident.reported',
      at: new Date(now - 2000 - i * 1000).toISOString(),
      incident: `replay-live-${i}`,
      center: 'lucheng',
      kind: 'alarm',
      category: '交通事故',
    }));
    expect((await postFeed(server.url, live)).status).toBe(200);

    const snapshot = async (): Promise<WallSnapshot> => {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${server.url}${WALL_NAMESPACE}`, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      try {
        return await new Promise<WallSnapshot>((resolve, reject) => {
          socket.once('snapshot', resolve);
          socket.once('connect_error', reject);
        });
      } finally {
        socket.close();
      }
    };
    await expect.poll(async () => (await snapshot()).sections.kpi.today, { timeout: 10_000 }).toBe(live.length);
    expect((await replayState(page))!.playing).toBe(true);

    // The replayed month's orders are years old: no alarm for any of them, from the server's
    // ingest or from the replay (which only reads).
    const alarms = await getJson<Alarm[]>(server.url, '/api/alarms?state=all', token);
    expect(alarms.status).toBe(200);
    const replayedOrders = new Set(stored.flatMap((e) => ('order' in e ? [e.order as string] : [])));
    expect(alarms.body.filter((a) => replayedOrders.has(a.order))).toEqual([]);
    expect(tracked.errors).toEqual([]);

    // Closing the page leaves the live side as it was.
    await tracked.close();
    expect((await snapshot()).sections.kpi.today).toBe(live.length);
  });
});

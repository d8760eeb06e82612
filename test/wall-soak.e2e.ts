import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { incidentLifecycle, seededRng, type FeedEvent } from '@wall/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, gotoWithToken, heapSplit, launchBrowser, openPage, screenshot, testIdText, waitForWallSeq, type TrackedPage } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { login, postFeed, startServer, type RunningServer } from './support/server.js';

// The wall runs for weeks: its page must not keep what each update brings. Two soaks in
// headless Chromium: 200,000 events as fast as the feed takes them (big deltas, few of them),
// then thousands of small posts, one delta each (many updates). Every list on the wall is
// bounded, deltas replace sections, charts are updated in place.

/** SOAK_EVENTS / SOAK_SAMPLES make a longer run by hand (multiples of BATCH * SOAK_SAMPLES). */
const EVENTS = Number(process.env.SOAK_EVENTS ?? 200_000);
/** Fed before the page opens, so the first snapshot is a full wall, not an empty one. */
const PRELOAD = 10_000;
/** Readings during the fast soak, one after each leg of EVENTS / SAMPLES events. */
const SAMPLES = Number(process.env.SOAK_SAMPLES ?? 4);
const BATCH = 5000;
const IN_FLIGHT = 3;
/** The updates soak: SOAK_UPDATES posts of a few events, the server pushing at most every THROTTLE_MS. */
const UPDATES = Number(process.env.SOAK_UPDATES ?? 2000);
const UPDATE_EVENTS = 5;
const UPDATE_GAP_MS = 15;
const THROTTLE_MS = 10;
const UPDATE_SAMPLES = 4;
const MB = 1024 * 1024;
const SHANGHAI = 8 * 3600_000;
const DAY = 24 * 3600_000;

/**
 * The bounds hold the page's own objects, read from a heap snapshot after forced GCs with V8's
 * compiled code set apart (`heapSplit`): code grows for minutes as more functions get hot
 * (3.3 -> 5.3 MB over 1,300 updates in one run) and is no leak. In the runs these bounds come
 * from the objects stayed at 4.2-4.7 MB through 200,000 events and 1,300 updates, with one
 * reading 11 % up that the next, a second later, did not show, so each reading is the lower
 * of two a second apart: a leak stays, a transient does not. 10 % of ~4.3 MB is ~430 KB, about 200 bytes an update over 2,000 updates: keeping
 * each delta is ~22 KB an update (objects 4.3 -> 14 MB by the 500th post, seen), an element
 * added per update breaks the DOM bound by the 500th. The DOM is bounded by the layout (fixed
 * rows and tiles): 700-930 nodes in those runs, so 1.5 x the start leaves room for the lists to
 * fill, not for a node per update.
 */
const OBJECTS_GROWTH = 0.1;
const DOM_GROWTH = 1.5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Lifecycles reported in the last hours of today (Shanghai), cut at now: a busy day. */
function todayFeed(count: number, name: string): { events: FeedEvent[]; incidents: number } {
  const rng = seededRng(name.length * 7919 + 20260101);
  const now = Date.now();
  const dayStart = now - ((now + SHANGHAI) % DAY);
  const from = Math.max(dayStart + 1000, now - 6 * 3600_000);
  const run = `${name}-${now.toString(36)}`;
  const events: FeedEvent[] = [];
  for (let i = 0; events.length < count; i++) {
    events.push(...incidentLifecycle(rng, `${run}-${i}`, from + rng() * (now - from), { until: now }));
  }
  events.length = count;
  return { events, incidents: countIncidents(events) };
}

const countIncidents = (events: FeedEvent[]) => events.filter((e) => e.type === 'incident.reported' && !(e as { drill?: boolean }).drill).length;

interface Sample {
  at: string;
  rev: number;
  objects: number;
  code: number;
  dom: number;
}

/** The page's own objects and V8's code, from the lower of two readings a second apart. */
async function ownObjects(page: Page): Promise<{ objects: number; code: number }> {
  const first = await heapSplit(page);
  await sleep(1000);
  const second = await heapSplit(page);
  const low = first.objects <= second.objects ? first : second;
  return { objects: low.objects, code: low.code };
}

async function sample(page: Page, at: string): Promise<Sample> {
  const heap = await ownObjects(page);
  const { rev, dom } = await page.evaluate(() => ({
    rev: (window as unknown as { __wall: { rev: number } }).__wall.rev,
    dom: document.getElementsByTagName('*').length,
  }));
  return { at, rev, dom, ...heap };
}

const mb = (b: number) => +(b / MB).toFixed(3);

/** Figures to test-artifacts/<name>.json and the log; then each reading against the bounds. */
function judge(name: string, samples: Sample[], wall: TrackedPage, extra: Record<string, unknown>): void {
  const [start, end] = [samples[0]!, samples[samples.length - 1]!];
  const objectsAllowed = start.objects * (1 + OBJECTS_GROWTH);
  const domAllowed = Math.floor(start.dom * DOM_GROWTH);
  const figures = {
    ...extra,
    updates: end.rev - start.rev,
    objectsStartMB: mb(start.objects),
    objectsEndMB: mb(end.objects),
    objectsMaxMB: mb(Math.max(...samples.map((x) => x.objects))),
    objectsGrowthPct: +(((end.objects - start.objects) / start.objects) * 100).toFixed(2),
    objectsAllowedMB: mb(objectsAllowed),
    codeStartMB: mb(start.code),
    codeEndMB: mb(end.code),
    domStart: start.dom,
    domMax: Math.max(...samples.map((x) => x.dom)),
    domAllowed,
    samples: samples.map((x) => ({ ...x, objects: mb(x.objects), code: mb(x.code) })),
    heapMethod: 'CDP HeapProfiler.collectGarbage x2, a heap snapshot: objects = Runtime.getHeapUsage usedSize - nodes of type code; the lower of two readings a second apart',
    consoleErrors: wall.errors.length,
    at: new Date().toISOString(),
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`${name}: ${JSON.stringify(figures)}`);
  for (const x of samples) {
    expect(x.objects, `page objects at ${x.at} (rev ${x.rev}): ${mb(x.objects)} MB, allowed ${mb(objectsAllowed)}`).toBeLessThanOrEqual(objectsAllowed);
    expect(x.dom, `DOM nodes at ${x.at}`).toBeLessThanOrEqual(domAllowed);
  }
  expect(wall.errors).toEqual([]);
}

describe('the wall page over weeks of updates', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>> | undefined;
  let server: RunningServer | undefined;
  let browser: Browser;
  let wall: TrackedPage | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await wall?.close().catch(() => {});
    await server?.stop();
    await redis?.cleanup();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh server and store, `preload` events of today, and the wall page caught up on them. */
  async function openWall(preload: FeedEvent[]): Promise<{ page: Page; seq: number }> {
    redis = await startTestRedis();
    server = await startServer(redis.url, { WALL_THROTTLE_MS: String(THROTTLE_MS) });
    let seq = 0;
    for (let i = 0; i < preload.length; i += BATCH) seq = (await postFeed(server.url, preload.slice(i, i + BATCH))).body.seq;
    expect(seq).toBe(preload.length);
    wall = await openPage(browser);
    await gotoWithToken(wall.page, server.url, '/', await login(server.url));
    await waitForWallSeq(wall.page, seq);
    await sleep(2000); // charts drawn, first animations over
    return { page: wall.page, seq };
  }

  /** The page ends on the right numbers, not merely on the right seq. */
  async function expectNumbers(page: Page, incidentsToday: number): Promise<void> {
    await expect.poll(() => testIdText(page, 'kpi-today'), { timeout: 10_000 }).toBe(incidentsToday.toLocaleString('en-US'));
    expect(await page.getByTestId('conn-banner').count()).toBe(0);
    // The ticker keeps its 20 rows (a leaving row may linger for a frame).
    await expect.poll(() => page.getByTestId('ticker-item').count(), { timeout: 5000 }).toBe(20);
  }

  it(
    `keeps its objects and DOM within bounds through ${EVENTS.toLocaleString('en-US')} events sent as fast as the feed takes them`,
    { timeout: Math.max(300_000, EVENTS * 2) },
    async () => {
      const { events, incidents } = todayFeed(PRELOAD + EVENTS, 'soak');
      const { page } = await openWall(events.slice(0, PRELOAD));
      const samples = [await sample(page, 'start')];
      const bodies: string[] = [];
      for (let i = PRELOAD; i < events.length; i += BATCH) bodies.push(JSON.stringify(events.slice(i, i + BATCH)));

      let next = 0;
      let lastSeq = 0;
      let accepted = 0;
      /** Sends bodies[next..upTo) with several batches in flight, as a busy sender would. */
      const send = async (upTo: number) => {
        const sender = async () => {
          while (next < upTo) {
            const answer = await postFeed(server!.url, bodies[next++]!);
            if (answer.status !== 200) throw new Error(`feed answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
            accepted += answer.body.accepted;
            lastSeq = Math.max(lastSeq, answer.body.seq);
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
      };
      const t0 = Date.now();
      let pushMs = 0;
      const perLeg = bodies.length / SAMPLES;
      for (let leg = 1; leg <= SAMPLES; leg++) {
        const legStart = Date.now();
        await send(leg * perLeg);
        pushMs += Date.now() - legStart;
        await waitForWallSeq(page, lastSeq, 120_000);
        samples.push(await sample(page, `${(leg * perLeg * BATCH).toLocaleString('en-US')} events`));
      }
      expect(accepted).toBe(EVENTS);
      expect(lastSeq).toBe(PRELOAD + EVENTS);
      await expectNumbers(page, incidents);
      await screenshot(page, 'wall-soak');
      judge('wall-soak', samples, wall!, {
        events: EVENTS,
        preloadEvents: PRELOAD,
        batch: BATCH,
        inFlight: IN_FLIGHT,
        pushMs,
        eventsPerSec: Math.round((EVENTS * 1000) / pushMs),
        soakMs: Date.now() - t0,
      });
    },
  );

  it(`keeps its objects and DOM within bounds through ${UPDATES.toLocaleString('en-US')} updates, one delta each`, { timeout: Math.max(300_000, UPDATES * 200) }, async () => {
    const { events, incidents } = todayFeed(PRELOAD + UPDATES * UPDATE_EVENTS, 'updates');
    const { page } = await openWall(events.slice(0, PRELOAD));
    const samples = [await sample(page, 'start')];
    const t0 = Date.now();
    let lastSeq = 0;
    for (let post = 1; post <= UPDATES; post++) {
      const from = PRELOAD + (post - 1) * UPDATE_EVENTS;
      const answer = await postFeed(server!.url, events.slice(from, from + UPDATE_EVENTS));
      expect(answer.status).toBe(200);
      lastSeq = answer.body.seq;
      await sleep(UPDATE_GAP_MS);
      if (post % (UPDATES / UPDATE_SAMPLES) === 0) {
        await waitForWallSeq(page, lastSeq, 60_000);
        samples.push(await sample(page, `${post} posts`));
      }
    }
    expect(lastSeq).toBe(events.length);
    await expectNumbers(page, incidents);
    const updates = samples[samples.length - 1]!.rev - samples[0]!.rev;
    judge('wall-soak-updates', samples, wall!, { posts: UPDATES, eventsPerPost: UPDATE_EVENTS, gapMs: UPDATE_GAP_MS, throttleMs: THROTTLE_MS, soakMs: Date.now() - t0 });
    // Thousands of updates, each applied: the throttle may merge a few posts into one delta.
    expect(updates, 'wall revisions during the posts').toBeGreaterThanOrEqual(UPDATES * 0.9);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { incidentLifecycle, seededRng, type FeedEvent } from '@wall/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, heapObjectsAfterGc, launchBrowser, openPage, screenshot, testIdText, waitForWallSeq, type TrackedPage } from './support/browser.js';
import { login, postFeed, type RunningServer } from './support/server.js';
import { startStack, type Stack } from './support/stack.js';

// The soak: the wall page open in headless Chromium while at least 200,000 events arrive as
// fast as the feed takes them, then thousands of small updates, one wall delta each. The
// page's own objects on the JS heap (after forced GC, V8's compiled code set apart: it grows
// as V8 optimizes hot functions, long after the objects stopped growing) must end within 10 %
// of where they were once the wall was full and warm, and the DOM within 10 % of its node
// count then: every list on the wall is bounded, deltas replace sections, charts are updated
// in place.

/** SOAK_EVENTS / SOAK_SAMPLES make a longer run by hand (multiples of BATCH * SOAK_SAMPLES). */
const EVENTS = Number(process.env.SOAK_EVENTS ?? 200_000);
/** Fed before the page opens, so the first snapshot is a full wall, not an empty one. */
const PRELOAD = 10_000;
/** Heap readings during the soak, one after each leg of EVENTS / SAMPLES events. */
const SAMPLES = Number(process.env.SOAK_SAMPLES ?? 4);
const BATCH = 5000;
const IN_FLIGHT = 3;
const MB = 1024 * 1024;
const SHANGHAI = 8 * 3600_000;
const DAY = 24 * 3600_000;
/** The server's delta throttle here: small posts a little further apart give one delta each. */
const THROTTLE_MS = 20;
/** Small posts before the start reading (the page warm) and at the end (the updates counted). */
const WARM_POSTS = 200;
const TRICKLE_POSTS = Number(process.env.SOAK_TRICKLE ?? 2000);
const TRICKLE_EVENTS = 5;
const TRICKLE_GAP_MS = THROTTLE_MS + 5;
/** The README's bound on the page's own objects, and the DOM's. */
const OBJECTS_GROWTH = 0.1;
const DOM_GROWTH = 0.1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Lifecycles reported in the last hours of today (Shanghai), cut at now: a busy day. */
function todayFeed(count: number, name = 'soak'): { events: FeedEvent[]; incidents: number } {
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
  const incidents = events.filter((e) => e.type === 'incident.reported' && !(e as { drill?: boolean }).drill).length;
  return { events, incidents };
}

const revOf = (page: Page) => page.evaluate(() => (window as unknown as { __wall: { rev: number } }).__wall.rev);
const domNodes = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);

describe('the wall page under a 200,000-event soak', () => {
  let stack: Stack;
  let server: RunningServer;
  let browser: Browser;
  let wall: TrackedPage | undefined;

  beforeAll(async () => {
    stack = await startStack({ env: { WALL_THROTTLE_MS: String(THROTTLE_MS) } });
    server = stack.server;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await wall?.close().catch(() => {});
    await browser?.close();
    await stack?.stop();
  });

  it('keeps the page\'s own objects and its DOM within 10 % over 200,000 events and thousands of updates, and ends on the right numbers', { timeout: Math.max(400_000, EVENTS * 2) }, async () => {
    const { events, incidents } = todayFeed(PRELOAD + EVENTS);
    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += BATCH) bodies.push(JSON.stringify(events.slice(i, i + BATCH)));

    let next = 0;
    let lastSeq = 0;
    let accepted = 0;
    /** Sends bodies[next..upTo) with several batches in flight, as a busy sender would. */
    const send = async (upTo: number) => {
      const sender = async () => {
        while (next < upTo) {
          const body = bodies[next++]!;
          const answer = await postFeed(server.url, body);
          if (answer.status !== 200) throw new Error(`feed answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
          accepted += answer.body.accepted;
          lastSeq = Math.max(lastSeq, answer.body.seq);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    };

    /** Small posts a throttle period apart: one delta each. */
    const trickle = async (events: FeedEvent[]) => {
      for (let i = 0; i < events.length; i += TRICKLE_EVENTS) {
        const answer = await postFeed(server.url, events.slice(i, i + TRICKLE_EVENTS));
        expect(answer.status).toBe(200);
        lastSeq = answer.body.seq;
        await sleep(TRICKLE_GAP_MS);
      }
    };

    // A wall that already shows a busy day: every list and chart populated at the start.
    await send(PRELOAD / BATCH);
    const token = await login(server.url);
    wall = await openPage(browser);
    const { page } = wall;
    await page.goto(`${server.url}/?token=${encodeURIComponent(token)}`);
    await waitForWallSeq(page, lastSeq);
    // Warm: small updates like the trickle's, so the start has met every kind of delta.
    const warm = todayFeed(WARM_POSTS * TRICKLE_EVENTS, 'warm').events;
    await trickle(warm);
    await waitForWallSeq(page, lastSeq);
    await sleep(2000); // charts drawn, the trend's 5 s redraw passed
    const heapStart = await heapObjectsAfterGc(page);
    const domStart = await domNodes(page);
    const mb = (h: { used: number; objects: number }) => ({ heapMB: +(h.used / MB).toFixed(2), objectsMB: +(h.objects / MB).toFixed(2) });
    const samples: Array<{ events: number; heapMB: number; objectsMB: number; domNodes: number; note?: string }> = [{ events: 0, ...mb(heapStart), domNodes: domStart }];

    // The soak: EVENTS more, in SAMPLES legs; after each the page catches up and the heap is read.
    const t0 = Date.now();
    let pushMs = 0;
    const perLeg = EVENTS / BATCH / SAMPLES;
    for (let leg = 1; leg <= SAMPLES; leg++) {
      const legStart = Date.now();
      await send(PRELOAD / BATCH + leg * perLeg);
      pushMs += Date.now() - legStart;
      await waitForWallSeq(page, lastSeq, 120_000);
      samples.push({ events: leg * perLeg * BATCH, ...mb(await heapObjectsAfterGc(page)), domNodes: await domNodes(page) });
    }
    const soakMs = Date.now() - t0;
    expect(accepted).toBe(PRELOAD + EVENTS);
    expect(lastSeq).toBe(PRELOAD + EVENTS + warm.length);
    const revAfterSoak = await revOf(page);

    // The trickle: while the feed is saturated the server pushes about one delta per batch, so
    // the fast legs give the page only a few dozen updates; these give it one per post.
    const late = todayFeed(TRICKLE_POSTS * TRICKLE_EVENTS, 'trickle').events;
    await trickle(late);
    await waitForWallSeq(page, lastSeq, 60_000);
    const total = PRELOAD + EVENTS + (WARM_POSTS + TRICKLE_POSTS) * TRICKLE_EVENTS;
    expect(lastSeq).toBe(total);
    const reported = (list: FeedEvent[]) => list.filter((e) => e.type === 'incident.reported' && !(e as { drill?: boolean }).drill).length;
    const incidentsToday = incidents + reported(warm) + reported(late);

    const counters = await page.evaluate(() => {
      const w = (window as unknown as { __wall: { seq: number; rev: number } }).__wall;
      return { seq: w.seq, rev: w.rev };
    });
    // Thousands of updates drawn: the page's revision went up at least once per two posts.
    const trickleRevisions = counters.rev - revAfterSoak;
    expect(trickleRevisions, `revisions during the trickle of ${TRICKLE_POSTS} posts`).toBeGreaterThanOrEqual(TRICKLE_POSTS / 2);
    // The page ends on the right numbers, not merely on the right seq.
    await expect.poll(() => testIdText(page, 'kpi-today'), { timeout: 10_000 }).toBe(incidentsToday.toLocaleString('en-US'));
    expect(await page.getByTestId('conn-banner').count()).toBe(0);
    // The ticker keeps its 20 rows (a leaving row may linger for a frame).
    await expect.poll(() => page.getByTestId('ticker-item').count(), { timeout: 5000 }).toBe(20);

    await sleep(6000); // the trend's 5 s redraw passed, as at the start
    const heapEnd = await heapObjectsAfterGc(page);
    const domEnd = await domNodes(page);
    samples.push({ events: EVENTS + TRICKLE_POSTS * TRICKLE_EVENTS, ...mb(heapEnd), domNodes: domEnd, note: 'after the trickle' });
    const sectionsKB = await page.evaluate(() => JSON.stringify((window as unknown as { __wall: { sections: unknown } }).__wall.sections).length / 1024);
    await screenshot(page, 'wall-soak');

    const figures = {
      events: EVENTS,
      preloadEvents: PRELOAD,
      trickleEvents: TRICKLE_POSTS * TRICKLE_EVENTS,
      trickleRevisions,
      incidentsToday,
      batch: BATCH,
      inFlight: IN_FLIGHT,
      pushMs,
      eventsPerSec: Math.round((EVENTS * 1000) / pushMs),
      soakMs,
      wallRevisionsDuringSoak: revAfterSoak,
      wallRevisionsTotal: counters.rev,
      sectionsJsonKB: +sectionsKB.toFixed(1),
      heapStartMB: +(heapStart.used / MB).toFixed(2),
      heapEndMB: +(heapEnd.used / MB).toFixed(2),
      growthPct: +(((heapEnd.used - heapStart.used) / heapStart.used) * 100).toFixed(2),
      objectsStartMB: +(heapStart.objects / MB).toFixed(2),
      objectsEndMB: +(heapEnd.objects / MB).toFixed(2),
      objectsGrowthPct: +(((heapEnd.objects - heapStart.objects) / heapStart.objects) * 100).toFixed(2),
      domNodesStart: domStart,
      domNodesEnd: domEnd,
      samples,
      heapMethod: 'CDP HeapProfiler.collectGarbage x2, Runtime.getHeapUsage usedSize; objects = used - the heap snapshot\'s code nodes',
      consoleErrors: wall.errors.length,
      at: new Date().toISOString(),
    };
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'wall-soak.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`wall soak: ${JSON.stringify(figures)}`);

    expect(heapEnd.objects, `the page's objects ${figures.objectsStartMB} MB -> ${figures.objectsEndMB} MB`).toBeLessThanOrEqual(heapStart.objects * (1 + OBJECTS_GROWTH));
    expect(domEnd, `DOM nodes ${domStart} -> ${domEnd}`).toBeLessThanOrEqual(Math.ceil(domStart * (1 + DOM_GROWTH)));
    expect(Math.max(...samples.map((x) => x.domNodes)), 'DOM nodes at any reading').toBeLessThanOrEqual(Math.ceil(domStart * (1 + DOM_GROWTH)));
    expect(wall.errors).toEqual([]);
  });
});

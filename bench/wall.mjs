// @ts-check
// wall: the built wall page in headless Chromium, fed a large number of live events fast.
// JS heap after a forced GC once the first snapshot is drawn and again at the end (a growing
// wall leaks on a screen that runs for months), and the time the page spends on one update.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { incidentLifecycle, seededRng } from '@wall/shared';
import { ROOT, healthSeq, login, percentile, postFeed, round, sleep } from './lib.mjs';

const CHROMIUM = '/usr/bin/chromium';
const BATCH = 5000;
const MB = 1024 * 1024;

/**
 * Lifecycles of incidents reported over the last 12 hours, cut at now: today's wall fills up
 * with districts, orders in progress, late units and the ticker, as on a busy day.
 * @param {number} count @param {string} prefix
 */
function todayEvents(count, prefix) {
  const rng = seededRng(5);
  const end = Date.now();
  /** @type {unknown[]} */
  const out = [];
  for (let i = 0; out.length < count; i++) {
    out.push(...incidentLifecycle(rng, `${prefix}-${i}`, end - rng() * 12 * 3600_000, { until: end }));
  }
  return out.slice(0, count);
}

/** @param {import('playwright-core').CDPSession} cdp */
async function heapAfterGc(cdp) {
  // Twice: the first pass can leave objects whose finalizers free more on the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / MB;
}

/**
 * @param {{ serverUrl: string, events: number, runId: string }} ctx
 */
export async function measureWall({ serverUrl, events, runId }) {
  if (!existsSync(join(ROOT, 'client/dist/index.html'))) throw new Error('client not built (no client/dist/index.html)');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}`);
  const token = await login(serverUrl);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.addInitScript({ content: readFileSync(join(ROOT, 'bench/wall-probe.js'), 'utf8') });
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${serverUrl}/?token=${encodeURIComponent(token)}`);
    const startSeq = await healthSeq(serverUrl);
    try {
      await page.waitForFunction(
        (seq) => {
          const w = /** @type {any} */ (window).__wall;
          return !!w && w.state === 'live' && w.seq >= seq && w.sections !== null;
        },
        startSeq,
        { timeout: 30_000, polling: 100 },
      );
    } catch {
      throw new Error('the wall page did not go live with the first snapshot in 30 s (window.__wall.state/seq)');
    }
    await sleep(2000); // charts drawn, first animations over
    const heapColdMB = await heapAfterGc(cdp);

    // A leak grows with updates; a wall that fills up (a full ticker, 50 overdue rows, every
    // unit on the board, the map's markers) grows once. The start is taken after a warm-up of
    // a tenth of the feed, so growth measures the first, not the second; the cold figure is kept.
    const feed = todayEvents(events, `wall-${runId}`);
    const warm = feed.length >= 4 * BATCH ? Math.max(BATCH, Math.round(feed.length / 10 / BATCH) * BATCH) : 0;
    let lastSeq = startSeq;
    for (let i = 0; i < warm; i += BATCH) lastSeq = (await postFeed(serverUrl, JSON.stringify(feed.slice(i, i + BATCH)))).seq;
    await page.waitForFunction((seq) => /** @type {any} */ (window).__wall.seq >= seq, lastSeq, { timeout: 120_000, polling: 200 });
    await sleep(2000);
    const heapStartMB = await heapAfterGc(cdp);
    await page.evaluate(() => {
      const p = /** @type {any} */ (window).__benchProbe;
      p.samples.length = 0;
      p.longTasks.length = 0;
    });

    const t0 = Date.now();
    for (let i = warm; i < feed.length; i += BATCH) lastSeq = (await postFeed(serverUrl, JSON.stringify(feed.slice(i, i + BATCH)))).seq;
    const feedMs = Date.now() - t0;
    await page.waitForFunction((seq) => /** @type {any} */ (window).__wall.seq >= seq, lastSeq, { timeout: 120_000, polling: 200 });
    await sleep(2000);
    const heapEndMB = await heapAfterGc(cdp);
    const probe = await page.evaluate(() => /** @type {any} */ (window).__benchProbe);
    /** @type {Array<{ task: number, frame: number }>} */
    const samples = probe.samples;
    const updates = samples.map((s) => s.task + s.frame);
    return {
      events: feed.length,
      warmupEvents: warm,
      heapColdMB: round(heapColdMB, 2),
      heapStartMB: round(heapStartMB, 2),
      heapEndMB: round(heapEndMB, 2),
      growthPct: round(((heapEndMB - heapStartMB) / heapStartMB) * 100, 2),
      updateP95Ms: round(percentile(updates, 95)),
      updateMethod:
        'bench/wall-probe.js: per socket delta, WebSocket message -> end of its task (decode, store, Vue render) + main-thread work of the next frame (rAF start -> task after it: ECharts paint); window.__wall has no timing of its own',
      updates: updates.length,
      updateP50Ms: round(percentile(updates, 50)),
      updateTaskP95Ms: round(percentile(samples.map((s) => s.task), 95)),
      longTasks: probe.longTasks.length,
      longTaskMaxMs: round(percentile(probe.longTasks, 100)),
      feedMs,
      heapMethod: 'CDP HeapProfiler.collectGarbage x2, then Runtime.getHeapUsage usedSize',
    };
  } finally {
    await browser.close();
  }
}

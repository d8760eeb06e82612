import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE, DEFAULT_ROSTER, type WallScreen } from '@wall/shared';
import { ARTIFACTS, heapSplit, launchBrowser, openPage, screenshot, testIdText, waitForWallSeq, type TrackedPage, gotoWithToken } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { login, postFeed, startServer, type RunningServer } from './support/server.js';

// The wall on any wall, in headless Chromium against the built server and a real Redis, all
// cases sharing one server and one browser: each layout at the sizes of real walls after a
// scripted feed (numbers from the DOM and chart options, no console errors, the outer quarters
// carry content, no text under 14 physical px); Windows display scaling; a splice wall's tiles
// (same seq within 1 s, side by side one wall, banner and holiday badge on each); a playlist
// cycling with flat memory, an alarm bringing it back; the admins' list of live screens.

const SHANGHAI = 8 * 3600_000;
const DAY = 24 * 3600_000;
/** 14 physical px, less float noise (14 design px × 2/3 × 1.5 is 13.999999999999998). */
const MIN_TEXT = 14 - 1e-6;
/** Playlist cycles measured after the warm-up one (PLAYLIST_CYCLES for a longer run by hand). */
const CYCLES = Number(process.env.PLAYLIST_CYCLES ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shanghaiDay = (t: number) => new Date(t + SHANGHAI).toISOString().slice(0, 10);
const shanghaiMonth = (t: number) => shanghaiDay(t).slice(0, 7);

async function awayFromMidnight(): Promise<void> {
  const ms = (Date.now() + SHANGHAI) % DAY;
  if (ms > DAY - 6 * 60_000) await sleep(DAY - ms + 15_000);
  else if (ms < 15_000) await sleep(15_000 - ms);
}

let n = 0;
function incident(center: string, at: number, extra: Record<string, unknown> = {}) {
  const id = `walls-e2e-${++n}`;
  return {
    id: `${id}-r`,
    type: 'incident.reported',
    at: new Date(at).toISOString(),
    incident: id,
    center,
    kind: 'alarm',
    category: '交通事故',
    summary: `测试警情 ${n}`,
    ...extra,
  };
}

/** An order whose 1.2-second sign-off limit is past when it arrives: overdue at once. */
function lateOrder(incidentId: string, order: string, unit: string, at: number) {
  return {
    id: `${order}-d`,
    type: 'order.dispatched',
    at: new Date(at).toISOString(),
    incident: incidentId,
    order,
    unit,
    deadlines: { signMinutes: 0.02, arriveMinutes: 60, feedbackMinutes: 120 },
  };
}

async function send(url: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

type WallWindow = {
  __wall: { seq: number; option(name: string): { series?: Array<{ id?: string; data?: unknown[] }> } | null; charts: Record<string, { getDevicePixelRatio(): number }> };
};

/** The sum of a chart series' data, read off the chart's own option. */
async function seriesSum(page: Page, chart: string, series: string): Promise<number | null> {
  return page.evaluate(
    ({ chart, series }) => {
      const o = (window as unknown as WallWindow).__wall.option(chart);
      const s = o?.series?.find((x) => x.id === series);
      return s ? (s.data as number[]).reduce((a, b) => a + Number(b), 0) : null;
    },
    { chart, series },
  );
}

/**
 * The smallest text on the physical screen: every visible text node's font size times the
 * canvas scale and the device pixel ratio, and every fontSize in the charts' options (ECharts
 * draws its text on the canvas, in design px) times the same.
 */
async function smallestText(page: Page): Promise<{ dom: number; domWhere: string; chart: number; chartWhere: string }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="wall-canvas"], [data-testid="bulletin-summary"]') as HTMLElement;
    const scale = canvas.getBoundingClientRect().width / canvas.offsetWidth;
    const dpr = window.devicePixelRatio;
    const walker = document.createTreeWalker(canvas, NodeFilter.SHOW_TEXT);
    let dom = Infinity;
    let domWhere = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const el = node.parentElement!;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none') continue;
      const px = parseFloat(cs.fontSize) * scale * dpr;
      if (px < dom) {
        dom = px;
        domWhere = `${el.tagName}.${el.className}: ${node.textContent.trim().slice(0, 24)}`;
      }
    }
    let chart = Infinity;
    let chartWhere = '';
    const walk = (v: unknown, path: string, name: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, name));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          // The legend's selector buttons are not shown (no `selector`): their default does not count.
          if (k === 'selectorLabel') continue;
          if (k === 'fontSize' && typeof x === 'number' && x * scale * dpr < chart) {
            chart = x * scale * dpr;
            chartWhere = `${name}${path}`;
          } else walk(x, `${path}.${k}`, name);
        }
      }
    };
    const w = (window as unknown as { __wall?: { charts: Record<string, unknown>; option(n: string): unknown } }).__wall;
    for (const name of Object.keys(w?.charts ?? {})) walk(w!.option(name), '', name);
    return { dom, domWhere, chart, chartWhere };
  });
}

/**
 * Decodes PNGs in a blank page (no image library here, and the wall's CSP rightly forbids
 * evaluating strings) and runs `fn`, the source of a function, on their pixels.
 */
async function withPixels<T, A>(page: Page, pngs: Buffer[], arg: A, fn: string): Promise<T> {
  return page.evaluate(
    async ({ data, arg, fn }) => {
      const images = await Promise.all(
        data.map(async (b64) => {
          const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
          const c = new OffscreenCanvas(bitmap.width, bitmap.height);
          const ctx = c.getContext('2d')!;
          ctx.drawImage(bitmap, 0, 0);
          const image = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
          return { bitmap, data: image.data, width: image.width, height: image.height };
        }),
      );
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the pixel reader is sent to the page as source text
      return (new Function('images', 'arg', `return (${fn})(images, arg)`) as (i: unknown, a: unknown) => unknown)(images, arg);
    },
    { data: pngs.map((p) => p.toString('base64')), arg, fn },
  ) as Promise<T>;
}

/** Mean brightness (0-1) of the left quarter, the middle half and the right quarter. */
const QUARTERS = `(images) => {
  const { data, width, height } = images[0];
  const band = (x0, x1) => {
    let sum = 0, count = 0;
    for (let y = 0; y < height; y += 2) for (let x = x0; x < x1; x += 2) {
      const o = (y * width + x) * 4;
      sum += (0.2126 * data[o] + 0.7152 * data[o + 1] + 0.0722 * data[o + 2]) / 255;
      count++;
    }
    return sum / count;
  };
  const q = Math.floor(width / 4);
  return { left: band(0, q), middle: band(q, width - q), right: band(width - q, width) };
}`;

describe('the wall on any wall', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let browser: Browser;
  let token: string;
  let viewerToken: string;
  /** A blank page for pixel work. */
  let scratch: TrackedPage;
  let lastSeq = 0;
  const pages: TrackedPage[] = [];
  const open = async (options?: BrowserContextOptions) => {
    const p = await openPage(browser, options);
    pages.push(p);
    return p;
  };
  const close = async (p: TrackedPage) => {
    await p.close();
    pages.splice(pages.indexOf(p), 1);
  };

  // The scripted feed: what the wall must show, counted from the events themselves.
  const now0 = Date.now();
  const today: ReturnType<typeof incident>[] = [];
  const earlier: ReturnType<typeof incident>[] = [];
  const lateOrders: string[] = [];
  const drillIncident = { id: '' };
  /** Incidents fed by the cases themselves, today. */
  let extraToday = 0;
  const todayCount = () => today.length + extraToday;

  beforeAll(async () => {
    await awayFromMidnight();
    redis = await startTestRedis();
    // A holiday-duty period today, in the roster before the server reads it (it re-reads every minute).
    const r = new Redis(redis.url);
    const day = shanghaiDay(Date.now());
    await r.set('wall:roster', JSON.stringify({ ...DEFAULT_ROSTER, dutyPeriods: [{ name: '测试值守', from: day, to: day }] }));
    r.disconnect();
    server = await startServer(redis.url);
    token = await login(server.url);
    expect((await send(server.url, token, 'POST', '/api/users', { username: 'screen-viewer', password: 'viewer-pass-1', role: 'viewer' })).status).toBe(201);
    viewerToken = await login(server.url, 'screen-viewer', 'viewer-pass-1');
    browser = await launchBrowser();
    scratch = await open();

    const now = Date.now();
    const at = (s: number) => now - s * 1000;
    for (const [i, center] of ['ouhai', 'ouhai', 'ruian', 'yueqing', 'wencheng', 'city', 'kaifaqu', 'longwan', 'yongjia', 'pingyang'].entries()) {
      today.push(incident(center, at(60 - i), center === 'city' ? { district: 'lucheng' } : {}));
    }
    // Three days ago, same time of day: in the week's trend, not in today's.
    for (const center of ['ruian', 'cangnan']) earlier.push(incident(center, now - 3 * DAY));
    const drill = incident('ruian', at(40), { drill: true, category: '拉动检查' });
    drillIncident.id = drill.incident;
    lateOrders.push('walls-late-1');
    const events = [
      ...today,
      ...earlier,
      drill,
      lateOrder(today[0]!.incident, 'walls-late-1', 'ouhai.transport', at(30)),
      { id: 'walls-ok-d', type: 'order.dispatched', at: new Date(at(20)).toISOString(), incident: today[2]!.incident, order: 'walls-ok', unit: 'ruian.health' },
      { id: 'drill-d', type: 'order.dispatched', at: new Date(at(39)).toISOString(), incident: drill.incident, order: 'walls-drill', unit: 'ruian.fire' },
      { id: 'drill-s', type: 'order.signed', at: new Date(at(38)).toISOString(), incident: drill.incident, order: 'walls-drill' },
      { id: 'drill-a', type: 'order.arrived', at: new Date(at(35)).toISOString(), incident: drill.incident, order: 'walls-drill' },
    ];
    const answer = await postFeed(server.url, events);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    lastSeq = answer.body.seq;
  }, 420_000);

  afterAll(async () => {
    if (server && server.child.exitCode !== null) console.error(`the server died:\n${server.output().slice(-4000)}`);
    for (const p of [...pages]) await p.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  const monthCount = () => [...today, ...earlier].filter((e) => shanghaiMonth(Date.parse(e.at)) === shanghaiMonth(now0)).length + extraToday;
  /** 附件2's 合计: the month's incidents of the rows shown on their own (a row with a parent is shown under it, not added). */
  const ownRows = new Set(DEFAULT_REFERENCE.centers.filter((c) => c.parent === null).map((c) => c.id));
  const totalCount = () => [...today, ...earlier].filter((e) => shanghaiMonth(Date.parse(e.at)) === shanghaiMonth(now0) && ownRows.has(e.center)).length + extraToday;

  for (const size of [
    { width: 1920, height: 1080, layout: '16x9' },
    { width: 3840, height: 1080, layout: '32x9' },
    { width: 5760, height: 1080, layout: '48x9' },
    { width: 6656, height: 1792, layout: '32x9' },
    { width: 7680, height: 2160, layout: '32x9' },
  ]) {
    it(`fills ${size.width}x${size.height} with the ${size.layout} layout: the fed numbers, nothing black, no text under 14 px`, async () => {
      const t = await open({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: 1 });
      const { page } = t;
      await gotoWithToken(page, server.url, `/`, token);
      await waitForWallSeq(page, lastSeq);
      expect(await page.getByTestId('wall-canvas').getAttribute('data-layout')).toBe(size.layout);

      // Numbers: the DOM and the charts' options against the feed.
      await expect.poll(() => testIdText(page, 'kpi-today'), { timeout: 5000 }).toBe(String(todayCount()));
      expect(await testIdText(page, 'kpi-month')).toBe(String(monthCount()));
      expect(await page.locator('[data-testid="center-row"][data-center="total"] [data-col="incidents"]').textContent()).toBe(String(totalCount()));
      await expect.poll(() => seriesSum(page, 'trend', 'today'), { timeout: 8000 }).toBe(todayCount());
      expect(await page.getByTestId('overdue-item').count()).toBe(lateOrders.length);
      expect(await page.locator('[data-testid="map-overdue"][data-order="walls-late-1"]').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('duty-badge').first().textContent()).toContain('测试值守');
      // Every unit with an order this month (the drill's order counts for no unit).
      const units = await page.evaluate(() => (window as unknown as { __wall: { sections: { units: unknown[] } } }).__wall.sections.units.length);
      expect(units).toBeGreaterThanOrEqual(2);
      expect(await page.getByTestId('unit-row').count()).toBe(units);
      if (size.layout !== '16x9') {
        await expect.poll(() => seriesSum(page, 'week', 'week'), { timeout: 12_000 }).toBe(todayCount() + earlier.length);
        // The urban core at full size beside the city: its drawing (longer side) about as large as the city's.
        const sizes = await page.evaluate(() => {
          const side = (geo: string) => {
            const boxes = [...document.querySelectorAll(`[data-testid="map-fill"][data-geo="${geo}"]`)].map((p) => (p as SVGGraphicsElement).getBBox());
            const w = Math.max(...boxes.map((b) => b.x + b.width)) - Math.min(...boxes.map((b) => b.x));
            const h = Math.max(...boxes.map((b) => b.y + b.height)) - Math.min(...boxes.map((b) => b.y));
            return Math.max(w, h);
          };
          return { main: side('main'), core: side('core') };
        });
        expect(sizes.core / sizes.main, 'urban core size / city size').toBeGreaterThan(0.85);
      }
      if (size.layout === '48x9') {
        await expect.poll(() => page.getByTestId('drill-row').count(), { timeout: 5000 }).toBe(1);
        expect(await page.getByTestId('drill-row').getAttribute('data-incident')).toBe(drillIncident.id);
        // Its fire unit on scene 4 s after dispatch (dispatched 39 s, arrived 35 s before the feed).
        expect(await testIdText(page, 'drill-row')).toContain('4秒');
        await page.getByTestId('drill-board').screenshot({ path: join(ARTIFACTS, 'walls-5760-drills.png') });
      }

      // The canvas spans the screen edge to edge, and charts draw at the physical resolution.
      const box = await page.getByTestId('wall-canvas').boundingBox();
      expect(box!.x).toBeLessThanOrEqual(1);
      expect(box!.x + box!.width).toBeGreaterThanOrEqual(size.width - 1);
      const scale = box!.width / Number(await page.getByTestId('wall-canvas').evaluate((el) => (el as HTMLElement).offsetWidth));
      const dpr = await page.evaluate(() => (window as unknown as WallWindow).__wall.charts.map!.getDevicePixelRatio());
      expect(Math.abs(dpr - Math.ceil(scale * 4 - 1e-9) / 4)).toBeLessThan(1e-9);

      const text = await smallestText(page);
      expect(text.dom, `smallest text: ${text.domWhere}`).toBeGreaterThanOrEqual(MIN_TEXT);
      expect(text.chart, `smallest chart text: ${text.chartWhere}`).toBeGreaterThanOrEqual(MIN_TEXT);

      await sleep(1500);
      const path = await screenshot(page, `walls-${size.width}x${size.height}`);
      const png = await page.screenshot();
      const q = await withPixels<{ left: number; middle: number; right: number }, null>(scratch.page, [png], null, QUARTERS);
      console.log(
        `${size.width}x${size.height} (${size.layout}): brightness left ${q.left.toFixed(3)}, middle ${q.middle.toFixed(3)}, right ${q.right.toFixed(3)}; smallest text ${text.dom.toFixed(1)} px (${text.domWhere}), chart ${text.chart.toFixed(1)} px; ${path}`,
      );
      // The reported fault: black outer thirds at 0.04 against 0.14 in the middle.
      expect(q.left, 'left quarter').toBeGreaterThan(q.middle * 0.6);
      expect(q.right, 'right quarter').toBeGreaterThan(q.middle * 0.6);
      expect(t.errors).toEqual([]);
      await close(t);
    }, 120_000);
  }

  it('forced by ?layout=4x3 on an old projector, with the same numbers', async () => {
    const t = await open({ viewport: { width: 1440, height: 1080 }, deviceScaleFactor: 1 });
    await gotoWithToken(t.page, server.url, `/?layout=4x3`, token);
    await waitForWallSeq(t.page, lastSeq);
    expect(await t.page.getByTestId('wall-canvas').getAttribute('data-layout')).toBe('4x3');
    await expect.poll(() => testIdText(t.page, 'kpi-today'), { timeout: 5000 }).toBe(String(todayCount()));
    expect(await t.page.getByTestId('overdue-item').count()).toBe(lateOrders.length);
    const text = await smallestText(t.page);
    expect(text.dom, text.domWhere).toBeGreaterThanOrEqual(MIN_TEXT);
    await screenshot(t.page, 'walls-1440x1080-4x3');
    expect(t.errors).toEqual([]);
    await close(t);
  }, 60_000);

  it('renders the same at Windows display scaling 125 % and 150 % as at 100 %', async () => {
    const layoutOf = async (p: Page) =>
      p.evaluate(() => {
        const dpr = window.devicePixelRatio;
        const rects = [...document.querySelectorAll('.panel')].map((el) => {
          const r = el.getBoundingClientRect();
          return [r.x * dpr, r.y * dpr, r.width * dpr, r.height * dpr].map((v) => Math.round(v));
        });
        return { rects, chartDpr: (window as unknown as WallWindow).__wall.charts.map!.getDevicePixelRatio() };
      });
    const shots: Buffer[] = [];
    const layouts: Awaited<ReturnType<typeof layoutOf>>[] = [];
    for (const [w, h, f] of [
      [1920, 1080, 1],
      [1536, 864, 1.25],
      [1280, 720, 1.5],
    ] as const) {
      const t = await open({ viewport: { width: w, height: h }, deviceScaleFactor: f });
      await gotoWithToken(t.page, server.url, `/`, token);
      await waitForWallSeq(t.page, lastSeq);
      await expect.poll(() => testIdText(t.page, 'kpi-today'), { timeout: 5000 }).toBe(String(todayCount()));
      await sleep(1500);
      layouts.push(await layoutOf(t.page));
      const text = await smallestText(t.page);
      expect(text.dom, `${f * 100} %: ${text.domWhere}`).toBeGreaterThanOrEqual(MIN_TEXT);
      shots.push(await t.page.screenshot({ path: join(ARTIFACTS, `walls-scaling-${f * 100}.png`) }));
      expect(t.errors).toEqual([]);
      await close(t);
    }
    for (const l of layouts.slice(1)) {
      expect(l.chartDpr).toBe(layouts[0]!.chartDpr);
      expect(l.rects.length).toBe(layouts[0]!.rects.length);
      l.rects.forEach((r, i) => r.forEach((v, k) => expect(Math.abs(v - layouts[0]!.rects[i]![k]!), `panel ${i}`).toBeLessThanOrEqual(1)));
    }
    // Same physical pixels: 1920x1080 each, and nearly the same picture (the clock and the ripples move).
    const diff = await withPixels<number[], null>(
      scratch.page,
      shots,
      null,
      `(images) => images.slice(1).map((im) => {
        const a = images[0].data, b = im.data;
        if (im.width !== images[0].width || im.height !== images[0].height) return 999;
        let sum = 0; for (let i = 0; i < a.length; i += 4) sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
        return sum / (a.length / 4) / 3;
      })`,
    );
    console.log(`display scaling: mean difference from 100 % per channel: ${diff.map((d) => d.toFixed(2)).join(', ')} (of 255)`);
    for (const d of diff) expect(d).toBeLessThan(4);
  }, 120_000);

  describe('a splice wall of two screens (grid=2x1)', () => {
    let tiles: TrackedPage[] = [];
    let whole: TrackedPage;
    beforeAll(async () => {
      tiles = [];
      for (const col of [0, 1]) {
        const t = await open({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
        await gotoWithToken(t.page, server.url, `/?grid=2x1&tile=${col},0&stale=6&screen=e2e-tile-${col}`, token);
        tiles.push(t);
      }
      whole = await open({ viewport: { width: 3840, height: 1080 }, deviceScaleFactor: 1 });
      await gotoWithToken(whole.page, server.url, `/`, token);
      for (const t of [...tiles, whole]) await waitForWallSeq(t.page, lastSeq);
    }, 120_000);

    it('shows the same seq on every tile within 1 s of a feed', async () => {
      const ts = Date.now();
      const answer = await postFeed(server.url, [incident('dongtou', ts - 1000)]);
      expect(answer.status).toBe(200);
      const reached = await Promise.all(
        tiles.map(async (t) => {
          await waitForWallSeq(t.page, answer.body.seq, 10_000);
          return Date.now();
        }),
      );
      console.log(`tiles reached seq ${answer.body.seq} after ${reached.map((r) => r - ts).join(' / ')} ms`);
      expect(Math.abs(reached[0]! - reached[1]!)).toBeLessThan(1000);
      for (const t of tiles) expect(await t.page.getByTestId('seq').getAttribute('data-seq')).toBe(String(answer.body.seq));
      lastSeq = answer.body.seq;
      extraToday++;
    }, 60_000);

    it('puts side by side makes one wall: the same layout, every panel where the whole wall has it', async () => {
      for (const t of [...tiles, whole]) expect(await t.page.getByTestId('wall-canvas').getAttribute('data-layout')).toBe('32x9');
      // The KPI tiles are on the left screen only.
      for (const t of [tiles[0]!, whole]) await expect.poll(() => testIdText(t.page, 'kpi-today'), { timeout: 5000 }).toBe(String(todayCount()));
      expect(await tiles[1]!.page.getByTestId('kpi-today').count()).toBe(0);
      const rects = (p: Page) =>
        p.evaluate(() =>
          [...document.querySelectorAll('.panel')].map((el) => {
            const r = el.getBoundingClientRect();
            return { title: el.querySelector('h2')?.textContent ?? '', x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height) };
          }),
        );
      const ref = await rects(whole.page);
      for (const [col, t] of tiles.entries()) {
        // Each tile draws the panels its screen shows, where the whole wall has them.
        const mine = await rects(t.page);
        const shown = ref.filter((r) => r.x < (col + 1) * 1920 && r.x + r.w > col * 1920);
        expect(mine.map((r) => ({ ...r, x: r.x + col * 1920 }))).toEqual(shown);
      }
      // And only those: the left screen leaves the right half's columns to the other PC.
      expect((await rects(tiles[0]!.page)).length).toBeLessThan(ref.length);
      await sleep(1500);
      const shots = [await tiles[0]!.page.screenshot(), await tiles[1]!.page.screenshot(), await whole.page.screenshot()];
      const out = await withPixels<{ diff: number; png: string }, null>(
        scratch.page,
        shots,
        null,
        `async (images) => {
          const c = new OffscreenCanvas(3840, 1080);
          const ctx = c.getContext('2d');
          ctx.drawImage(images[0].bitmap, 0, 0);
          ctx.drawImage(images[1].bitmap, 1920, 0);
          const a = ctx.getImageData(0, 0, 3840, 1080).data, b = images[2].data;
          let sum = 0; for (let i = 0; i < a.length; i += 4) sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
          const blob = await c.convertToBlob({ type: 'image/png' });
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return { diff: sum / (a.length / 4) / 3, png: btoa(s) };
        }`,
      );
      writeFileSync(join(ARTIFACTS, 'walls-tiles-2x1-side-by-side.png'), Buffer.from(out.png, 'base64'));
      await screenshot(whole.page, 'walls-tiles-2x1-whole');
      console.log(`two tiles side by side against one 3840x1080 page: mean difference ${out.diff.toFixed(2)} of 255 per channel`);
      // The tiles show their own badge and the clock ticks: the pictures are close, not equal.
      expect(out.diff).toBeLessThan(6);
    }, 60_000);

    it('shows the holiday badge and the stale-data banner on every tile', async () => {
      for (const t of tiles) {
        const badge = t.page.locator('[data-testid="tile-notices"] [data-testid="duty-badge"]');
        const b = await badge.boundingBox();
        expect(b, 'badge').not.toBeNull();
        expect(b!.x).toBeGreaterThanOrEqual(0);
        expect(b!.x + b!.width).toBeLessThanOrEqual(1920);
      }
      // The server stops answering (SIGSTOP: the socket stays open, no heartbeat comes).
      server.child.kill('SIGSTOP');
      try {
        for (const t of tiles) {
          const banner = t.page.getByTestId('stale-banner');
          await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(1);
          const b = await banner.boundingBox();
          expect(b!.x).toBeGreaterThanOrEqual(0);
          expect(b!.x + b!.width).toBeLessThanOrEqual(1920);
          expect(await testIdText(t.page, 'stale-banner')).toMatch(/数据截至 \d\d:\d\d/);
        }
        await screenshot(tiles[1]!.page, 'walls-tile-1-stale');
        // The whole page (default 30 s) says nothing yet.
        expect(await whole.page.getByTestId('stale-banner').count()).toBe(0);
      } finally {
        server.child.kill('SIGCONT');
      }
      for (const t of tiles) await expect.poll(() => t.page.getByTestId('stale-banner').count(), { timeout: 15_000 }).toBe(0);
      for (const t of [...tiles, whole]) expect(t.errors).toEqual([]);
    }, 90_000);

    afterAll(async () => {
      for (const t of [...tiles, whole]) if (t) await close(t).catch(() => {});
    });
  });

  it('lists the live screens for admins only, and drops a closed page within a minute', async () => {
    const t = await open();
    await gotoWithToken(t.page, server.url, `/?screen=e2e-listed`, token);
    await waitForWallSeq(t.page, lastSeq);
    const list = async () => (await send(server.url, token, 'GET', '/api/wall/screens')).body as WallScreen[];
    await expect.poll(async () => (await list()).find((s) => s.id === 'e2e-listed')?.seq, { timeout: 15_000 }).toBe(lastSeq);
    const me = (await list()).find((s) => s.id === 'e2e-listed')!;
    expect(me).toMatchObject({ user: 'admin', layout: '16x9', tile: null, view: 'live', screen: '1920x1080@1' });
    expect(Math.abs(Date.now() - me.lastContact)).toBeLessThan(15_000);
    expect((await send(server.url, viewerToken, 'GET', '/api/wall/screens')).status).toBe(403);

    await close(t);
    const closedAt = Date.now();
    await expect.poll(async () => (await list()).some((s) => s.id === 'e2e-listed'), { timeout: 60_000, interval: 500 }).toBe(false);
    console.log(`a closed page left the list of live screens after ${Date.now() - closedAt} ms`);
  }, 90_000);

  it('keeps a stored playlist an admin edits, refusing a bad one by field', async () => {
    const bad = await send(server.url, token, 'PUT', '/api/wall/playlist', { entries: [{ view: 'news', seconds: 10 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('entries.0.view');
    expect((await send(server.url, viewerToken, 'PUT', '/api/wall/playlist', { entries: [{ view: 'live', seconds: 10 }] })).status).toBe(403);
    const playlist = {
      entries: [
        { view: 'live', seconds: 30 },
        { view: 'bulletin', seconds: 10 },
      ],
      alarmHoldSeconds: 60,
    };
    expect((await send(server.url, token, 'PUT', '/api/wall/playlist', playlist)).status).toBe(200);
    expect((await send(server.url, viewerToken, 'GET', '/api/wall/playlist')).body).toEqual(playlist);
  });

  it('cycles a playlist three times with flat memory, and an alarm brings it back to the live wall', async () => {
    const t = await open();
    const { page } = t;
    // live 3 s, the month's bulletin 3 s, the last 24 h replayed at 3,600× for 5 s; an alarm holds live 20 s.
    const playlist = encodeURIComponent('live:3,bulletin:3,replay:5;hold=20');
    await gotoWithToken(page, server.url, `/?playlist=${playlist}&screen=e2e-playlist`, token);
    const view = () => page.getByTestId('playlist').getAttribute('data-view');
    const shown = async () => Number(await page.getByTestId('playlist').getAttribute('data-shown'));
    await waitForWallSeq(page, lastSeq);
    // The admins' list says what this screen shows, and follows it through the playlist.
    const listed = async () => ((await send(server.url, token, 'GET', '/api/wall/screens')).body as WallScreen[]).find((x) => x.id === 'e2e-playlist');
    await expect.poll(async () => (await listed())?.layout, { timeout: 10_000 }).toBe('16x9');

    const seen = new Set<string>();
    const heaps: Array<Awaited<ReturnType<typeof heapSplit>>> = [];
    // A first cycle loads the bulletin's and the replay's code; the heap is measured back on
    // the live wall after it and after each of the next three.
    for (let cycle = 0; cycle <= CYCLES; cycle++) {
      // Each view in turn, checked while it shows.
      await expect.poll(view, { timeout: 15_000 }).toBe('bulletin');
      await expect.poll(() => testIdText(page, 'bulletin-incidents-value'), { timeout: 5000 }).toBe(String(totalCount()));
      seen.add('bulletin');
      if (cycle === 0) await expect.poll(async () => (await listed())?.view, { timeout: 5000 }).toBe('bulletin');
      await expect.poll(view, { timeout: 15_000 }).toBe('replay');
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { __replay?: { speed: number; playing: boolean } }).__replay?.playing ?? false), { timeout: 10_000 })
        .toBe(true);
      expect(await page.evaluate(() => (window as unknown as { __replay: { speed: number } }).__replay.speed)).toBe(3600);
      seen.add('replay');
      await expect.poll(view, { timeout: 15_000 }).toBe('live');
      await waitForWallSeq(page, lastSeq, 10_000);
      await expect.poll(() => testIdText(page, 'kpi-today'), { timeout: 5000 }).toBe(String(todayCount()));
      seen.add('live');
      heaps.push(await heapSplit(page));
      if (cycle === 0) await screenshot(page, 'walls-playlist-live');
    }
    expect([...seen].sort()).toEqual(['bulletin', 'live', 'replay']);
    expect(await shown()).toBeGreaterThanOrEqual(3 * CYCLES + 1);
    const mb = (b: number) => (b / 1048576).toFixed(2);
    const growth = (heaps[CYCLES]!.used - heaps[0]!.used) / heaps[0]!.used;
    const objectsGrowth = (heaps[CYCLES]!.objects - heaps[0]!.objects) / heaps[0]!.objects;
    console.log(
      `playlist heap after GC, back on live after the warm-up cycle and cycles 1-${CYCLES}: ${heaps.map((h) => mb(h.used)).join(' / ')} MB (${(growth * 100).toFixed(2)} %); ` +
        `code ${heaps.map((h) => mb(h.code)).join(' / ')}; objects ${heaps.map((h) => mb(h.objects)).join(' / ')} (${(objectsGrowth * 100).toFixed(2)} %)`,
    );
    const grew = [...heaps[CYCLES]!.byName]
      .map(([k, v]) => [k, v - (heaps[0]!.byName.get(k) ?? 0)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    console.log(`grew most: ${grew.map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB`).join(', ')}`);
    // The page's own objects, where a leak would be (an unmounted view's charts, stores, event
    // arrays or listeners kept alive). V8's compiled code keeps growing for a while as more of
    // the views' functions get hot (0.7 MB in the warm-up cycle, then 0.1-0.25 MB a cycle and
    // falling, in five-cycle runs), which the total above includes.
    expect(objectsGrowth, 'page objects after GC, growth over the cycles').toBeLessThan(0.05);

    // An alarm while the bulletin shows: back to live at once, and kept there.
    await expect.poll(view, { timeout: 15_000 }).toBe('bulletin');
    await screenshot(page, 'walls-playlist-bulletin');
    const ts = Date.now();
    const inc = incident('yueqing', ts - 5000);
    const answer = await postFeed(server.url, [inc, lateOrder(inc.incident, 'walls-late-2', 'yueqing.transport', ts - 4000)]);
    expect(answer.status).toBe(200);
    await expect.poll(view, { timeout: 5000, interval: 100 }).toBe('live');
    console.log(`alarm: back on the live wall ${Date.now() - ts} ms after the feed`);
    await expect.poll(() => page.locator('[data-testid="overdue-item"][data-order="walls-late-2"]').count(), { timeout: 5000 }).toBe(1);
    await sleep(8000); // longer than the live and bulletin entries: the hold keeps it live
    expect(await view()).toBe('live');
    expect(t.errors).toEqual([]);
  }, 240_000);
});

import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gotoWithToken, launchBrowser, openPage, screenshot, statusPattern, testIdText, waitForWallSeq, type TrackedPage } from './support/browser.js';
import { createUser } from './support/users.js';
import { startTestRedis } from './support/redis.js';
import { ADMIN_PASSWORD, login, postFeed, startServer, type RunningServer } from './support/server.js';

// The wall page in headless Chromium against the built server and a real Redis: the login
// form, live counts after a POST, the big screen at 1920x1080 and 3840x2160 after a scripted
// feed (numbers read from the DOM and the chart options; pixels only for the ripples, which a
// worker draws on a canvas the page cannot read), and recovery without
// a reload after the server is killed and restarted under an open page.

const SHANGHAI = 8 * 3600_000;
const DAY = 24 * 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps the file's "a few seconds ago" events on today's Shanghai date. */
async function awayFromMidnight(): Promise<void> {
  const ms = (Date.now() + SHANGHAI) % DAY;
  if (ms > DAY - 5 * 60_000) await sleep(DAY - ms + 15_000);
  else if (ms < 15_000) await sleep(15_000 - ms);
}

let n = 0;
function incident(center: string, at: number, extra: Record<string, unknown> = {}) {
  const id = `wall-e2e-${++n}`;
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

const KPI_IDS = ['kpi-today', 'kpi-today-change', 'kpi-month', 'kpi-in-progress', 'kpi-closed-rate', 'kpi-overdue', 'kpi-returned'];

async function kpiTexts(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of KPI_IDS) out[id] = await testIdText(page, id);
  return out;
}

/** Seconds between the wall's clock (HH:MM:SS, Shanghai) and the real time, wrapped to ±12 h. */
async function clockError(page: Page): Promise<number> {
  const text = await testIdText(page, 'clock');
  const m = /^(\d\d):(\d\d):(\d\d)$/.exec(text);
  if (!m) throw new Error(`clock reads "${text}"`);
  const shown = (+m[1]! * 3600 + +m[2]! * 60 + +m[3]!) * 1000;
  let diff = (shown - ((Date.now() + SHANGHAI) % DAY)) / 1000;
  if (diff > 43_200) diff -= 86_400;
  if (diff < -43_200) diff += 86_400;
  return diff;
}

/** "06:41" or "1:02:03" -> seconds. */
function durationSeconds(text: string): number {
  return text
    .trim()
    .split(':')
    .reduce((acc, part) => acc * 60 + Number(part), 0);
}

async function centerCell(page: Page, center: string, col: string): Promise<string> {
  return ((await page.locator(`[data-testid="center-row"][data-center="${center}"] [data-col="${col}"]`).textContent()) ?? '').trim();
}

/** The figure a district's fill on one of the two maps stands for (null when not drawn). */
async function mapValue(page: Page, geo: 'main' | 'core', district: string): Promise<number | null> {
  const value = await page
    .locator(`[data-testid="map-fill"][data-geo="${geo}"][data-district="${district}"]`)
    .getAttribute('data-value', { timeout: 1000 })
    .catch(() => null);
  return value === null ? null : Number(value);
}

/**
 * The strongest red in a ring around a point of the page (CSS pixels), from `shots` screenshots
 * 0.4 s apart: the ripples' canvas belongs to a worker, so only the rendered page shows what it
 * drew. Red is how far red exceeds green, which the blue-to-white map never does. A ring fades
 * as it grows (a new one starts every 1.5 s), so six shots spread over more than one cycle
 * catch one while a ring is young and bright, whatever a screenshot takes.
 */
async function redAround(page: Page, x: number, y: number, inner: number, outer: number, shots = 6): Promise<number> {
  let best = 0;
  for (let i = 0; i < shots; i++) {
    const png = await page.screenshot({ clip: { x: x - outer, y: y - outer, width: outer * 2, height: outer * 2 } });
    const red = await page.evaluate(
      async ({ data, inner, outer }) => {
        // Not a fetch of a data: URL, which the page's CSP refuses.
        const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0))], { type: 'image/png' }));
        const c = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = c.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const { data: px, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
        const k = width / (outer * 2);
        let max = 0;
        for (let py = 0; py < height; py++) {
          for (let pxi = 0; pxi < width; pxi++) {
            const d = Math.hypot(pxi / k - outer, py / k - outer);
            if (d < inner || d > outer) continue;
            const o = (py * width + pxi) * 4;
            const [r, g] = [px[o]!, px[o + 1]!];
            // The map is blue to white (g >= r); a translucent red ring over it is not.
            if (r > 100) max = Math.max(max, r - g);
          }
        }
        return max;
      },
      { data: png.toString('base64'), inner, outer },
    );
    best = Math.max(best, red);
    await sleep(400);
  }
  return best;
}

describe('the wall page in headless Chromium', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let browser: Browser;
  let token: string;
  const pages: TrackedPage[] = [];
  const open = async (options?: BrowserContextOptions) => {
    const p = await openPage(browser, options);
    pages.push(p);
    return p;
  };

  beforeAll(async () => {
    await awayFromMidnight();
    redis = await startTestRedis();
    server = await startServer(redis.url);
    token = await login(server.url);
    await createUser(server.url, token, 'duty-viewer', 'viewer', 'viewer-pass-1');
    browser = await launchBrowser();
  }, 420_000);
  afterAll(async () => {
    if (server && (server.child.exitCode !== null || (server.child.signalCode !== null && server.child.signalCode !== 'SIGKILL'))) {
      console.error(`the server died (${server.child.exitCode ?? server.child.signalCode}):\n${server.output().slice(-4000)}`);
    }
    for (const p of pages) await p.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  it('logs in through the form (after a refused password and a refused admin account) and sees 今日警情 change after a POST', async () => {
    const t = await open();
    const { page } = t;
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);

    // A wrong password first: the form says so (its 401 is the one console error expected).
    const stopIgnoring = t.ignore(statusPattern(401));
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.getByTestId('login-form').locator('button[type="submit"]').click();
    await expect.poll(() => testIdText(page, 'login-error')).toBe('用户名或密码错误');
    stopIgnoring();

    // The right admin password: the wall's form takes no admin or supervisor account.
    const stopIgnoringAdmin = t.ignore(statusPattern(401));
    await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-form').locator('button[type="submit"]').click();
    await expect.poll(() => testIdText(page, 'login-error')).toContain('不能使用管理员或督导账号');
    stopIgnoringAdmin();
    expect(await page.evaluate(() => localStorage.getItem('wall.auth'))).toBeNull();

    await page.locator('input[name="username"]').fill('duty-viewer');
    await page.locator('input[name="password"]').fill('viewer-pass-1');
    await page.getByTestId('login-form').locator('button[type="submit"]').click();
    await waitForWallSeq(page, 0);
    expect(await page.getByTestId('login-form').count()).toBe(0);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('wall.auth') ?? 'null')?.token)).toMatch(/\S/);
    await expect.poll(() => testIdText(page, 'kpi-today')).toBe('0');
    expect(await testIdText(page, 'link-state')).toBe('实时');

    const now = Date.now();
    const answer = await postFeed(server.url, [incident('wencheng', now - 3000), incident('wencheng', now - 2000), incident('wencheng', now - 1000)]);
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(3);
    await waitForWallSeq(page, answer.body.seq, 10_000);
    await expect.poll(() => testIdText(page, 'kpi-today'), { timeout: 5000 }).toBe('3');
    expect(await page.getByTestId('seq').getAttribute('data-seq')).toBe(String(answer.body.seq));
    expect(t.ignored.length, 'the bad login logged its 401').toBeGreaterThan(0);
    expect(t.errors).toEqual([]);
  });

  describe('after a scripted feed', () => {
    const overdueOrder = 'wall-e2e-late-order';
    let lastSeq = 0;
    let overdueDueAt = 0;

    beforeAll(async () => {
      const now = Date.now();
      const at = (s: number) => now - s * 1000;
      const o1 = incident('ouhai', at(8), { location: { lng: 120.61, lat: 27.96 } });
      const o2 = incident('ouhai', at(7));
      const o3 = incident('ouhai', at(7));
      const o4 = incident('ouhai', at(6));
      const r1 = incident('ruian', at(8), { kind: 'help', category: '急救' });
      const r2 = incident('ruian', at(6));
      const r3 = incident('ruian', at(5), { kind: 'complaint', category: '噪音扰民' });
      const c1 = incident('city', at(5), { district: 'lucheng' });
      const c2 = incident('city', at(4), { district: 'lucheng' });
      const k1 = incident('kaifaqu', at(4));
      const y1 = incident('yueqing', at(3));
      const y2 = incident('yueqing', at(2));
      const events = [
        o1,
        o2,
        o3,
        o4,
        r1,
        r2,
        r3,
        c1,
        c2,
        k1,
        y1,
        y2,
        // 瓯海: an order whose 1.2-second sign-off limit passed before the feed even arrived.
        {
          id: `${overdueOrder}-d`,
          type: 'order.dispatched',
          at: new Date(at(7)).toISOString(),
          incident: o1.incident,
          order: overdueOrder,
          unit: 'ouhai.transport',
          deadlines: { signMinutes: 0.02, arriveMinutes: 60, feedbackMinutes: 120 },
        },
        // 瓯海: an order signed in time (default limits): in progress, not late.
        { id: 'wall-e2e-ok-d', type: 'order.dispatched', at: new Date(at(6)).toISOString(), incident: o2.incident, order: 'wall-e2e-ok', unit: 'ouhai.health' },
        { id: 'wall-e2e-ok-s', type: 'order.signed', at: new Date(at(5)).toISOString(), incident: o2.incident, order: 'wall-e2e-ok' },
        // 瑞安: one incident closed.
        { id: `${r1.incident}-c`, type: 'incident.closed', at: new Date(at(1)).toISOString(), incident: r1.incident },
        // 乐清: an order returned (退单).
        { id: 'wall-e2e-ret-d', type: 'order.dispatched', at: new Date(at(3)).toISOString(), incident: y1.incident, order: 'wall-e2e-ret', unit: 'yueqing.utilities' },
        { id: 'wall-e2e-ret-s', type: 'order.signed', at: new Date(at(2)).toISOString(), incident: y1.incident, order: 'wall-e2e-ret' },
        { id: 'wall-e2e-ret-x', type: 'order.returned', at: new Date(at(1)).toISOString(), incident: y1.incident, order: 'wall-e2e-ret', reason: '非本单位职责' },
      ];
      // Any order: half NDJSON, half JSON.
      const half = Math.ceil(events.length / 2);
      const a = await postFeed(
        server.url,
        events
          .slice(half)
          .map((e) => JSON.stringify(e))
          .join('\n'),
        { ndjson: true },
      );
      const b = await postFeed(server.url, events.slice(0, half));
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.accepted + b.body.accepted).toBe(events.length);
      lastSeq = Math.max(a.body.seq, b.body.seq);
      overdueDueAt = at(7) + 0.02 * 60_000;
    });

    // 3 (文成, the first test) + 4 瓯海 + 3 瑞安 + 2 市本级/鹿城 + 1 开发区 + 2 乐清.
    const EXPECTED = {
      'kpi-today': '15',
      'kpi-month': '15',
      'kpi-in-progress': '14',
      'kpi-closed-rate': '6.67%',
      'kpi-overdue': '1',
      'kpi-returned': '1',
    };
    // 附件2: each row its own center's incidents (市本级 its own 2, 瓯海 4 and 开发区 1 in their
    // rows under it); 合计 = rows without a parent: 2 + 3 + 2 + 3. The month tile counts all 15.
    const CENTER_INCIDENTS = { city: '2', ouhai: '4', kaifaqu: '1', lucheng: '0', longwan: '0', ruian: '3', yueqing: '2', wencheng: '3', total: '10' };
    const DISTRICT_TODAY = { ouhai: 4, lucheng: 2, longwan: 1, ruian: 3, yueqing: 2, wencheng: 3, taishun: 0 };

    for (const size of [
      { width: 1920, height: 1080, scale: 1 },
      { width: 3840, height: 2160, scale: 2 },
    ]) {
      it(`shows the expected tiles, map, tables and overdue list at ${size.width}x${size.height}`, async () => {
        const t = await open({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: 1 });
        const { page } = t;
        await gotoWithToken(page, server.url, `/`, token);
        await waitForWallSeq(page, lastSeq);

        await expect.poll(() => kpiTexts(page), { timeout: 5000 }).toMatchObject(EXPECTED);
        expect(await testIdText(page, 'kpi-today-change')).toContain('+15');

        // Map: each district's fill, on the whole-city map and the urban inset.
        await expect
          .poll(
            async () => {
              const out: Record<string, number | null> = {};
              for (const d of Object.keys(DISTRICT_TODAY)) out[d] = await mapValue(page, 'main', d);
              return out;
            },
            { timeout: 5000 },
          )
          .toEqual(DISTRICT_TODAY);
        expect(await mapValue(page, 'core', 'ouhai')).toBe(4);
        expect(await mapValue(page, 'core', 'ruian')).toBe(null);

        // 附件2 table.
        for (const [center, count] of Object.entries(CENTER_INCIDENTS)) {
          expect(await centerCell(page, center, 'incidents'), `center-row ${center}`).toBe(count);
        }
        expect(await centerCell(page, 'ruian', 'closed')).toBe('1');
        expect(await centerCell(page, 'ruian', 'closedRate')).toBe('33.33%');
        expect(await centerCell(page, 'yueqing', 'returned')).toBe('1');
        expect(await centerCell(page, 'total', 'closedRate')).toBe('10.00%');

        // Overdue list: the late sign-off, in 瓯海, by 瓯海交通运输, its time ticking.
        const item = page.locator(`[data-testid="overdue-item"][data-order="${overdueOrder}"]`);
        await expect.poll(() => item.count()).toBe(1);
        expect(await page.getByTestId('overdue-item').count()).toBe(1);
        expect(await item.getAttribute('data-limit')).toBe('sign');
        const text = ((await item.textContent()) ?? '').replace(/\s+/g, ' ');
        expect(text).toContain('瓯海');
        expect(text).toContain('签收');
        const late1 = await item.getByTestId('overdue-time').textContent();
        await expect.poll(() => item.getByTestId('overdue-time').textContent(), { timeout: 3000 }).not.toBe(late1);
        // The wall's clock is the real time (the server's), even on a page opened while the
        // feed is quiet, and so is how long the order has been overdue.
        expect(Math.abs(await clockError(page)), 'clock error, s').toBeLessThanOrEqual(2);
        const lateShown = durationSeconds((await item.getByTestId('overdue-time').textContent()) ?? '');
        expect(Math.abs(lateShown - (Date.now() - overdueDueAt) / 1000), 'overdue time error, s').toBeLessThanOrEqual(2);

        // Units board, ticker, header.
        expect(await page.locator('[data-testid="unit-row"][data-unit="ouhai.transport"]').count()).toBe(1);
        expect(await page.getByTestId('ticker-item').count()).toBe(15);
        expect(await testIdText(page, 'link-state')).toBe('实时');
        expect(await page.getByTestId('conn-banner').count()).toBe(0);
        expect(await testIdText(page, 'last-update')).toMatch(/^\d\d:\d\d:\d\d$/);
        expect(await testIdText(page, 'clock')).toMatch(/^\d\d:\d\d:\d\d$/);

        // Scaled canvas, and charts drawn at the scaled pixel ratio (sharp on a 4K wall).
        const layout = await page.evaluate(() => {
          const w = window as unknown as { __wall: { charts: Record<string, { getDevicePixelRatio(): number }> } };
          const canvas = document.querySelector('[data-testid="map-chart"] canvas') as HTMLCanvasElement | null;
          return {
            dpr: w.__wall.charts.map?.getDevicePixelRatio(),
            canvasRatio: canvas ? canvas.width / canvas.clientWidth : null,
            scrollX: document.documentElement.scrollWidth > window.innerWidth,
            scrollY: document.documentElement.scrollHeight > window.innerHeight,
          };
        });
        expect(layout).toEqual({ dpr: size.scale, canvasRatio: size.scale, scrollX: false, scrollY: false });

        // The late order ripples on each map it is marked on: the worker was given every point
        // and draws rings around them, beyond the marker's own dot (5 px).
        const marks = page.locator(`[data-testid="map-overdue"][data-order="${overdueOrder}"]`);
        await expect.poll(() => marks.count()).toBeGreaterThan(0);
        await expect.poll(() => page.getByTestId('map-ripples').getAttribute('data-points')).toBe(String(await marks.count()));
        // Markers are 0x0 boxes at their point (the dot is a pseudo-element around it).
        const mark = await marks.first().evaluate((el) => ({ x: el.getBoundingClientRect().x, y: el.getBoundingClientRect().y }));
        const s = size.scale;
        expect(await redAround(page, mark.x, mark.y, 9 * s, 21 * s), 'red of a ripple ring around the late order').toBeGreaterThan(60);
        // Elsewhere on the map, no ring: the red comes from the ripple, not from the map.
        expect(await redAround(page, mark.x + 80 * s, mark.y - 60 * s, 9 * s, 21 * s, 1), 'red away from any marker').toBeLessThan(60);

        await sleep(1500); // enter transitions and chart animations over
        await screenshot(page, `wall-${size.width}`);
        expect(t.errors).toEqual([]);
      });
    }
  });

  it('recovers without a reload after the server is killed and restarted, then equals a fresh page', async () => {
    const t = await open();
    const { page } = t;
    let navigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    await gotoWithToken(page, server.url, `/`, token);
    const before = (await (await fetch(`${server.url}/api/health`)).json()) as { seq: number };
    await waitForWallSeq(page, before.seq);
    await expect.poll(() => testIdText(page, 'kpi-today')).toBe('15');
    navigations = 0;
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    // While the server is gone the browser logs its refused connection attempts.
    t.ignore(/ERR_CONNECTION_REFUSED|WebSocket connection to .* failed|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET/);
    const port = server.port;
    await server.stop('SIGKILL');

    const banner = page.getByTestId('conn-banner');
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await testIdText(page, 'conn-banner')).toContain('数据连接中断');
    expect(await testIdText(page, 'link-state')).toBe('中断');
    // The last numbers stay on screen meanwhile.
    expect(await testIdText(page, 'kpi-today')).toBe('15');
    await screenshot(page, 'wall-reconnect-down');

    server = await startServer(redis.url, {}, port);
    const restartedAt = Date.now();
    await expect.poll(() => banner.count(), { timeout: 45_000, interval: 200 }).toBe(0);
    const recoveredMs = Date.now() - restartedAt;
    expect(await page.evaluate(() => (window as unknown as { __wall: { state: string } }).__wall.state)).toBe('live');
    expect(await testIdText(page, 'link-state')).toBe('实时');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(navigations).toBe(0);
    expect(Math.abs(await clockError(page)), 'clock error after the reconnect, s').toBeLessThanOrEqual(2);

    // One more event: the recovered page follows live deltas again and equals a fresh page.
    const answer = await postFeed(server.url, [incident('ouhai', Date.now() - 1000)]);
    expect(answer.status).toBe(200);
    await waitForWallSeq(page, answer.body.seq, 10_000);
    const fresh = await open();
    await gotoWithToken(fresh.page, server.url, `/`, token);
    await waitForWallSeq(fresh.page, answer.body.seq);
    await expect.poll(() => testIdText(page, 'kpi-today'), { timeout: 5000 }).toBe('16');
    await expect.poll(() => testIdText(fresh.page, 'kpi-today'), { timeout: 5000 }).toBe('16');
    await expect.poll(async () => [await kpiTexts(page), await kpiTexts(fresh.page)], { timeout: 5000 }).toSatisfy(([a, b]) => JSON.stringify(a) === JSON.stringify(b));
    expect(await kpiTexts(page)).toEqual(await kpiTexts(fresh.page));
    for (const center of ['city', 'ouhai', 'total']) {
      expect(await centerCell(page, center, 'incidents')).toBe(await centerCell(fresh.page, center, 'incidents'));
    }
    expect(await centerCell(page, 'ouhai', 'incidents')).toBe('5');
    console.log(`wall recovered ${recoveredMs} ms after the server restart; ${t.ignored.length} connection errors logged while it was down`);
    expect(t.errors).toEqual([]);
    expect(fresh.errors).toEqual([]);
  });
});

import ExcelJS from 'exceljs';
import { DEMO_NOTE, DEMO_TITLE_PREFIX, Zone, type MonthlyReport } from '@wall/shared';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type TrackedPage, gotoWithToken } from './support/browser.js';
import { FEED_TOKEN, getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// A new user's first start, as `npm run product` does it: no REDIS_URL (the embedded store),
// the simulated feed on by default. Within 2 minutes of the start the wall must show an overdue
// order and /supervisor a popup for `admin`; the simulated data is labelled everywhere the
// docs/bulletin.md says, and the demo store refuses a real feed with the answer printed there.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_DOC = readFileSync(join(root, 'docs/bulletin.md'), 'utf8');
const FIRST_RUN_MS = 120_000;
const zone = new Zone('Asia/Shanghai');

describe('the first run of the embedded default', () => {
  let dataDir: string;
  let server: RunningServer;
  let browser: Browser;
  let wall: TrackedPage;
  let supervisor: TrackedPage;
  let started: number;
  let token: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wall-first-run-'));
    started = Date.now();
    server = await startServer(null, { DATA_DIR: dataDir, SIMULATE: 'auto', SWEEP_INTERVAL_MS: '60000' });
    token = await login(server.url);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await wall?.close();
    await supervisor?.close();
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'shows an overdue order on the wall and a popup on /supervisor for admin within 2 minutes',
    async () => {
      wall = await openPage(browser);
      await gotoWithToken(wall.page, server.url, `/`, token);
      supervisor = await openPage(browser, { viewport: { width: 1440, height: 900 } });
      await supervisor.context.grantPermissions(['notifications'], { origin: server.url });
      await supervisor.page.goto(`${server.url}/supervisor`);
      await supervisor.page.fill('input[name=username]', 'admin');
      await supervisor.page.fill('input[name=password]', 'admin-pass-1');
      await supervisor.page.click('button[type=submit]');
      await supervisor.page.locator('[data-testid=unlock-button]').click();

      const left = () => Math.max(1000, FIRST_RUN_MS - (Date.now() - started));
      const overdue = wall.page.getByTestId('overdue-item').first();
      const popup = supervisor.page.getByTestId('alarm-popup');
      await Promise.all([overdue.waitFor({ timeout: left() }), popup.waitFor({ timeout: left() })]);
      const seenAfter = Date.now() - started;
      console.log(`first run: overdue item and popup ${Math.round(seenAfter / 1000)} s after the start`);
      expect(seenAfter).toBeLessThanOrEqual(FIRST_RUN_MS);
      // The map ripples the late order (the worker got its point).
      await expect.poll(() => wall.page.getByTestId('map-ripples').getAttribute('data-points'), { timeout: 10_000 }).not.toBe('0');
      await expect.poll(() => wall.page.getByTestId('demo-badge').textContent()).toContain('模拟数据');
      await screenshot(wall.page, 'first-run-wall');
      await screenshot(supervisor.page, 'first-run-supervisor');

      // The alarm exists on the server, for admin, from the roster's default.
      const alarms = (await getJson<Array<{ limit: string; recipients?: string[] }>>(server.url, '/api/alarms?state=all', token)).body;
      expect(alarms.length).toBeGreaterThan(0);
      expect(await popup.getAttribute('data-unit')).toBe('city.emergency');
      // Not by lowering real limits: the reference's defaults are as the contract says.
      const reference = (await getJson<{ defaultLimits: unknown; limitOverrides?: unknown[] }>(server.url, '/api/reference', token)).body;
      expect(reference.defaultLimits).toEqual({ signMinutes: 5, arriveMinutes: 20, feedbackMinutes: 60 });
      expect(reference.limitOverrides ?? []).toEqual([]);
      expect(wall.errors).toEqual([]);
    },
    FIRST_RUN_MS + 30_000,
  );

  it('keeps the demo under its own data directory and marks each simulated event in the log', async () => {
    expect(existsSync(join(dataDir, 'demo', 'redis'))).toBe(true);
    expect(existsSync(join(dataDir, 'redis'))).toBe(false);
    const today = zone.dayKey(Date.now());
    const res = await fetch(`${server.url}/api/events?from=${today}&to=${today}`, { headers: { authorization: `Bearer ${token}` } });
    const events = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { sim?: boolean });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.sim === true)).toBe(true);
  });

  it('refuses a real-token POST into the demo store with the answer docs/bulletin.md prints, storing nothing', async () => {
    const seq = ((await (await fetch(`${server.url}/api/health`)).json()) as { seq: number }).seq;
    const res = await postFeed(
      server.url,
      [{ id: 'real-1', type: 'incident.reported', at: new Date().toISOString(), incident: 'real-i1', center: 'ruian', kind: 'alarm', category: '火情' }],
      { token: FEED_TOKEN },
    );
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^store holds simulated data/);
    // Documented word for word.
    expect(DEMO_DOC.replace(/\s+/g, ' ')).toContain(res.body.message!);
    const events = await (
      await fetch(`${server.url}/api/events?from=${zone.dayKey(Date.now())}&to=${zone.dayKey(Date.now())}`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(events).not.toContain('real-1');
    const after = ((await (await fetch(`${server.url}/api/health`)).json()) as { seq: number }).seq;
    expect(after).toBeGreaterThanOrEqual(seq);
  });

  it('labels the month’s bulletin, its XLSX and its CSV as a demonstration, as docs/bulletin.md says', async () => {
    const month = zone.monthKey(Date.now());
    const report = (await getJson<MonthlyReport>(server.url, `/api/reports/monthly?month=${month}`, token)).body;
    // Counted, and said so: every real incident of the month here came from the simulator.
    expect(report.simulated).toBeGreaterThan(0);
    expect(report.simulated).toBe(report.centers.reduce((n, c) => n + c.incidents, 0));

    const xlsx = await fetch(`${server.url}/api/reports/monthly.xlsx?month=${month}`, { headers: { authorization: `Bearer ${token}` } });
    expect(decodeURIComponent(xlsx.headers.get('content-disposition') ?? '')).toContain('【演示·模拟数据】');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    for (const sheet of book.worksheets) {
      expect(sheet.getCell(1, 1).text, sheet.name).toMatch(new RegExp(`^${DEMO_TITLE_PREFIX.replace(/[【】]/g, '\\$&')}`));
    }
    const csv = await (await fetch(`${server.url}/api/reports/monthly.csv?month=${month}&table=centers`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(csv).toContain(DEMO_NOTE);

    const page = await openPage(browser);
    try {
      await gotoWithToken(page.page, server.url, `/`, token);
      await page.page.goto(`${server.url}/bulletin?month=${month}`);
      await page.page.getByTestId('demo-banner').waitFor({ timeout: 20_000 });
      expect(await page.page.getByTestId('bulletin-title').textContent()).toContain('【演示·模拟数据】');
      expect(await page.page.title()).toContain('【演示·模拟数据】');
      await screenshot(page.page, 'first-run-bulletin');
    } finally {
      await page.close();
    }
  });
});

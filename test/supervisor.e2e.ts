import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WALL_NAMESPACE, type Alarm, type ReferenceData, type WallSnapshot } from '@wall/shared';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { orderWithSignLimit, send } from './support/orders.js';

// The supervisor console (督导台) in headless Chromium against the built server and a real
// Redis: the popup comes within 2 s of the due time, and the acknowledgement made through it
// reaches the server and the wall.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const SIGN_MIN = 0.05; // 3 s
const SUP = { username: 'sup1', password: 'sup1-pass-123' };

const dispatch = (unit: string, at?: number) => orderWithSignLimit(unit, SIGN_MIN, at);

/** Today in Asia/Shanghai (fixed UTC+8). */
const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function wallSnapshot(url: string, token: string): Promise<WallSnapshot> {
  const socket = io(`${url}${WALL_NAMESPACE}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    return await new Promise<WallSnapshot>((resolve, reject) => {
      socket.once('snapshot', resolve);
      socket.once('connect_error', reject);
      setTimeout(() => reject(new Error('no wall snapshot in 5 s')), 5000);
    });
  } finally {
    socket.close();
  }
}

/** Records desktop notifications and beeps (oscillators) made by the page. */
const PROBE = `
  window.__notes = [];
  window.__beeps = 0;
  if (window.Notification) {
    const N = window.Notification;
    class Recorded extends N {
      constructor(title, options) { super(title, options); window.__notes.push({ title, body: options && options.body }); }
    }
    window.Notification = Recorded;
  }
  if (window.AudioContext) {
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () { window.__beeps++; return create.call(this); };
  }
`;

describe('the supervisor console', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let admin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let unitNames: Map<string, string>;
  const pageErrors: string[] = [];
  /** Console errors a test expects (a refused request's status), cleared after each test. */
  let expectedErrors: RegExp[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    redis = await startTestRedis();
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '1000' });
    admin = await login(server.url);
    expect((await send(server.url, admin, 'POST', '/api/users', { ...SUP, role: 'supervisor', scope: { centers: ['ruian'] } })).status).toBe(201);
    expect((await send(server.url, admin, 'POST', '/api/users', { username: 'screen1', password: 'screen1-pass', role: 'viewer' })).status).toBe(201);
    const today = shanghaiToday();
    const roster = await send(server.url, admin, 'PUT', '/api/roster', {
      shifts: [{ user: SUP.username, level: 'supervisor' }],
      ackTimeoutMinutes: 5,
      dutyPeriods: [{ name: '测试值守', from: today, to: today }],
    });
    expect(roster.status).toBe(200);
    const reference = await getJson<ReferenceData>(server.url, '/api/reference', admin);
    unitNames = new Map(reference.body.units.map((u) => [u.id, u.name]));

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.grantPermissions(['notifications'], { origin: server.url });
    await context.addInitScript({ content: PROBE });
    page = await context.newPage();
    // A page error or console error fails the test it happened in (afterEach).
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.stack ?? e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console.error: ${m.text()}`);
      else if (m.type() === 'warning') console.log(`[page warning] ${m.text()}`);
    });
  });
  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors.filter((e) => !expectedErrors.some((p) => p.test(e)))).toEqual([]);
    expectedErrors = [];
  });
  afterAll(async () => {
    if (server && server.child.exitCode !== null) console.log(`server exited ${server.child.exitCode}:\n${server.output().slice(-3000)}`);
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  async function loginAs(username: string, password: string) {
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  }

  it('tells a viewer that it cannot use the page', async () => {
    // The console's login refuses a viewer on the server: that 401 is the one console error expected.
    expectedErrors = [/status of 401/];
    await page.goto(`${server.url}/supervisor`);
    await loginAs('screen1', 'screen1-pass');
    await expect.poll(() => page.textContent('[data-testid=login-error]'), { timeout: 5000 }).toContain('无权使用督导台');
    expect(await page.locator('[data-testid=supervisor-console]').count()).toBe(0);
  });

  it('pops up within 2 s of the due time; the acknowledgement reaches the server and the wall', async () => {
    await page.goto(`${server.url}/supervisor`);
    await loginAs(SUP.username, SUP.password);
    await page.locator('[data-testid=unlock-button]').click();
    await page.locator('[data-testid=unlock-card]').waitFor({ state: 'detached', timeout: 5000 });
    await page.locator('[data-testid=link-state].live').waitFor({ timeout: 10_000 });
    expect(await page.textContent('[data-testid=current-user]')).toBe(SUP.username);
    expect(await page.textContent('[data-testid=duty-badge]')).toContain('节日值守 · 测试值守');
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');
    const beepsBefore = await page.evaluate(() => (window as any).__beeps as number);

    const order = dispatch('ruian.power');
    const accepted = await postFeed(server.url, order.events);
    expect(accepted.body.accepted).toBe(2);
    const due = order.at + SIGN_MIN * 60_000;
    const popup = page.locator('[data-testid=alarm-popup]');
    await popup.waitFor({ timeout: 10_000 });
    const shownAt = Date.now();
    console.log(`popup ${shownAt - due} ms after the due time`);
    expect(shownAt - due).toBeGreaterThanOrEqual(0);
    expect(shownAt - due).toBeLessThan(2000);
    expect(await page.textContent('[data-testid=popup-unit]')).toBe(unitNames.get('ruian.power'));
    expect(await popup.textContent()).toContain('签收');
    // Sound after the unlock, and a desktop notification.
    expect(await page.evaluate(() => (window as any).__beeps as number)).toBeGreaterThan(beepsBefore);
    const notes = await page.evaluate(() => (window as any).__notes as Array<{ title: string; body: string }>);
    expect(notes.at(-1)?.title).toContain(unitNames.get('ruian.power'));

    // The list has it with a ticking overdue timer.
    const row = page.locator(`[data-testid=open-alarm][data-order="${order.order}"]`);
    const timer = row.locator('[data-testid=overdue-timer]');
    const t1 = await timer.textContent();
    expect(t1).toMatch(/^\d\d:\d\d$/);
    await expect.poll(() => timer.textContent(), { timeout: 2500, interval: 200 }).not.toBe(t1);
    expect(await row.locator('[data-testid=ack-state]').textContent()).toContain('未确认');

    // The header's time and date stand apart (they once ran together as 01:18:502026年…).
    const clock = page.getByTestId('header-clock');
    const [num, date] = [await clock.locator('.num').boundingBox(), await clock.locator('.date').boundingBox()];
    expect(date!.x - (num!.x + num!.width), 'px between the header time and its date').toBeGreaterThanOrEqual(8);

    await page.fill('[data-testid=ack-note]', '已电话督促瑞安电力尽快签收');
    await page.screenshot({ path: join(ARTIFACTS, 'supervisor.png') });
    await page.click('[data-testid=ack-button]');
    await popup.waitFor({ state: 'detached', timeout: 5000 });
    await expect.poll(() => row.locator('[data-testid=ack-state]').textContent(), { timeout: 5000 }).toContain(`已确认 · ${SUP.username}`);

    const all = await getJson<Alarm[]>(server.url, '/api/alarms?state=all', admin);
    const alarm = all.body.find((a) => a.order === order.order)!;
    expect(alarm).toMatchObject({ limit: 'sign', acknowledgedBy: SUP.username, note: '已电话督促瑞安电力尽快签收', resolvedAt: null });
    expect(all.body.filter((a) => a.order === order.order)).toHaveLength(1);

    await expect
      .poll(async () => (await wallSnapshot(server.url, admin)).sections.overdue.items.find((i) => i.order === order.order && i.limit === 'sign')?.acknowledgedBy, {
        timeout: 5000,
      })
      .toBe(SUP.username);

    // The shift's history shows it with the note.
    const history = page.locator(`[data-testid=history-row][data-id="${alarm.id}"]`);
    await expect.poll(() => history.textContent(), { timeout: 5000 }).toContain('已电话督促瑞安电力尽快签收');
    await page.screenshot({ path: join(ARTIFACTS, 'supervisor-acked.png'), fullPage: true });
  });

  it('groups a flood of one unit into one popup and acknowledges each alarm of it', async () => {
    const at = Date.now();
    const orders = [dispatch('ruian.fire', at), dispatch('ruian.fire', at + 10), dispatch('ruian.fire', at + 20)];
    await postFeed(
      server.url,
      orders.flatMap((o) => o.events),
    );
    const popup = page.locator('[data-testid=alarm-popup][data-unit="ruian.fire"]');
    await popup.waitFor({ timeout: 10_000 });
    await expect.poll(() => popup.getAttribute('data-count'), { timeout: 3000 }).toBe('3');
    expect(await page.locator('[data-testid=alarm-popup]').count()).toBe(1);
    await page.fill('[data-testid=ack-note]', '批量确认');
    await page.screenshot({ path: join(ARTIFACTS, 'supervisor-group.png') });
    await page.click('[data-testid=ack-button]');
    await popup.waitFor({ state: 'detached', timeout: 5000 });
    const all = await getJson<Alarm[]>(server.url, '/api/alarms?state=all', admin);
    for (const o of orders) expect(all.body.find((a) => a.order === o.order)).toMatchObject({ acknowledgedBy: SUP.username, note: '批量确认' });
    // A late sign-off resolves one: it leaves the open list.
    await postFeed(server.url, [{ id: `s-${orders[0]!.order}`, type: 'order.signed', at: new Date().toISOString(), incident: orders[0]!.incident, order: orders[0]!.order }]);
    await page.locator(`[data-testid=open-alarm][data-order="${orders[0]!.order}"]`).waitFor({ state: 'detached', timeout: 5000 });
    expect(await page.locator(`[data-testid=open-alarm][data-order="${orders[1]!.order}"]`).count()).toBe(1);
  });
});

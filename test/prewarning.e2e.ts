import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type TrackedPage, gotoWithToken } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { ADMIN_PASSWORD, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { orderWithSignLimit, send } from './support/orders.js';

// Pre-warning (预警) and 无人接收 in headless Chromium against the built server and a real
// Redis: an order with a 12 s sign limit turns yellow at 80 % (9.6 s) on the wall's list (即将超时
// with a countdown), on its map and on the supervisor console, with no popup; red and a popup
// at the limit. An alarm nobody can take shows 无人接收 on the wall and on the admin's console.

const LIMIT_S = 12;
const SHARE = 0.8;
const SUP = { username: 'sup-ra', password: 'sup-ra-pass-123' };

const dispatch = (unit: string, at?: number) => orderWithSignLimit(unit, LIMIT_S / 60, at);

/** Resolves with the time a selector first matched. */
async function seenAt(page: Page, selector: string, timeout: number): Promise<number> {
  // Attached, not visible: a map marker is a zero-size point drawn by its ::after.
  await page.locator(selector).first().waitFor({ state: 'attached', timeout });
  return Date.now();
}

async function openConsole(browser: Browser, url: string, username: string, password: string): Promise<TrackedPage> {
  const tracked = await openPage(browser, { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const { page } = tracked;
  await page.goto(`${url}/supervisor`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.locator('[data-testid=unlock-button]').click();
  await page.locator('[data-testid=link-state].live').waitFor({ timeout: 10_000 });
  return tracked;
}

describe('pre-warning and 无人接收 on the wall and the console', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let admin: string;
  let browser: Browser;
  let wall: TrackedPage;
  let sup: TrackedPage;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '600000' });
    admin = await login(server.url);
    expect((await send(server.url, admin, 'POST', '/api/users', { ...SUP, role: 'supervisor', scope: { centers: ['ruian'] } })).status).toBe(201);
    expect((await send(server.url, admin, 'PUT', '/api/roster', { shifts: [{ user: SUP.username, level: 'supervisor' }] })).status).toBe(200);
    browser = await launchBrowser();
    wall = await openPage(browser);
    await gotoWithToken(wall.page, server.url, `/`, admin);
    await wall.page.locator('[data-testid=overdue-list]').waitFor({ state: 'attached', timeout: 10_000 });
    sup = await openConsole(browser, server.url, SUP.username, SUP.password);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  it('turns yellow at 80 % of the limit on the list, the map and the console, without a popup; red at the limit', async () => {
    const order = dispatch('ruian.power');
    const warnAt = order.at + LIMIT_S * SHARE * 1000;
    const due = order.at + LIMIT_S * 1000;
    expect((await postFeed(server.url, order.events)).body.accepted).toBe(2);
    const onList = `[data-testid=prewarn-item][data-order="${order.order}"]`;
    const onMap = `[data-testid=map-prewarn][data-order="${order.order}"]`;
    const onConsole = `[data-testid=prewarn-row][data-order="${order.order}"]`;
    // Not yellow before its share: a second before, none of the three shows it.
    await new Promise((r) => setTimeout(r, Math.max(0, warnAt - 1000 - Date.now())));
    expect(await wall.page.locator(onList).count()).toBe(0);
    expect(await wall.page.locator(onMap).count()).toBe(0);
    expect(await sup.page.locator(onConsole).count()).toBe(0);

    const [listAt, mapAt, consoleAt] = await Promise.all([seenAt(wall.page, onList, 5000), seenAt(wall.page, onMap, 5000), seenAt(sup.page, onConsole, 5000)]);
    console.log(`yellow after warnAt: list ${listAt - warnAt} ms, map ${mapAt - warnAt} ms, console ${consoleAt - warnAt} ms; due in ${due - Date.now()} ms`);
    for (const t of [listAt, mapAt, consoleAt]) {
      expect(t).toBeGreaterThanOrEqual(warnAt - 50);
      expect(t).toBeLessThan(due);
    }
    const row = wall.page.locator(onList);
    expect(await row.textContent()).toContain('即将超时');
    const left = await row.locator('[data-testid=prewarn-countdown]').textContent();
    const m = /^(\d\d):(\d\d)$/.exec(left ?? '');
    expect(m, `countdown "${left}"`).not.toBeNull();
    expect(Number(m![1]) * 60 + Number(m![2])).toBeLessThanOrEqual(Math.ceil(LIMIT_S * (1 - SHARE)));
    expect(await wall.page.locator('[data-testid=prewarn-count]').textContent()).toContain('即将超时');
    // Yellow: the list row's border and the map dot are the wall's amber, not its red.
    const amber = await wall.page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--amber').trim());
    expect(amber).toBe('#ffc857');
    expect(await row.evaluate((el) => getComputedStyle(el).borderLeftColor)).toBe('rgb(255, 200, 87)');
    expect(
      await wall.page
        .locator(onMap)
        .first()
        .evaluate((el) => getComputedStyle(el, '::after').backgroundColor),
    ).toBe('rgb(255, 200, 87)');
    // Yellow, not red: not on the overdue rows, and no popup on the console.
    expect(await wall.page.locator(`[data-testid=overdue-item][data-order="${order.order}"]`).count()).toBe(0);
    expect(await sup.page.locator('[data-testid=alarm-popup]').count()).toBe(0);
    await screenshot(wall.page, 'prewarning-wall');
    await screenshot(sup.page, 'prewarning-console');

    // At the limit: red on the wall, a popup on the console, and no longer yellow.
    await wall.page.locator(`[data-testid=overdue-item][data-order="${order.order}"]`).waitFor({ timeout: 5000 });
    await sup.page.locator('[data-testid=alarm-popup]').waitFor({ timeout: 5000 });
    await expect.poll(() => wall.page.locator(onList).count(), { timeout: 3000 }).toBe(0);
    await expect.poll(() => sup.page.locator(onConsole).count(), { timeout: 3000 }).toBe(0);
    await sup.page.click('[data-testid=ack-button]');
  });

  it("follows an admin's share for a limit kind (PUT /api/reference prewarnShares), refusing a bad one by field", async () => {
    const ref = (await (await fetch(`${server.url}/api/reference`, { headers: { authorization: `Bearer ${admin}` } })).json()) as Record<string, unknown>;
    const bad = await send(server.url, admin, 'PUT', '/api/reference', { ...ref, prewarnShares: { sign: 1.5 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('prewarnShares.sign');
    expect((await send(server.url, admin, 'PUT', '/api/reference', { ...ref, prewarnShares: { sign: 0.5 } })).status).toBe(200);
    const order = dispatch('ruian.water');
    const half = order.at + LIMIT_S * 0.5 * 1000;
    expect((await postFeed(server.url, order.events)).body.accepted).toBe(2);
    const onList = `[data-testid=prewarn-item][data-order="${order.order}"]`;
    await new Promise((r) => setTimeout(r, Math.max(0, half - 1000 - Date.now())));
    expect(await wall.page.locator(onList).count()).toBe(0);
    const seen = await seenAt(wall.page, onList, 5000);
    console.log(`yellow ${seen - half} ms after 50 % of the limit`);
    expect(seen).toBeGreaterThanOrEqual(half - 50);
    // Well before the default 80 %.
    expect(seen).toBeLessThan(order.at + LIMIT_S * SHARE * 1000);
    expect((await send(server.url, admin, 'PUT', '/api/reference', ref)).status).toBe(200);
    await sup.page.locator('[data-testid=alarm-popup]').waitFor({ timeout: LIMIT_S * 1000 });
    await sup.page.click('[data-testid=ack-button]');
  });

  it('an alarm nobody can take shows 无人接收 on the wall and on the admin console', async () => {
    const adminConsole = await openConsole(browser, server.url, 'admin', ADMIN_PASSWORD);
    // Taishun: outside the only supervisor's scope, and no fallback or leader.
    const order = dispatch('taishun.water');
    expect((await postFeed(server.url, order.events)).body.accepted).toBe(2);
    const wallRow = wall.page.locator(`[data-testid=overdue-item][data-order="${order.order}"]`);
    await wallRow.waitFor({ timeout: LIMIT_S * 1000 + 5000 });
    await wallRow.locator('[data-testid=overdue-unreached]').waitFor({ timeout: 3000 });
    const consoleRow = adminConsole.page.locator(`[data-testid=open-alarm][data-order="${order.order}"]`);
    await consoleRow.locator('[data-testid=unreached]').waitFor({ timeout: 5000 });
    expect(await adminConsole.page.textContent('[data-testid=unreached-count]')).toContain('无人接收 1');
    expect(await adminConsole.page.locator('[data-testid=alarm-popup]').count()).toBe(0);
    expect(await sup.page.locator(`[data-testid=open-alarm][data-order="${order.order}"]`).count()).toBe(0);
    await screenshot(adminConsole.page, 'unreached-console');
    await adminConsole.close();
  });
});

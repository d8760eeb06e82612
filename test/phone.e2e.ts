import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { login, postFeed, startServer, type RunningServer } from './support/server.js';

// The supervisor console on a 390x844 phone (touch, DPR 3) in headless Chromium: the list, the
// popup and an acknowledgement with a note fit the screen without sideways scrolling; the page
// links a web app manifest that can be added to the home screen.

const SUP = { username: 'sup-m', password: 'sup-m-pass-123' };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

async function send(url: string, token: string, method: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.status;
}

describe('the console on a phone', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '600000' });
    const admin = await login(server.url);
    expect(await send(server.url, admin, 'POST', '/api/users', { ...SUP, role: 'supervisor' })).toBe(201);
    expect(await send(server.url, admin, 'PUT', '/api/roster', { shifts: [{ user: SUP.username, level: 'supervisor' }], ackTimeoutMinutes: 30 })).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  it('links a web app manifest for the home screen', async () => {
    const p = await openPage(browser, PHONE);
    await p.page.goto(`${server.url}/supervisor`);
    const href = await p.page.getAttribute('link[rel=manifest]', 'href');
    expect(href).toBeTruthy();
    const res = await fetch(new URL(href!, `${server.url}/supervisor`));
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as { name: string; start_url: string; display: string; icons: Array<{ src: string; sizes: string }> };
    expect(manifest).toMatchObject({ start_url: '/supervisor', display: 'standalone' });
    expect(manifest.name).toContain('督导台');
    for (const icon of manifest.icons) expect((await fetch(new URL(icon.src, `${server.url}/`))).status).toBe(200);
    expect(manifest.icons.some((i) => i.sizes.includes('512'))).toBe(true);
    await p.close();
  });

  it('list, popup and acknowledgement with a note fit a 390x844 screen', async () => {
    const p = await openPage(browser, PHONE);
    const { page } = p;
    await page.goto(`${server.url}/supervisor`);
    await page.fill('input[name=username]', SUP.username);
    await page.fill('input[name=password]', SUP.password);
    await page.tap('button[type=submit]');
    await page.locator('[data-testid=unlock-button]').tap();
    await page.locator('[data-testid=link-state].live').waitFor({ timeout: 10_000 });
    const at = Date.now();
    const events = ['ruian.police', 'yueqing.water'].flatMap((unit, i) => [
      { id: `r-m${i}`, type: 'incident.reported', at: new Date(at - 1000).toISOString(), incident: `i-m${i}`, center: unit.split('.')[0], kind: 'alarm', category: '测试' },
      {
        id: `d-m${i}`,
        type: 'order.dispatched',
        at: new Date(at).toISOString(),
        incident: `i-m${i}`,
        order: `o-m${i}`,
        unit,
        deadlines: { signMinutes: 0.05, arriveMinutes: 60, feedbackMinutes: 120 },
      },
    ]);
    await postFeed(server.url, events);
    const popup = page.locator('[data-testid=alarm-popup]');
    await popup.waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=open-alarm]').nth(1).waitFor({ timeout: 5000 });
    // Nothing wider than the screen, and the popup's controls inside it.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await popup.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    const ack = await page.locator('[data-testid=ack-button]').boundingBox();
    expect(ack!.y + ack!.height).toBeLessThanOrEqual(844);
    expect(ack!.height).toBeGreaterThanOrEqual(44); // a thumb's target
    await page.fill('[data-testid=ack-note]', '已电话督促');
    await screenshot(page, 'phone-console-popup');
    const unit = await popup.getAttribute('data-unit');
    await page.locator('[data-testid=ack-button]').tap();
    // The acknowledged popup goes; the other alarm's popup comes next.
    await page.locator(`[data-testid=alarm-popup][data-unit="${unit}"]`).waitFor({ state: 'detached', timeout: 5000 });
    await page.locator('[data-testid=alarm-popup]').locator('text=稍后处理').tap();
    await page.locator('[data-testid=alarm-popup]').waitFor({ state: 'detached', timeout: 5000 });
    const rows = page.locator('[data-testid=open-alarm]');
    await expect.poll(() => rows.filter({ hasText: '已确认' }).count(), { timeout: 5000 }).toBe(1);
    for (const row of await rows.all()) {
      const r = await row.boundingBox();
      expect(r!.x + r!.width).toBeLessThanOrEqual(390);
    }
    await screenshot(page, 'phone-console-list');
    expect(p.errors).toEqual([]);
    await p.close();
  });
});

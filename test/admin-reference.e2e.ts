import AxeBuilder from '@axe-core/playwright';
import type { AssessmentRules, ReferenceData } from '@wall/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, statusPattern, storeToken, type TrackedPage } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { ADMIN_PASSWORD, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { adminCall, createUser } from './support/users.js';

// The admin console's 基础数据, 规则 and 系统 sections, driven through the page and read back
// through the API: a unit added on the page takes orders on the feed, bad input shows a field
// error and stores nothing, a rule changed on the page is the API's, the sections are 403 for
// supervisors and viewers, and axe finds no serious violation on them at 1366×768.

const POLL = { timeout: 10_000 };

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('the admin console: 基础数据, 规则, 系统', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let browser: Browser;
  let admin: string;
  let console_: TrackedPage;
  const pages: TrackedPage[] = [];

  const reference = async () => (await adminCall<ReferenceData>(server.url, admin, 'GET', '/api/reference')).body;
  const now = () => new Date().toISOString();
  const order = (n: string) => [
    { id: `${n}-r`, type: 'incident.reported', at: now(), incident: `${n}-i`, center: 'city', district: 'lucheng', kind: 'alarm', category: '火情' },
    { id: `${n}-d`, type: 'order.dispatched', at: now(), incident: `${n}-i`, order: `${n}-o`, unit: 'city.fire' },
  ];

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    admin = await login(server.url);
    browser = await launchBrowser();
    console_ = await openPage(browser, { viewport: { width: 1366, height: 768 } });
    pages.push(console_);
    await console_.page.goto(`${server.url}/admin/reference`);
    await console_.page.fill('input[name=username]', 'admin');
    await console_.page.fill('input[name=password]', ADMIN_PASSWORD);
    await console_.page.keyboard.press('Enter');
    await console_.page.getByTestId('reference-units').waitFor();
  });
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  const form = () => console_.page.getByTestId('unit-add-form');
  const fieldError = (label: string) => form().locator('.el-form-item').filter({ hasText: label }).locator('.el-form-item__error');
  async function pickType(name: string): Promise<void> {
    await console_.page.getByTestId('unit-add-type').click();
    await console_.page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
  }

  it('refuses an empty name and a duplicate unit id with a field error, storing nothing', async () => {
    const { page } = console_;
    const before = await reference();
    await pickType('消防救援');
    await form().locator('input[name=unit-id]').fill('city.fire');
    await form().locator('input[name=unit-name]').fill('');
    await page.getByTestId('unit-add-submit').click();
    await expect.poll(async () => fieldError('名称').textContent(), POLL).toBe('不能为空');
    await form().locator('input[name=unit-id]').fill('ruian.fire');
    await form().locator('input[name=unit-name]').fill('重复的单位');
    await page.getByTestId('unit-add-submit').click();
    await expect.poll(async () => fieldError('编号').textContent(), POLL).toBe('编号重复：已有相同编号');
    expect(await reference()).toEqual(before);
  });

  it('adds a unit through the page, after which the feed accepts an order to it', async () => {
    const { page } = console_;
    const refused = await postFeed(server.url, order('before'));
    expect(refused.body.rejected.map((r) => r.id)).toEqual(['before-d']);
    expect(refused.body.rejected[0]!.error).toContain('city.fire');
    await form().locator('input[name=unit-id]').fill('city.fire');
    await form().locator('input[name=unit-name]').fill('温州市消防救援支队');
    await page.getByTestId('unit-add-submit').click();
    await page.getByTestId('reference-saved').waitFor();
    expect((await page.getByTestId('reference-saved').textContent()) ?? '').toContain('新派单');
    const stored = await reference();
    expect(stored.units.find((u) => u.id === 'city.fire')).toEqual({ id: 'city.fire', name: '温州市消防救援支队', center: 'city', type: 'fire' });
    const answer = await postFeed(server.url, order('after'));
    expect(answer.body.rejected).toEqual([]);
    expect(answer.body.accepted).toBe(2);
    await page.screenshot({ path: '/tmp/admin-reference.png', fullPage: false });
  });

  it('changes an assessment rule and the pre-warning share through the page, read back through the API', async () => {
    const { page } = console_;
    await page.getByTestId('admin-nav-rules').click();
    const input = page.getByTestId('rule-arriveLate').locator('input');
    await input.waitFor();
    await input.fill('3.5');
    await input.blur();
    await page.getByTestId('rules-save').click();
    await expect.poll(async () => (await adminCall<AssessmentRules>(server.url, admin, 'GET', '/api/reports/assessment-rules')).body.arriveLate, POLL).toBe(3.5);
    const share = page.getByTestId('prewarn-sign').locator('input');
    await share.fill('70');
    await share.blur();
    await page.getByTestId('prewarn-save').click();
    await expect.poll(async () => (await reference()).prewarnShares?.sign, POLL).toBe(0.7);
    // The unit added above is still there: the share's PUT replaced the reference data whole.
    expect((await reference()).units.some((u) => u.id === 'city.fire')).toBe(true);
    await page.screenshot({ path: '/tmp/admin-rules.png' });
  });

  it('shows readiness, version and a Bull Board ticket on 系统', async () => {
    const { page } = console_;
    await page.getByTestId('admin-nav-system').click();
    await expect.poll(async () => page.getByTestId('system-node').textContent(), POLL).toBe(process.version);
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { version: string };
    await expect.poll(async () => page.getByTestId('system-version').textContent(), POLL).toBe(pkg.version);
    const popup = page.context().waitForEvent('page');
    await page.getByTestId('system-board').click();
    const board = await popup;
    await board.waitForLoadState();
    // The one-time ticket is redeemed for the board's cookie and the page lands on the board.
    expect(board.url()).toContain('/admin/queues');
    await board.close();
    expect(await page.getByTestId('system-board-link').getAttribute('href')).toMatch(/\/admin\/queues\?ticket=/);
    await page.screenshot({ path: '/tmp/admin-system.png' });
  });

  it('mounts the holidays duty in the roster section for admins', async () => {
    const { page } = console_;
    await page.getByTestId('admin-nav-roster').click();
    await expect.poll(async () => page.locator('[data-slot=holidays]').innerText(), POLL).not.toBe('');
  });

  it('has no serious accessibility violations on the new sections', async () => {
    const { page } = console_;
    for (const id of ['reference', 'rules', 'system']) {
      await page.getByTestId(`admin-nav-${id}`).click();
      await page
        .locator('h2.title')
        .filter({ hasText: { reference: '基础数据', rules: '规则', system: '系统' }[id]! })
        .waitFor();
      await page.waitForTimeout(300);
      expect(await seriousViolations(page), id).toEqual([]);
    }
  });

  it('shows the 403 page on these sections to a supervisor and a viewer', async () => {
    await createUser(server.url, admin, 'sup-ref', 'supervisor', 'sup-pass-123');
    await createUser(server.url, admin, 'view-ref', 'viewer', 'view-pass-123');
    for (const [name, role, password] of [
      ['sup-ref', 'supervisor', 'sup-pass-123'],
      ['view-ref', 'viewer', 'view-pass-123'],
    ] as const) {
      const token = await login(server.url, name, password);
      const p = await openPage(browser, { viewport: { width: 1366, height: 768 } });
      pages.push(p);
      const denied = p.ignore(statusPattern(403));
      await storeToken(p.page, server.url, token, role);
      for (const id of ['reference', 'rules', 'system']) {
        await p.page.goto(`${server.url}/admin/${id}`);
        await p.page.getByTestId('admin-403').waitFor();
        expect(await p.page.getByTestId('admin-403').textContent()).toContain('403');
        expect(await p.page.getByTestId('reference-units').count()).toBe(0);
      }
      denied();
    }
  });
});

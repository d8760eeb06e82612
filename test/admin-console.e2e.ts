import AxeBuilder from '@axe-core/playwright';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PagingPreview, Roster } from '@wall/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, statusPattern, storeToken, waitForWallSeq, type TrackedPage } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { ADMIN_PASSWORD, login, startServer, type RunningServer } from './support/server.js';
import { adminCall, createUser } from './support/users.js';

// The admin console (/admin), driven through the page as an admin would, each result read
// back through the API: users (create a supervisor scoped to 瑞安市, bad input refused with a
// field error and nothing stored, disabling closes their open console), screens (a code the
// page generated enrols a wall), 403 pages for the roles an admin-only part is not for, every
// step in the audit log, and no serious accessibility violation.

interface ApiUser {
  username: string;
  role: string;
  scope?: { centers?: string[] };
  disabled?: boolean;
}
interface AuditRow {
  who: string;
  action: string;
  detail?: { username?: string; name?: string };
}

const SUPERVISOR = 'ruian-duty';
const POLL = { timeout: 10_000 };
const SUPERVISOR_PASSWORD = 'ruian-pass-123';

const SECRET = 'SEC-test-secret-0123456789';

/** A DingTalk-style robot on 127.0.0.1 that checks 加签 (base64 HMAC-SHA256 of "timestamp\nsecret") and answers errcode 0. */
async function startReceiver(): Promise<{ url: string; got: Array<{ signOk: boolean; text: string }>; close(): Promise<void> }> {
  const got: Array<{ signOk: boolean; text: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const ts = u.searchParams.get('timestamp') ?? '';
      const expected = createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');
      const signOk = Math.abs(Date.now() - Number(ts)) < 3600_000 && u.searchParams.get('sign') === expected;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { markdown?: { text?: string } };
      got.push({ signOk, text: body.markdown?.text ?? '' });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(signOk ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, got, close: () => new Promise((r) => server.close(() => r())) };
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('the admin console', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let browser: Browser;
  let admin: string;
  let console_: TrackedPage;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const pages: TrackedPage[] = [];

  const users = async () => (await adminCall<ApiUser[]>(server.url, admin, 'GET', '/api/users')).body;
  const audit = async () => (await adminCall<AuditRow[]>(server.url, admin, 'GET', '/api/audit?limit=200')).body;

  beforeAll(async () => {
    redis = await startTestRedis();
    receiver = await startReceiver();
    server = await startServer(redis.url);
    admin = await login(server.url);
    browser = await launchBrowser();
    console_ = await openPage(browser, { viewport: { width: 1366, height: 768 } });
    pages.push(console_);
    await console_.page.goto(`${server.url}/admin`);
    await console_.page.fill('input[name=username]', 'admin');
    await console_.page.fill('input[name=password]', ADMIN_PASSWORD);
    await console_.page.keyboard.press('Enter');
    await console_.page.getByTestId('users-table').waitFor();
  });
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    await receiver?.close();
    await redis?.cleanup();
  });

  it('refuses bad input in the new-user form with a field error and stores nothing', async () => {
    const { page } = console_;
    const before = await users();
    const dialog = page.getByTestId('user-create-dialog');
    const fieldError = (label: string) => dialog.locator('.el-form-item').filter({ hasText: label }).locator('.el-form-item__error');
    const attempt = async (username: string, password: string) => {
      await page.getByTestId('user-create').click();
      await dialog.locator('input[name=username]').fill(username);
      await dialog.locator('input[name=password]').fill(password);
      await page.getByTestId('user-create-submit').click();
    };
    await attempt('', 'long-enough-1');
    await expect.poll(async () => fieldError('用户名').textContent(), POLL).toContain('格式不对');
    await dialog.locator('input[name=username]').fill('a'.repeat(65));
    await page.getByTestId('user-create-submit').click();
    await expect.poll(async () => fieldError('用户名').textContent(), POLL).toContain('格式不对');
    await dialog.locator('input[name=username]').fill('shorty');
    await dialog.locator('input[name=password]').fill('short');
    await page.getByTestId('user-create-submit').click();
    await expect.poll(async () => fieldError('初始密码').textContent(), POLL).toBe('至少 8 个字符');
    // A duplicate passes the schema: the server's 409 comes back next to the name.
    await dialog.locator('input[name=username]').fill('admin');
    await dialog.locator('input[name=password]').fill('long-enough-1');
    const refused = console_.ignore(statusPattern(409));
    await page.getByTestId('user-create-submit').click();
    await expect.poll(async () => fieldError('用户名').textContent(), POLL).toBe('已存在，请换一个名称');
    refused();
    await page.keyboard.press('Escape');
    expect(await users()).toEqual(before);
  });

  it('creates a supervisor scoped to 瑞安市 who can then log in to the console', async () => {
    const { page } = console_;
    await page.getByTestId('user-create').click();
    const dialog = page.getByTestId('user-create-dialog');
    await dialog.locator('input[name=username]').fill(SUPERVISOR);
    await dialog.locator('input[name=password]').fill(SUPERVISOR_PASSWORD);
    await dialog.getByTestId('role-supervisor').click();
    await dialog.getByTestId('scope-ruian').click();
    await page.getByTestId('user-create-submit').click();
    await page.getByTestId(`user-state-${SUPERVISOR}`).waitFor();
    const created = (await users()).find((u) => u.username === SUPERVISOR);
    expect(created).toMatchObject({ role: 'supervisor', scope: { centers: ['ruian'] } });
    expect(created?.disabled).toBeFalsy();

    const sup = await openPage(browser, { viewport: { width: 1366, height: 768 } });
    pages.push(sup);
    await sup.page.goto(`${server.url}/supervisor`);
    await sup.page.fill('input[name=username]', SUPERVISOR);
    await sup.page.fill('input[name=password]', SUPERVISOR_PASSWORD);
    await sup.page.keyboard.press('Enter');
    await sup.page.getByTestId('supervisor-console').waitFor();
    expect(await sup.page.getByTestId('current-user').textContent()).toContain(SUPERVISOR);

    // Their console is open; disabling them in /admin closes it.
    const row = page.getByTestId(`user-actions-${SUPERVISOR}`);
    await row.getByRole('button', { name: '停用' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click();
    await expect.poll(async () => page.getByTestId(`user-state-${SUPERVISOR}`).textContent(), POLL).toBe('已停用');
    sup.ignore(statusPattern(401));
    await sup.page.getByTestId('login-form').waitFor({ timeout: 10_000 });
    expect((await users()).find((u) => u.username === SUPERVISOR)?.disabled).toBe(true);
    expect(
      (
        await fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: SUPERVISOR, password: SUPERVISOR_PASSWORD }),
        })
      ).status,
    ).toBe(401);
    // Enabled again for what follows.
    await row.getByRole('button', { name: '启用' }).click();
    await expect.poll(async () => page.getByTestId(`user-state-${SUPERVISOR}`).textContent(), POLL).toBe('正常');
  });

  it('generates an enrolment code on the page that enrols a wall screen, which then shows in the list', async () => {
    const { page } = console_;
    await page.getByTestId('admin-nav-screens').click();
    await page.locator('input[name=screen-name]').fill('hall-9');
    await page.getByTestId('screen-code-generate').click();
    const code = (await page.getByTestId('screen-code').textContent())!.trim();
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);

    const wall = await openPage(browser);
    pages.push(wall);
    await wall.page.goto(server.url);
    await wall.page.locator('input[name=code]').fill(code);
    await wall.page.keyboard.press('Enter');
    await waitForWallSeq(wall.page, 0);
    await page.getByTestId('screen-retire-hall-9').waitFor({ timeout: 20_000 });
    expect((await users()).find((u) => u.username === 'hall-9')?.role).toBe('wall');
  });

  it('refuses a bad screen name with a field error', async () => {
    const { page } = console_;
    await page.locator('input[name=screen-name]').fill('大屏 一');
    await page.getByTestId('screen-code-generate').click();
    await expect.poll(async () => page.locator('.el-form-item').filter({ hasText: '大屏名称' }).locator('.el-form-item__error').textContent(), POLL).toContain('格式不对');
    expect((await audit()).filter((e) => e.action === 'screen.code').map((e) => e.detail?.name)).toEqual(['hall-9']);
  });

  it('gives the supervisor a shift on the roster page, refusing a bad time first, and “if an alarm fired now” for 瑞安 names them, then the leader', async () => {
    const { page } = console_;
    await page.getByTestId('admin-nav-roster').click();
    await page.getByTestId('roster-calendar').waitFor();
    const stored = async () => (await adminCall<Roster>(server.url, admin, 'GET', '/api/roster')).body;
    const before = await stored();
    await page.getByTestId('shift-add').click();
    await page.locator('input[name=shift-0-user]').fill(SUPERVISOR);
    await page.locator('input[name=shift-0-start]').fill('00:00');
    await page.locator('input[name=shift-0-end]').fill('25:00');
    await page.getByTestId('shift-add').click();
    await page.locator('input[name=shift-1-user]').fill('admin');
    await page.getByTestId('shift-row-1').locator('.el-select').first().click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '值班领导' }).click();
    await page.locator('input[name=shift-1-start]').fill('00:00');
    await page.locator('input[name=shift-1-end]').fill('24:00');
    await page.getByTestId('shifts-save').click();
    await expect.poll(async () => page.getByTestId('shift-row-0').locator('.err').textContent(), POLL).toBe('时间格式应为 HH:MM');
    expect(await stored()).toEqual(before);
    await page.locator('input[name=shift-0-end]').fill('24:00');
    await page.getByTestId('shifts-save').click();
    await expect
      .poll(async () => (await stored()).shifts.map((s) => [s.user, s.level, s.start, s.end]), POLL)
      .toEqual([
        [SUPERVISOR, 'supervisor', '00:00', '24:00'],
        ['admin', 'leader', '00:00', '24:00'],
      ]);

    await page.getByTestId('preview-center').click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '瑞安市' }).click();
    await page.getByTestId('preview-run').click();
    const steps = page.getByTestId('preview-steps');
    await expect.poll(async () => steps.getByTestId('preview-recipients').allTextContents(), POLL).toEqual([SUPERVISOR, 'admin', 'admin', 'admin']);
    // The times the page shows are the server's answer: the leader one acknowledgement timeout later.
    const roster = await stored();
    const shown = await steps.getByTestId('preview-at').allTextContents();
    const first = new Date(Date.parse(new Date().toISOString()));
    expect(shown).toHaveLength(4);
    const gap = (Date.parse(shown[1]!.replace(/\//g, '-')) - Date.parse(shown[0]!.replace(/\//g, '-'))) / 60_000;
    expect(gap).toBe(roster.ackTimeoutMinutes);
    expect(Math.abs(Date.parse(shown[0]!.replace(/\//g, '-')) - first.getTime())).toBeLessThan(5 * 60_000);
    const unit = (await adminCall<{ units: Array<{ id: string; center: string }> }>(server.url, admin, 'GET', '/api/reference')).body.units.find((u) => u.center === 'ruian')!.id;
    const api = (await adminCall<PagingPreview>(server.url, admin, 'GET', `/api/roster/preview?center=ruian&unit=${encodeURIComponent(unit)}`)).body;
    expect(api.steps.map((s) => s.recipients)).toEqual([[SUPERVISOR], ['admin'], ['admin'], ['admin']]);
    expect(Date.parse(api.steps[1]!.at) - Date.parse(api.steps[0]!.at)).toBe(roster.ackTimeoutMinutes * 60_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/admin-roster-phone.png', fullPage: false });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: '/tmp/admin-roster.png', fullPage: false });
  });

  it('gives the supervisor a webhook, refusing a URL that is not http(s), and 测试发送 reaches a local receiver with a valid signature', async () => {
    const { page } = console_;
    const stored = async () => (await adminCall<Roster>(server.url, admin, 'GET', '/api/roster')).body;
    const before = await stored();
    await page.locator('input[name=hooks-new-user]').fill(SUPERVISOR);
    await page.getByTestId('hooks-add-user').click();
    const hooks = page.getByTestId(`hooks-${SUPERVISOR}`);
    await hooks.locator(`input[name=hook-${SUPERVISOR}-0-url]`).fill('ftp://127.0.0.1/robot');
    await page.getByTestId('hooks-save').click();
    await expect.poll(async () => hooks.locator('.err').first().textContent(), POLL).toBe('必须是 http:// 或 https:// 开头的网址');
    expect(await stored()).toEqual(before);
    await hooks.locator(`input[name=hook-${SUPERVISOR}-0-url]`).fill(`${receiver.url}/ding/robot?access_token=t1`);
    await hooks.locator(`input[name=hook-${SUPERVISOR}-0-secret]`).fill(SECRET);
    await page.getByTestId('hooks-save').click();
    await expect.poll(async () => (await stored()).contacts[SUPERVISOR]?.webhooks.map((w) => [w.kind, w.hasSecret]), POLL).toEqual([['dingtalk', true]]);
    await page.getByTestId(`hook-test-${SUPERVISOR}-0`).click();
    const answer = page.getByTestId(`hook-answer-${SUPERVISOR}-0`);
    await expect.poll(async () => answer.textContent(), POLL).toContain('接收方已接受');
    expect(await answer.textContent()).toContain('HTTP 200');
    expect(await answer.textContent()).toContain('"errcode":0');
    expect(receiver.got).toHaveLength(1);
    expect(receiver.got[0]!.signOk).toBe(true);
    expect(receiver.got[0]!.text).toContain(SUPERVISOR);
  });

  it('records every step in the audit log', async () => {
    const entries = await audit();
    const by = (action: string) => entries.filter((e) => e.action === action);
    expect(by('user.create').map((e) => [e.who, e.detail?.username])).toEqual([['admin', SUPERVISOR]]);
    expect(by('user.update').filter((e) => e.detail?.username === SUPERVISOR)).toHaveLength(2);
    expect(by('login').some((e) => e.who === SUPERVISOR)).toBe(true);
    expect(by('screen.code').map((e) => e.who)).toEqual(['admin']);
    expect(by('screen.enrol').map((e) => e.who)).toEqual(['hall-9']);
    expect(by('roster.update').map((e) => e.who)).toEqual(['admin', 'admin']);
    expect(by('webhook.test').map((e) => [e.who, e.detail?.username ?? (e.detail as { user?: string } | undefined)?.user])).toEqual([['admin', SUPERVISOR]]);

    // And on the 审计 page: the same actions, an edit's before and after side by side.
    const { page } = console_;
    await page.getByTestId('admin-nav-audit').click();
    const table = page.getByTestId('audit-table');
    await expect.poll(async () => new Set(await table.getByTestId('audit-action').allTextContents()), POLL).toEqual(new Set(entries.slice(0, 20).map((e) => e.action)));
    await page.locator('input[name=audit-action]').fill('user.create');
    await page.getByTestId('audit-search').click();
    await expect.poll(async () => table.getByTestId('audit-action').allTextContents(), POLL).toEqual(['user.create']);
    await table.locator('.el-table__expand-icon').first().click();
    const diff = table.locator('.diff');
    await diff.waitFor();
    expect(await diff.locator('pre').first().textContent()).toBe('null');
    expect(JSON.parse((await diff.locator('pre').nth(1).textContent())!)).toMatchObject({ username: SUPERVISOR, role: 'supervisor', scope: { centers: ['ruian'] } });
    const download = page.waitForEvent('download');
    await page.getByTestId('audit-export').click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(csv).toContain(SUPERVISOR);
  });

  it('shows a viewer and a supervisor a 403 page and asks the server for no admin data', async () => {
    await createUser(server.url, admin, 'just-viewer', 'viewer');
    for (const [name, role] of [
      ['just-viewer', 'viewer'],
      [SUPERVISOR, 'supervisor'],
    ] as const) {
      const token = await login(server.url, name, name === SUPERVISOR ? SUPERVISOR_PASSWORD : 'password-123');
      const tracked = await openPage(browser, { viewport: { width: 1366, height: 768 } });
      pages.push(tracked);
      const asked: string[] = [];
      tracked.page.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (/^\/api\/(users|wall\/screens|screens|audit)/.test(path)) asked.push(path);
      });
      await storeToken(tracked.page, server.url, token, role);
      for (const section of ['users', 'screens', 'audit']) {
        await tracked.page.goto(`${server.url}/admin/${section}`);
        await tracked.page.getByTestId('admin-403').waitFor();
      }
      expect(asked, role).toEqual([]);
      // The roster is the supervisor's too (to read, and to ask who would be paged), not the viewer's.
      await tracked.page.goto(`${server.url}/admin/roster`);
      if (role === 'supervisor') {
        await tracked.page.getByTestId('roster-calendar').waitFor();
        await tracked.page.getByTestId('preview-run').waitFor();
        expect(await tracked.page.getByTestId('shifts-editor').count()).toBe(0);
      } else {
        await tracked.page.getByTestId('admin-403').waitFor();
      }
      expect((await adminCall(server.url, token, 'GET', '/api/users')).status).toBe(403);
    }
  });

  it('reaches the sections and the new-user form by keyboard alone', async () => {
    const { page } = console_;
    await page.getByTestId('admin-nav-users').click();
    await page.getByTestId('users-table').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const focused = () => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? document.activeElement?.textContent?.trim() ?? '');
    const tabTo = async (testId: string) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if ((await focused()) === testId) return;
      }
      throw new Error(`${testId} not reached by Tab`);
    };
    await tabTo('user-create');
    await page.keyboard.press('Enter');
    await page.getByTestId('user-create-dialog').locator('input[name=username]').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('user-create-dialog').waitFor({ state: 'hidden' });
    // A section by keyboard: the menu's links take Enter.
    await page.getByTestId('admin-nav-screens').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('screens-table').waitFor();
    await tabTo('screen-code-generate');
  });

  it('has no serious or critical accessibility violation on its pages', async () => {
    const { page } = console_;
    await page.getByTestId('admin-nav-users').click();
    await page.getByTestId('users-table').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('admin-nav-screens').click();
    await page.getByTestId('screens-table').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/admin-screens.png' });
    for (const [section, testId] of [
      ['roster', 'roster-calendar'],
      ['audit', 'audit-table'],
    ]) {
      await page.getByTestId(`admin-nav-${section}`).click();
      await page.getByTestId(testId!).waitFor();
      expect(await seriousViolations(page), section).toEqual([]);
    }
    await page.screenshot({ path: '/tmp/admin-audit.png' });
    await page.getByTestId('admin-nav-users').click();
    await page.getByTestId('users-table').waitFor();
    await page.screenshot({ path: '/tmp/admin-users.png' });
  });
});

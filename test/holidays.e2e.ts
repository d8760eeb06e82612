import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CalendarDay } from '@wall/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, openPage, type TrackedPage } from './support/browser.js';
import { login, type RunningServer } from './support/server.js';
import { startStack, type Stack } from './support/stack.js';
import { adminCall, createUser } from './support/users.js';

// Holiday duty across the turn of the year, with the server living at a fake date (libfaketime
// from its start). On 1 November 2026 admins are warned on the supervisor console that 2027 is
// missing; on 1 January 2027 the warning is red; after the notice is imported through the
// console nothing warns and 元旦 is a rest day. Redis keeps real time: redis-server (jemalloc)
// hangs under libfaketime ("Unexpected recursive calls to clock_gettime()"), so the alarms'
// clock (Redis's TIME) cannot be moved to 2027 here, and an alarm routed on an uncovered day is
// tested in shared (roster.spec.ts, routesBlind) and in the webhook text (webhook-messages.spec.ts).

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const SUP_WORK = { username: 'sup-work', password: 'sup-work-pass-1' };
const SUP_REST = { username: 'sup-rest', password: 'sup-rest-pass-1' };

// A 2027 notice written for this test in the notices' wording (the State Council had published
// none when it was written): 元旦 and 春节 only, enough for the days the test routes on.
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至2月12日（农历正月初七、周五）放假调休，共8天。2月20日（周六）上班。
国务院办公厅`;

interface Coverage {
  now: string;
  today: string;
  coveredUntil: string;
  warning: { level: 'warn' | 'red'; year: number; message: string } | null;
  conflicts: unknown[];
}

describe('holiday duty across the turn of the year (libfaketime)', () => {
  let stack: Stack;
  let server: RunningServer;
  let browser: Browser;
  let admin: string;

  const at = (timestamp: string) => ({
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME: `@${timestamp}`,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    TZ: 'UTC',
    SWEEP_INTERVAL_MS: '1000',
  });
  const coverage = async () => (await adminCall<Coverage>(server.url, admin, 'GET', '/api/calendar/coverage')).body;
  const calendar = async (from: string, to: string) =>
    (await adminCall<{ coveredUntil: string; days: CalendarDay[] }>(server.url, admin, 'GET', `/api/calendar?from=${from}&to=${to}`)).body;

  async function consoleAs(username: string, password: string): Promise<TrackedPage> {
    const tracked = await openPage(browser);
    await tracked.page.goto(`${server.url}/supervisor`);
    await tracked.page.fill('input[name=username]', username);
    await tracked.page.fill('input[name=password]', password);
    await tracked.page.click('button[type=submit]');
    await tracked.page.getByTestId('supervisor-console').waitFor({ timeout: 10_000 });
    await tracked.page.locator('.unlock .skip').click();
    return tracked;
  }

  beforeAll(async () => {
    expect(existsSync(LIBFAKETIME), 'libfaketime (Debian package faketime) is needed: .ci/run installs it').toBe(true);
    stack = await startStack({ env: at('2026-11-01 02:00:00') }); // 10:00 in Wenzhou
    server = stack.server;
    admin = await login(server.url);
    await createUser(server.url, admin, SUP_WORK.username, 'supervisor', SUP_WORK.password);
    await createUser(server.url, admin, SUP_REST.username, 'supervisor', SUP_REST.password);
    const roster = await adminCall(server.url, admin, 'PUT', '/api/roster', {
      shifts: [
        { user: SUP_WORK.username, level: 'supervisor', days: 'workday' },
        { user: SUP_REST.username, level: 'supervisor', days: 'restday' },
      ],
      ackTimeoutMinutes: 600,
    });
    expect(roster.status).toBe(200);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('on 2026-11-01 admins are warned that 2027 is not covered; supervisors are not shown it', async () => {
    const c = await coverage();
    expect(c.today).toBe('2026-11-01');
    expect(c.coveredUntil).toBe('2026-12-31');
    expect(c.warning).toMatchObject({ level: 'warn', year: 2027 });
    const days = await calendar('2026-12-31', '2027-01-01');
    expect(days).toEqual({
      coveredUntil: '2026-12-31',
      days: [
        { date: '2026-12-31', work: true, holiday: null },
        { date: '2027-01-01', work: true, holiday: null },
      ],
    });

    const adminPage = await consoleAs('admin', 'admin-pass-1');
    const banner = adminPage.page.getByTestId('calendar-banner');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute('data-level')).toBe('warn');
    expect(await banner.textContent()).toContain('2027年法定节假日尚未导入');
    await adminPage.page.screenshot({ path: join(ARTIFACTS, 'holidays-warn.png') });
    expect(adminPage.errors).toEqual([]);
    await adminPage.close();

    const supPage = await consoleAs(SUP_WORK.username, SUP_WORK.password);
    await supPage.page.getByTestId('link-state').waitFor();
    expect(await supPage.page.getByTestId('holiday-duty').count()).toBe(0);
    await supPage.close();
  });

  it('on 2027-01-01 the warning is red, and 元旦 is still an ordinary Friday to the calendar', async () => {
    server = await stack.restartServer({ env: at('2027-01-01 02:00:00') });
    admin = await login(server.url);
    const c = await coverage();
    expect(c.today).toBe('2027-01-01');
    expect(c.warning).toMatchObject({ level: 'red', year: 2027 });
    expect((await calendar('2027-01-01', '2027-01-01')).days).toEqual([{ date: '2027-01-01', work: true, holiday: null }]);

    const adminPage = await consoleAs('admin', 'admin-pass-1');
    const banner = adminPage.page.getByTestId('calendar-banner');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute('data-level')).toBe('red');
    expect(await banner.textContent()).toContain('2027年法定节假日未导入');
    await adminPage.page.screenshot({ path: join(ARTIFACTS, 'holidays-red.png') });
    await adminPage.close();
  });

  it('a text it cannot read names the line and stores nothing', async () => {
    const broken = NOTICE_2027.replace('2月20日（周六）上班', '2月21日（周六）上班');
    const res = await adminCall<{ message: string; line: number }>(server.url, admin, 'POST', '/api/roster/holidays/parse', { text: broken });
    expect(res.status).toBe(400);
    expect(res.body.line).toBe(5);
    expect(res.body.message).toContain('第5行');
    expect(res.body.message).toContain('2月21日是周日');
    const supervisor = await login(server.url, SUP_WORK.username, SUP_WORK.password);
    expect((await adminCall(server.url, supervisor, 'POST', '/api/roster/holidays/parse', { text: NOTICE_2027 })).status).toBe(403);
    expect((await adminCall(server.url, supervisor, 'PUT', '/api/roster/holidays/2027', { days: [] })).status).toBe(403);
    const bad = await adminCall<{ message: string }>(server.url, admin, 'PUT', '/api/roster/holidays/2027', { days: [{ date: '2028-01-01', work: false, holiday: '元旦' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('days.0.date');
    expect((await coverage()).coveredUntil).toBe('2026-12-31');
  });

  it('after the import through the console nothing warns, 元旦 is a rest day, and the roster sees it', async () => {
    // The preview stores nothing.
    const preview = await adminCall<{ year: number; days: CalendarDay[] }>(server.url, admin, 'POST', '/api/roster/holidays/parse', { text: NOTICE_2027 });
    expect(preview.status).toBe(200);
    expect(preview.body.year).toBe(2027);
    expect(preview.body.days).toHaveLength(12);
    expect((await coverage()).warning?.level).toBe('red');

    const tracked = await consoleAs('admin', 'admin-pass-1');
    const { page } = tracked;
    await page.getByTestId('calendar-banner').waitFor({ timeout: 10_000 });
    await page.getByTestId('calendar-import-open').click();
    await page.getByTestId('notice-text').fill(NOTICE_2027);
    await page.getByTestId('notice-parse').click();
    const cal = page.getByTestId('holiday-calendar');
    await cal.waitFor({ timeout: 10_000 });
    expect(await cal.getAttribute('data-year')).toBe('2027');
    expect(await page.locator('[data-testid=holiday-calendar] [data-date="2027-01-01"]').getAttribute('data-kind')).toBe('off');
    expect(await page.locator('[data-testid=holiday-calendar] [data-date="2027-02-20"]').getAttribute('data-kind')).toBe('makeup');
    expect(await page.getByTestId('holiday-row').count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'holidays-import.png'), fullPage: true });
    await page.getByTestId('notice-confirm').click();
    await page.getByTestId('calendar-covered').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('calendar-banner').count()).toBe(0);
    expect(tracked.errors).toEqual([]);
    await tracked.close();

    const c = await coverage();
    expect(c.coveredUntil).toBe('2027-12-31');
    expect(c.warning).toBeNull();
    const days = (await calendar('2027-01-01', '2027-01-04')).days;
    expect(days.map((d) => [d.date, d.work, d.holiday])).toEqual([
      ['2027-01-01', false, '元旦'],
      ['2027-01-02', false, '元旦'],
      ['2027-01-03', false, '元旦'],
      ['2027-01-04', true, null],
    ]);
    const audit = await adminCall<Array<{ who: string; detail: { year: number; days: number } }>>(server.url, admin, 'GET', '/api/audit?action=roster.holidays');
    expect(audit.body[0]).toMatchObject({ who: 'admin', detail: { year: 2027, days: 12 } });

    // The roster's own PUT (an editor unaware of the entered years) keeps them.
    const roster = await adminCall<{ holidays: Record<string, unknown[]> }>(server.url, admin, 'GET', '/api/roster');
    const { holidays: _kept, ...withoutHolidays } = roster.body;
    expect((await adminCall(server.url, admin, 'PUT', '/api/roster', withoutHolidays)).status).toBe(200);
    expect((await coverage()).coveredUntil).toBe('2027-12-31');
  });
});

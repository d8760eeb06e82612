import ExcelJS from 'exceljs';
import {
  DEFAULT_ASSESSMENT_RULES,
  DEFAULT_INDEX,
  Zone,
  assessmentReport,
  drillReport,
  generateMonth,
  monthlyReport,
  projectEvents,
  qualityReport,
  type AssessmentReport,
  type DrillRow,
  type FeedEvent,
  type MonthlyReport,
  type ProjectionState,
  type QualityReport,
  type StoredEvent,
} from '@wall/shared';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, openPage, screenshot } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// The monthly bulletin against the built server and a real Redis: a generated August 2020
// posted through the feed must give the reports the shared projection computes from the same
// events; the exports must hold those numbers; the page is rendered in headless Chromium.

const MONTH = '2020-08';
const zone = new Zone('Asia/Shanghai');

/** Events that do not add up, for the data-quality section (one of each kind but a missing report). */
const INCONSISTENT: FeedEvent[] = [
  // a feedback for an order whose dispatch never came
  { id: 'q-f', type: 'order.feedback', at: '2020-08-12T02:00:00Z', incident: 'q-i1', order: 'q-o1', stage: 'result' },
  // an incident nobody dispatched to
  { id: 'q-r2', type: 'incident.reported', at: '2020-08-13T02:00:00Z', incident: 'q-i2', center: 'ruian', kind: 'alarm', category: '其他' },
  // signed five minutes before its dispatch
  { id: 'q-r3', type: 'incident.reported', at: '2020-08-14T02:00:00Z', incident: 'q-i3', center: 'ruian', kind: 'alarm', category: '其他' },
  { id: 'q-d3', type: 'order.dispatched', at: '2020-08-14T02:10:00Z', incident: 'q-i3', order: 'q-o3', unit: 'ruian.fire' },
  { id: 'q-s3', type: 'order.signed', at: '2020-08-14T02:05:00Z', incident: 'q-i3', order: 'q-o3' },
];

/** ExcelJS reads a cell with a time format back as a Date from Excel's day 0. */
function excelSeconds(value: ExcelJS.CellValue): number {
  return Math.round(((value as Date).getTime() - Date.UTC(1899, 11, 30)) / 1000);
}

function rowByName(sheet: ExcelJS.Worksheet, column: number, name: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (!found && row.getCell(column).value === name) found = row;
  });
  if (!found) throw new Error(`no row ${name} in ${sheet.name}`);
  return found;
}

describe('the monthly bulletin', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let token: string;
  let browser: Browser | undefined;
  let events: FeedEvent[];
  let state: ProjectionState;
  let expected: MonthlyReport;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    token = await login(server.url);
    const from = zone.startOfMonth(MONTH);
    const to = zone.startOfMonth('2020-09');
    events = [...generateMonth(20200825, from, to, (t) => zone.parts(t).hour, 40), ...INCONSISTENT];
    // The server stores dispatches with the default limits frozen in; they equal the
    // projection's defaults, so folding the events as sent gives the same state.
    const stored = events.map((e) => ({ ...e, t: Date.parse(e.at) }) as StoredEvent);
    state = projectEvents(stored, DEFAULT_INDEX, zone);
    expected = monthlyReport(state, MONTH, DEFAULT_INDEX);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  it('takes a generated month through the feed in batches of 2000', async () => {
    expect(events.length).toBeGreaterThan(5000);
    let seq = 0;
    for (let i = 0; i < events.length; i += 2000) {
      const res = await postFeed(server.url, events.slice(i, i + 2000));
      expect(res.status, JSON.stringify(res.body.rejected?.slice(0, 3))).toBe(200);
      seq = res.body.seq;
    }
    expect(seq).toBe(events.length);
  });

  it('reports the month exactly as the projection computes it from the same events', async () => {
    // Not an empty month compared with an empty month: the generator's ~1,240 incidents are there.
    expect(expected.total.incidents).toBeGreaterThan(1000);
    expect(expected.units.find((u) => u.unit === 'city.health')!.orders).toBeGreaterThan(100);
    const monthly = await getJson<MonthlyReport>(server.url, `/api/reports/monthly?month=${MONTH}`, token);
    expect(monthly.status).toBe(200);
    expect(monthly.body).toEqual(expected);
    // The contract's rule: the total adds the rows without a parent.
    const top = expected.centers.filter((c) => c.parent === null);
    expect(expected.total.incidents).toBe(top.reduce((a, c) => a + c.incidents, 0));

    const drills = await getJson<DrillRow[]>(server.url, `/api/reports/drills?month=${MONTH}`, token);
    expect(drills.body).toEqual(drillReport(state, MONTH, DEFAULT_INDEX, zone));
    expect(drills.body).toHaveLength(2);
  });

  it('ranks the assessment with the default rules and lists the inconsistent events', async () => {
    const assessment = await getJson<AssessmentReport>(server.url, `/api/reports/assessment?month=${MONTH}`, token);
    expect(assessment.status).toBe(200);
    expect(assessment.body).toEqual(assessmentReport(state, MONTH, DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES));
    expect(assessment.body.rows.length).toBeGreaterThan(10);

    const quality = await getJson<QualityReport>(server.url, `/api/reports/quality?month=${MONTH}`, token);
    expect(quality.body).toEqual(qualityReport(state, MONTH, zone, { now: Date.now() }));
    expect(quality.body.counts).toEqual({ orderWithoutDispatch: 1, incidentWithoutOrder: 1, missingReport: 0, negativeDuration: 1, conflictingDuplicate: 0 });
    expect(quality.body.issues.map((i) => i.incident)).toEqual(['q-i1', 'q-i2', 'q-i3']);
  });

  it('lets only an admin change the assessment rules, refusing bad ones by field', async () => {
    const rules = await getJson(server.url, '/api/reports/assessment-rules', token);
    expect(rules.body).toEqual(DEFAULT_ASSESSMENT_RULES);

    const put = (body: unknown, as = token) =>
      fetch(`${server.url}/api/reports/assessment-rules`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` },
        body: JSON.stringify(body),
      });

    const bad = await put({ arriveLate: -1, signlate: 2 });
    expect(bad.status).toBe(400);
    const message = ((await bad.json()) as { message: string }).message;
    expect(message).toContain('arriveLate: must be at least 0');
    expect(message).toContain('signlate');

    const created = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ username: 'reader', password: 'reader-pass-1', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const viewer = await login(server.url, 'reader', 'reader-pass-1');
    expect((await put({ signLate: 9 }, viewer)).status).toBe(403);
    // A viewer still reads the rules and the reports.
    expect((await getJson(server.url, '/api/reports/assessment-rules', viewer)).status).toBe(200);

    const changed = await put({ signLate: 3, nameAbove: 0 });
    expect(changed.status).toBe(200);
    const now = { ...DEFAULT_ASSESSMENT_RULES, signLate: 3, nameAbove: 0 };
    expect(await changed.json()).toEqual(now);
    const assessment = await getJson<AssessmentReport>(server.url, `/api/reports/assessment?month=${MONTH}`, token);
    expect(assessment.body).toEqual(assessmentReport(state, MONTH, DEFAULT_INDEX, now));
    expect(assessment.body.named.length).toBeGreaterThan(0);

    // Back to the defaults for the exports below.
    expect((await put({})).status).toBe(200);
    expect((await getJson(server.url, '/api/reports/assessment-rules', token)).body).toEqual(DEFAULT_ASSESSMENT_RULES);
  });

  it('exports an XLSX that opens with the library and holds the same numbers', async () => {
    expect((await fetch(`${server.url}/api/reports/monthly.xlsx?month=${MONTH}`)).status).toBe(401);
    const res = await fetch(`${server.url}/api/reports/monthly.xlsx?month=${MONTH}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(`bulletin-${MONTH}.xlsx`);
    const bytes = Buffer.from(await res.arrayBuffer());
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'bulletin.xlsx'), bytes);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['附件1', '附件2', '拉动检查', '考核', '数据质量']);

    const annex1 = book.getWorksheet('附件1')!;
    for (const u of expected.units.filter((u) => u.center === 'city')) {
      const values = rowByName(annex1, 2, u.name).values as unknown[];
      expect(values.slice(3, 9), u.name).toEqual([u.orders, u.signed, u.unsigned, u.feedbacks, u.unfed, u.returned]);
    }
    const cityUnits = expected.units.filter((u) => u.center === 'city');
    expect((rowByName(annex1, 1, '合计').values as unknown[])[3]).toBe(cityUnits.reduce((a, u) => a + u.orders, 0));

    const annex2 = book.getWorksheet('附件2')!;
    for (const c of expected.centers) {
      const row = rowByName(annex2, 2, c.name);
      const values = row.values as unknown[];
      expect(values.slice(3, 5), c.name).toEqual([c.incidents, c.closed]);
      expect(values[5]).toBe(c.closedRate === null ? null : c.closedRate / 100);
      expect(values.slice(6, 10), c.name).toEqual([c.feedbacks, c.unfed, c.overdueFeedback, c.returned]);
    }
    const total = rowByName(annex2, 1, '合计').values as unknown[];
    expect(total.slice(3, 10)).toEqual([
      expected.total.incidents,
      expected.total.closed,
      expected.total.closedRate! / 100,
      expected.total.feedbacks,
      expected.total.unfed,
      expected.total.overdueFeedback,
      expected.total.returned,
    ]);

    const drills = drillReport(state, MONTH, DEFAULT_INDEX, zone);
    const drillSheet = book.getWorksheet('拉动检查')!;
    const header = drillSheet.getRow(2).values as unknown[];
    const police = header.indexOf('公安');
    const late = header.indexOf('未在规时限内到达现场数量');
    drills.forEach((d, i) => {
      const row = drillSheet.getRow(3 + i);
      expect(row.getCell(late).value).toBe(d.lateCount);
      expect(excelSeconds(row.getCell(police).value)).toBe(d.arrivals.find((a) => a.unitType === 'police')!.seconds);
    });

    const assessment = assessmentReport(state, MONTH, DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES);
    const scored = book.getWorksheet('考核')!;
    expect(scored.rowCount).toBe(2 + assessment.rows.length + 1);
    expect(scored.getRow(3).getCell(2).value).toBe(assessment.rows[0]!.name);
    expect(scored.getRow(3).getCell(10).value).toBe(assessment.rows[0]!.points);
  });

  it('exports each table as CSV with a BOM so Excel reads the Chinese', async () => {
    const res = await fetch(`${server.url}/api/reports/monthly.csv?month=${MONTH}&table=centers`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
    expect(lines[0]).toBe('序号,地区,处警数,办结,办结率,已反馈,未反馈,逾期反馈,已退单');
    expect(lines).toHaveLength(1 + expected.centers.length + 1);
    const longwan = expected.centers.find((c) => c.center === 'longwan')!;
    expect(lines[3]).toBe(
      `3,龙湾区,${longwan.incidents},${longwan.closed},${longwan.closedRate!.toFixed(2)}%,${longwan.feedbacks},${longwan.unfed},${longwan.overdueFeedback},${longwan.returned}`,
    );

    for (const table of ['units', 'drills', 'assessment', 'quality']) {
      const r = await fetch(`${server.url}/api/reports/monthly.csv?month=${MONTH}&table=${table}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status, table).toBe(200);
    }
    const bad = await getJson<{ message: string }>(server.url, `/api/reports/monthly.csv?month=${MONTH}&table=everything`, token);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('table');
  });

  it('renders the bulletin page like the document, downloads the XLSX, and prints to A4', async () => {
    browser = await launchBrowser();
    const tracked = await openPage(browser);
    const { page } = tracked;
    await page.addInitScript((t) => localStorage.setItem('wall.auth', JSON.stringify({ token: t, role: 'admin', expiresAt: null })), token);
    await page.goto(`${server.url}/bulletin?month=${MONTH}`);
    await page.getByTestId('annex2').waitFor();

    // The title in the seed's two lines, its second spaced as printed: 情 况 通 报.
    expect(await page.locator('h1').textContent()).toBe('2020年8月份全市应急联动工作情 况 通 报');
    const summary = (await page.getByTestId('summary').textContent()) ?? '';
    const top = expected.centers.find((c) => c.center === 'city')!;
    expect(summary).toContain(`受理和处置各类应急联动警情${expected.total.incidents}起，其中市本级（鹿城、龙湾、瓯海、开发区）${top.incidents}起、洞头`);
    const totalRow = page.getByTestId('annex2').locator('tr.bl-total td');
    expect(await totalRow.nth(1).textContent()).toBe(String(expected.total.incidents));
    expect(await page.getByTestId('drills').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('annex1').locator('tbody tr').count()).toBe(11);
    expect(await page.getByTestId('quality').textContent()).toContain('共 3 处');

    await screenshot(page, 'bulletin');
    await page.screenshot({ path: join(ARTIFACTS, 'bulletin-full.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('xlsx').click()]);
    expect(download.suggestedFilename()).toBe('2020年8月份全市应急联动工作情况通报.xlsx');

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('quality').isVisible()).toBe(false);
    expect(await page.locator('.bl-toolbar').isVisible()).toBe(false);
    // What the print stylesheet lays out at A4's printable width, for a look without a PDF viewer.
    await page.setViewportSize({ width: 680, height: 960 });
    await page.screenshot({ path: join(ARTIFACTS, 'bulletin-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, path: join(ARTIFACTS, 'bulletin.pdf') });
    // The letter, then 附件1 and 附件2 each on a page of their own.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)!.length).toBeGreaterThanOrEqual(3);
    expect(tracked.errors).toEqual([]);
    await tracked.close();
  });
});

import { Zone, closedRate, formatRate, generateMonth, type BulletinDoc, type FeedEvent, type MonthlyReport } from '@wall/shared';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, openPage } from './support/browser.js';
import { docxHeaders, readDocxBody, unzip } from './support/docx.js';
import { startTestRedis } from './support/redis.js';
import { SEED_PATH, readSeed } from './support/seed.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { adminCall, createUser } from './support/users.js';

// The whole 通报 against the built server and a real Redis: the generated August (the seed's
// figures) and July (for 环比), the parts people write with their roles, 签发 that freezes
// it, and the DOCX read back from the file itself, then opened by LibreOffice.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const zone = new Zone('Asia/Shanghai');
const MONTH = '2020-08';
const seed = readSeed();
const seedText = readFileSync(SEED_PATH, 'utf8');
const seedLine = (start: string) => seedText.split('\n').find((l) => l.startsWith(start))!;
const OUT = join(ARTIFACTS, 'bulletin-docx');
const FONTS = join(root, 'server/fontconfig/gongwen-fonts.conf');

interface State {
  parts: { centers: Record<string, string>; requirements?: string; cc?: string; docNumber?: string; issueDate?: string };
  suggested: { from: string; requirements?: string; cc?: string } | null;
  missing: Array<{ id: string; name: string }>;
  proposedDocNumber: string;
  draft: BulletinDoc;
  issued: { version: number; doc: BulletinDoc; moved: Array<{ table: string; row: string; column: string; issued: string; live: string }> } | null;
}

const REQUIREMENTS = [
  '（一）强化机制建设，规范应急处置。各地、各单位要严格贯彻执行应急联动工作的“三个一律”的规定，健全和完善应急联动处置机制。',
  '（二）强化节日值守，做好应急准备。“国庆”、“中秋”双节将至，各地、各单位要严格落实24小时值班备勤制度。',
].join('\n');
const CC = '罗杰常委、市政府各副市长，陈俊秘书长、吴曙光副秘书长，各县（市、区）政府分管领导。';

async function docx(url: string, token: string, query = ''): Promise<{ status: number; body: Buffer; disposition: string | null }> {
  const res = await fetch(`${url}/api/reports/bulletin.docx?month=${MONTH}${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), disposition: res.headers.get('content-disposition') };
}

describe('the whole 通报', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let admin: string;
  const tokens: Record<string, string> = {};
  let report: MonthlyReport;
  let browser: Browser | undefined;
  let issuedDocx: Buffer;

  const state = async (token = admin) => (await getJson<State>(server.url, `/api/reports/bulletin?month=${MONTH}`, token)).body;
  const put = (token: string, path: string, body: unknown) => adminCall<{ message: string }>(server.url, token, 'PUT', `/api/reports/bulletin/${path}?month=${MONTH}`, body);

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    redis = await startTestRedis();
    server = await startServer(redis.url);
    admin = await login(server.url);
    const august = generateMonth(2020, zone.startOfMonth(MONTH), zone.startOfMonth('2020-09'), (t) => zone.parts(t).hour, undefined, MONTH);
    const july = generateMonth(2007, zone.startOfMonth('2020-07'), zone.startOfMonth(MONTH), (t) => zone.parts(t).hour, 20, '2020-07');
    const events = [...july, ...august];
    for (let i = 0; i < events.length; i += 2000) expect((await postFeed(server.url, events.slice(i, i + 2000))).status).toBe(200);
    report = (await getJson<MonthlyReport>(server.url, `/api/reports/monthly?month=${MONTH}`, admin)).body;
    await createUser(server.url, admin, 'lucheng-duty', 'supervisor', 'password-123', { centers: ['lucheng'] });
    await createUser(server.url, admin, 'reader', 'viewer');
    await createUser(server.url, admin, 'screen', 'wall');
    for (const name of ['lucheng-duty', 'reader', 'screen']) tokens[name] = await login(server.url, name, 'password-123');
  });
  afterAll(async () => {
    // A server that died mid-run says why.
    if (server && server.child.exitCode !== null) console.error(server.output().slice(-4000));
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  it('roles: a center’s user writes its own paragraph only, a viewer reads, a wall credential gets nothing', async () => {
    expect((await put(tokens['lucheng-duty']!, 'centers/lucheng', { text: '8月25日上午，区应急联动指挥中心在大南街道开展模拟报警检查。' })).status).toBe(204);
    const other = await put(tokens['lucheng-duty']!, 'centers/longwan', { text: '不是本中心的段落。' });
    expect(other.status).toBe(403);
    expect(other.body.message).toContain('longwan');
    expect((await put(tokens['lucheng-duty']!, 'city', { cc: CC })).status).toBe(403);
    expect((await put(tokens['reader']!, 'centers/lucheng', { text: '只读用户。' })).status).toBe(403);
    expect((await adminCall(server.url, tokens['lucheng-duty']!, 'POST', `/api/reports/bulletin/issue?month=${MONTH}`)).status).toBe(403);
    expect((await put(admin, 'centers/yongjia', { text: '8月31日上午，县应急局与县公安局相关负责人就推进应急联动互通互联建设进行协商。' })).status).toBe(204);

    const read = await getJson<State>(server.url, `/api/reports/bulletin?month=${MONTH}`, tokens['reader']!);
    expect(read.status).toBe(200);
    expect(read.body.parts.centers).toEqual({ lucheng: expect.stringContaining('大南街道'), yongjia: expect.stringContaining('县应急局') });
    expect(read.body.missing.map((m) => m.name)).toEqual(
      ['鹿城区', '龙湾区', '瓯海区', '开发区', '洞头区', '瑞安市', '乐清市', '永嘉县', '平阳县', '苍南县', '文成县', '泰顺县'].filter((n) => n !== '鹿城区' && n !== '永嘉县'),
    );
    expect((await docx(server.url, tokens['reader']!)).status).toBe(200);
    for (const path of [`/api/reports/bulletin?month=${MONTH}`, `/api/reports/bulletin.docx?month=${MONTH}`]) {
      expect((await getJson(server.url, path, tokens['screen']!)).status, path).toBe(403);
    }
    expect((await put(tokens['screen']!, 'centers/lucheng', { text: '大屏。' })).status).toBe(403);
  });

  it('refuses bad input with a 400 naming the field, and saves nothing', async () => {
    const before = await state();
    const audits = (await getJson<unknown[]>(server.url, '/api/audit?limit=1000', admin)).body.length;
    const long = await put(admin, 'centers/lucheng', { text: '字'.repeat(1001) });
    expect([long.status, long.body.message]).toEqual([400, expect.stringContaining('text: must be at most 1000')]);
    const markup = await put(admin, 'centers/lucheng', { text: '<script>alert(1)</script>' });
    expect([markup.status, markup.body.message]).toEqual([400, expect.stringContaining('text: must be plain text')]);
    const number = await put(admin, 'city', { cc: CC, docNumber: '温应急联指[2020]7号' });
    expect([number.status, number.body.message]).toEqual([400, expect.stringContaining('docNumber: must be of the form 〔YYYY〕N号')]);
    const after = await state();
    expect(after.parts).toEqual(before.parts);
    expect((await getJson<unknown[]>(server.url, '/api/audit?limit=1000', admin)).body.length).toBe(audits);
  });

  it('city staff write 工作要求, 抄送, the date and the 文号 (proposed, editable); every save is audited before and after', async () => {
    const first = await state();
    expect(first.proposedDocNumber).toBe('〔2020〕1号');
    expect(first.suggested).toBeNull();
    expect((await put(admin, 'city', { requirements: REQUIREMENTS, cc: CC, issueDate: '2020-09-21', docNumber: '〔2020〕7号' })).status).toBe(204);
    const audit = (await getJson<Array<{ action: string; detail: { before: unknown; after: { value: unknown } } }>>(server.url, '/api/audit?action=bulletin.city.set', admin)).body;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail.before).toBeNull();
    expect(audit[0]!.detail.after.value).toMatchObject({ docNumber: '〔2020〕7号', cc: CC });
    const center = (await getJson<Array<{ who: string; detail: { before: unknown; after: { value: string } } }>>(server.url, '/api/audit?action=bulletin.center.set', admin)).body;
    expect(center.map((e) => e.who).sort()).toEqual(['admin', 'lucheng-duty']);
    // September starts from August's 工作要求 and 抄送, offered as a draft, not saved.
    const september = (await getJson<State>(server.url, '/api/reports/bulletin?month=2020-09', admin)).body;
    expect(september.suggested).toEqual({ from: MONTH, requirements: REQUIREMENTS, cc: CC });
    expect(september.parts.requirements).toBeUndefined();
  });

  it('the draft DOCX carries the 草稿 mark', async () => {
    const draft = await docx(server.url, admin);
    expect(draft.status).toBe(200);
    expect(draft.disposition).toContain('draft');
    expect(docxHeaders(draft.body)).toContain('草稿');
  });

  it('签发, then the DOCX read back: the seed’s opening, the drill clause, the sections, every annex cell', async () => {
    const issued = await adminCall<{ version: number }>(server.url, admin, 'POST', `/api/reports/bulletin/issue?month=${MONTH}`);
    expect([issued.status, issued.body.version]).toEqual([201, 1]);
    const file = await docx(server.url, admin);
    expect(file.status).toBe(200);
    issuedDocx = file.body;
    expect(docxHeaders(file.body)).not.toContain('草稿');
    writeFileSync(join(OUT, 'bulletin-2020-08.docx'), file.body);
    const { paragraphs, tables, pageStarts } = readDocxBody(file.body);
    // GB/T 9704: A4, margins 37/35/28/26 mm (in twips), 三号 (32 half-points) 仿宋_GB2312 with the exact pitch of 22 lines.
    const xml = unzip(file.body).get('word/document.xml')!.toString('utf8');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('w:eastAsia="楷体_GB2312"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toMatch(/<w:spacing w:line="579" w:lineRule="exact"\/>/);
    expect(xml).toContain('<w:color w:val="FF0000"/>');
    const footers = [...unzip(file.body)].filter(([n]) => /^word\/footer\d*\.xml$/.test(n)).map(([, d]) => d.toString('utf8'));
    expect(footers.join()).toMatch(/— <\/w:t>[\s\S]*PAGE[\s\S]*> —<\/w:t>/);
    const at = (text: string) => paragraphs.indexOf(text);

    expect(paragraphs).toContain('温州市应急联动指挥中心');
    expect(paragraphs).toContain('温应急联指〔2020〕7号');
    expect(paragraphs).toContain(seedLine('各县（市、区）应急联动指挥中心'));
    const opening = seedLine('2020年8月份，');
    expect(paragraphs).toContain(opening);
    // 环比 against the stored July, right after the opening; no 同比 (August 2019 holds nothing).
    expect(paragraphs[at(opening) + 1]).toMatch(/^全市警情总数较上月（\d+起）增加\d+起，环比上升\d+\.\d\d%。$/);
    const drill = seedLine('8月25日，');
    expect(drill).toContain('瓯海区、永嘉县');
    expect(paragraphs).toContain(drill);
    const headings = ['一、市级工作情况', '二、各县（市、区）工作情况', '三、工作要求'];
    expect(headings.map(at)).toEqual([...headings.map(at)].sort((a, b) => a - b));
    expect(at(headings[0]!)).toBeGreaterThan(at(opening));
    expect(at(drill)).toBeGreaterThan(at(headings[0]!));
    expect(paragraphs.some((p) => p.startsWith('根据“三个一律”规定'))).toBe(true);
    expect(paragraphs).toContain('鹿城区：8月25日上午，区应急联动指挥中心在大南街道开展模拟报警检查。');
    expect(paragraphs).toContain(REQUIREMENTS.split('\n')[0]);
    expect(paragraphs).toContain('2020年9月21日');
    expect(paragraphs.at(-1)).toBe(`抄送：${CC}`);
    expect(pageStarts).toEqual(['附件1', '附件2']);

    // The drill table: the seed's columns and each printed time.
    const [drills, annex1, annex2] = tables as [string[][], string[][], string[][]];
    expect(drills[0]).toEqual([
      '地区',
      '公安',
      '应急管理',
      '生态环境',
      '交通运输',
      '市场监管',
      '人力社保',
      '卫健委',
      '综合执法',
      '供电',
      '街道（政府）',
      '未在规时限内到达现场数量',
    ]);
    for (const [i, row] of seed.drills.entries()) {
      expect(drills[i + 1], row.name).toEqual([row.name, ...drills[0]!.slice(1, -1).map((label) => row.times[label]), String(row.late)]);
    }
    // 附件1: every cell as printed.
    expect(annex1.slice(0, 2)).toEqual([
      ['序号', '联动单位', '指令总数', '反馈总数'],
      // 序号 and 联动单位 span both header rows: the second holds their merged continuations.
      ['', '', '事件数', '接收数', '未接收数', '已反馈', '未反馈', '已退单'],
    ]);
    const counts = (r: { orders: number; signed: number; unsigned: number; feedbacks: number; unfed: number; returned: number }) =>
      [r.orders, r.signed, r.unsigned, r.feedbacks, r.unfed, r.returned].map(String);
    expect(annex1.slice(2)).toEqual([...seed.units.map((u, i) => [String(i + 1), u.name, ...counts(u)]), ['合计', ...counts(seed.unitsTotal)]]);
    // 附件2: every cell as printed, rates computed (龙湾 99.61, printed 99.60), 合计 by the one rule.
    expect(annex2[1]).toEqual(['', '', '处警数', '办结', '办结率', '已反馈', '未反馈', '逾期反馈', '已退单']);
    expect(annex2.slice(2, -1)).toEqual(
      seed.centers.map((c, i) => [
        String(i + 1),
        c.name,
        String(c.incidents),
        String(c.closed),
        formatRate(closedRate(c.closed, c.incidents)),
        String(c.feedbacks),
        String(c.unfed),
        String(c.overdueFeedback),
        String(c.returned),
      ]),
    );
    const t = report.total;
    expect(annex2.at(-1)).toEqual([
      '合计',
      String(seed.total.incidents),
      String(seed.total.closed),
      formatRate(t.closedRate),
      String(seed.total.feedbacks),
      String(t.unfed),
      String(seed.total.overdueFeedback),
      String(t.returned),
    ]);
  });

  it('LibreOffice opens it: A4 pages, the body and then each annex on a page of its own', async () => {
    // Run without blocking the loop: the keep-alive sockets to the server must see it close them meanwhile.
    await promisify(execFile)(
      'soffice',
      ['--headless', `-env:UserInstallation=file://${join(OUT, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', OUT, join(OUT, 'bulletin-2020-08.docx')],
      {
        env: { ...process.env, FONTCONFIG_FILE: FONTS },
        timeout: 120_000,
      },
    );
    const pdf = join(OUT, 'bulletin-2020-08.pdf');
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '99', pdf], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
    const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+(.*)$/gm)].map((m) => m[1]);
    expect(sizes).toHaveLength(pages);
    for (const size of sizes) expect(size).toMatch(/^595\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = (page: number) => execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdf, '-'], { encoding: 'utf8' });
    // pdftotext sets a space between Chinese and digits (附件 1): compare without whitespace.
    const firsts = Array.from({ length: pages }, (_, i) =>
      text(i + 1)
        .trim()
        .split('\n')[0]!
        .replace(/\s/g, ''),
    );
    const annex1 = firsts.indexOf('附件1');
    const annex2 = firsts.indexOf('附件2');
    // The body first (one page at least, the masthead on its first), then 附件1, then 附件2.
    expect(annex1).toBeGreaterThanOrEqual(1);
    expect(annex2).toBeGreaterThan(annex1);
    expect(text(1).replace(/\s/g, '')).toContain('温州市应急联动指挥中心');
    expect(text(pages).replace(/\s/g, '')).toContain(`抄送：${CC}`);
    // 署名 and 成文日期 stay on one page.
    const signed = firsts.findIndex((_, i) =>
      text(i + 1)
        .replace(/\s/g, '')
        .includes('2020年9月21日'),
    );
    expect(text(signed + 1).replace(/\s/g, '')).toMatch(/温州市应急联动指挥中心2020年9月21日/);
    execFileSync('pdftoppm', ['-r', '60', '-png', pdf, join(OUT, 'page')]);
    writeFileSync(join(OUT, 'pages.txt'), `${pages} pages; 附件1 on page ${annex1 + 1}, 附件2 on page ${annex2 + 1}\n`);
  });

  it('frozen: a late event changes the live report, never the issued DOCX; the page says 数据已变更 and lists the moved cells', async () => {
    const late: FeedEvent[] = [
      { id: 'late-ruian-1', type: 'incident.reported', at: '2020-08-30T02:00:00Z', incident: 'late-ruian-1', center: 'ruian', kind: 'alarm', category: '其他' },
    ];
    expect((await postFeed(server.url, late)).status).toBe(200);
    const live = (await getJson<MonthlyReport>(server.url, `/api/reports/monthly?month=${MONTH}`, admin)).body;
    expect(live.centers.find((c) => c.center === 'ruian')!.incidents).toBe(1144);
    const again = await docx(server.url, admin);
    expect(readDocxBody(again.body)).toEqual(readDocxBody(issuedDocx));
    const s = await state();
    expect(s.issued!.moved).toContainEqual({ table: '附件2', row: '瑞安市', column: '处警数', issued: '1143', live: '1144' });
    expect(s.issued!.moved).toContainEqual({ table: '附件2', row: '合计', column: '处警数', issued: '9410', live: '9411' });
    expect(s.draft.opening).toContain('瑞安1144起');

    browser = await launchBrowser();
    const { page } = await openPage(browser);
    await page.addInitScript((t) => localStorage.setItem('wall.auth', JSON.stringify({ token: t, role: 'admin', expiresAt: null })), admin);
    await page.goto(`${server.url}/bulletin?month=${MONTH}`);
    const moved = page.getByTestId('moved');
    await moved.waitFor();
    expect(await page.getByTestId('changed').textContent()).toContain('数据已变更');
    const rows = await moved.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('瑞安市') && r.includes('处警数') && r.includes('1143') && r.includes('1144'))).toBe(true);
    await page.screenshot({ path: join(OUT, 'page-moved.png'), fullPage: true });

    // The page's print is the issued DOCX: every paragraph and every table cell of the file, in
    // the printed sheet; the writing and review panels are not printed.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('write').isVisible()).toBe(false);
    expect(await page.getByTestId('status').isVisible()).toBe(false);
    const printed = ((await page.getByTestId('bulletin').innerText()) ?? '').replace(/\s/g, '');
    const file = readDocxBody(issuedDocx);
    const texts = [...file.paragraphs, ...file.tables.flat(2)].map((t) => t.replace(/\s/g, '')).filter(Boolean);
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.filter((t) => !printed.includes(t))).toEqual([]);
    await page.pdf({ format: 'A4', printBackground: true, path: join(OUT, 'page-print.pdf') });
    await page.emulateMedia({ media: 'screen' });

    // A new version is drafted and issued: it carries the late incident.
    const v2 = await adminCall<{ version: number }>(server.url, admin, 'POST', `/api/reports/bulletin/issue?month=${MONTH}`);
    expect(v2.body.version).toBe(2);
    const second = readDocxBody((await docx(server.url, admin)).body);
    expect(second.paragraphs.some((p) => p.includes('瑞安1144起'))).toBe(true);
    expect((await state()).issued!.moved).toEqual([]);
  });

  it('the page: a center’s user writes its own paragraph there, into the draft, never the issued version; a viewer only reads', async () => {
    browser ??= await launchBrowser();
    const open = async (token: string) => {
      const { page } = await openPage(browser!);
      await page.addInitScript((t) => localStorage.setItem('wall.auth', JSON.stringify({ token: t, role: null, expiresAt: null })), token);
      await page.goto(`${server.url}/bulletin?month=${MONTH}`);
      await page.getByTestId('write').waitFor();
      return page;
    };
    const page = await open(tokens['lucheng-duty']!);
    expect(await page.locator('[data-testid^="center-"]').count()).toBe(1);
    expect(await page.getByTestId('save-city').count()).toBe(0);
    expect(await page.getByTestId('issue').count()).toBe(0);
    expect(await page.getByTestId('missing').textContent()).toContain('龙湾区');
    await page.getByTestId('center-lucheng').fill('8月26日，区应急联动指挥中心组织夜间拉动检查。');
    await page.getByTestId('save-lucheng').click();
    await expect.poll(() => page.getByTestId('write-message').textContent()).toContain('已保存鹿城区');
    // The sheet shows the issued version: unchanged until a new one is issued.
    expect(await page.getByTestId('bulletin').textContent()).not.toContain('夜间拉动检查');
    await page.getByTestId('toggle-version').click();
    expect(await page.getByTestId('bulletin').textContent()).toContain('鹿城区：8月26日，区应急联动指挥中心组织夜间拉动检查。');
    expect(await page.getByTestId('draft-mark').textContent()).toContain('草稿');

    const reader = await open(tokens['reader']!);
    expect(await reader.locator('[data-testid^="center-"]').count()).toBe(0);
    expect(await reader.getByTestId('issue').count()).toBe(0);
    expect(await reader.getByTestId('bulletin').textContent()).toContain(seedLine('2020年8月份，').slice(0, 20));
  });

  it('文号: September is proposed the year’s next number, and cannot take August’s', async () => {
    const september = (await getJson<State>(server.url, '/api/reports/bulletin?month=2020-09', admin)).body;
    expect(september.proposedDocNumber).toBe('〔2020〕8号');
    const city = (body: unknown) => adminCall(server.url, admin, 'PUT', '/api/reports/bulletin/city?month=2020-09', body);
    expect((await city({ docNumber: '〔2020〕7号', issueDate: '2020-10-20' })).status).toBe(204);
    const taken = await adminCall<{ message: string }>(server.url, admin, 'POST', '/api/reports/bulletin/issue?month=2020-09');
    expect([taken.status, taken.body.message]).toEqual([400, "docNumber: 〔2020〕7号 is already 2020-08's"]);
    expect((await getJson<State>(server.url, '/api/reports/bulletin?month=2020-09', admin)).body.issued).toBeNull();
  });
});

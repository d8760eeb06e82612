import type { AssessmentReport } from './assessment.js';
import { ANNEX1_CENTER, drillCell, drillColumns, formatMinSec, type DrillRow, type MonthlyReport } from './report.js';
import type { Center, ReferenceIndex } from './reference.js';
import type { Zone } from './time.js';
import { DEMO_NOTE, DEMO_TITLE_PREFIX, annex1Title, annex2Title, monthRange, monthTitle } from './bulletin-text.js';

// The whole 通报 as one pure model: the page renders it, the DOCX writer lays it out, an
// issued version stores it. Text that is derived (the opening, the drill clause, 环比/同比)
// is composed here from the figures; the parts people write come in as `BulletinParts`.

export const ISSUER = '温州市应急联动指挥中心';
/** The issuer's short name in the 发文字号 (温应急联指〔2020〕7号). */
export const ISSUER_SHORT = '温应急联指';
export const SALUTATION = '各县（市、区）应急联动指挥中心，市本级各应急联动成员单位：';
export const DRAFT_LABEL = '草稿';

/** The number part people enter: 〔2020〕7号 (the year in 〔〕, counted from 1 each year). */
export const DOC_NUMBER = /^〔(\d{4})〕([1-9]\d{0,3})号$/;
export const PARAGRAPH_MAX = 1000;
export const REQUIREMENTS_MAX = 6000;
export const CC_MAX = 300;

/** What people write for a month; every field absent until someone writes it. */
export interface BulletinParts {
  /** center id -> that center's paragraph for 二、各县（市、区）工作情况. */
  centers: Record<string, string>;
  requirements?: string;
  cc?: string;
  /** YYYY-MM-DD, printed under the 落款 as 2020年9月21日. */
  issueDate?: string;
  /** 〔YYYY〕N号 */
  docNumber?: string;
}

/** The figures an issued version freezes, and the live report is compared with. */
export interface BulletinFigures {
  monthly: MonthlyReport;
  drills: DrillRow[];
  assessment: AssessmentReport;
}

export interface HeadCell {
  text: string;
  cols?: number;
  rows?: number;
}

export interface DocTable {
  head: HeadCell[][];
  rows: string[][];
  /** Rows (0-based) that total the others. */
  totals: number[];
}

/** A paragraph; `lead` is a （一） heading run before its text, set in 楷体. */
export type DocBlock = { kind: 'para'; text: string; lead?: string } | { kind: 'table'; table: DocTable };

export interface DocSection {
  heading: string;
  blocks: DocBlock[];
}

export interface DocAnnex {
  label: string;
  title: string;
  range: string;
  table: DocTable;
}

export interface BulletinDoc {
  month: string;
  draft: boolean;
  /** The demonstration note when the month holds simulated incidents (as the XLSX marks it). */
  demoNote: string | null;
  masthead: string;
  /** 温应急联指〔2020〕7号, or null while none is set. */
  docNumber: string | null;
  title: [string, string];
  salutation: string;
  opening: string;
  /** 环比/同比, when those months are stored. */
  comparison: string | null;
  sections: DocSection[];
  annexList: string[];
  signer: string;
  /** 2020年9月21日, or null while none is set. */
  date: string | null;
  cc: string | null;
  annexes: DocAnnex[];
}

/** "2020-09-21" -> "2020年9月21日" */
export function formatIssueDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

/** The next 文号 of a year: one above the highest used, 1 for the first. */
export function nextDocNumber(year: number, used: readonly number[]): string {
  return `〔${year}〕${Math.max(0, ...used) + 1}号`;
}

export function docNumberOf(text: string): { year: number; n: number } | null {
  const m = DOC_NUMBER.exec(text);
  return m ? { year: Number(m[1]), n: Number(m[2]) } : null;
}

/** The seed's opening: "2020年8月份，全市…9410起，其中市本级（鹿城、龙湾、瓯海、开发区）5019起、洞头299起…（详见附件）。" */
export function openingParagraph(report: MonthlyReport, centers: readonly Center[], month: string): string {
  const rows = new Map(report.centers.map((c) => [c.center, c]));
  const parts: string[] = [];
  for (const center of centers) {
    if (center.parent !== null) continue;
    const children = centers.filter((c) => c.parent === center.id).map((c) => c.short);
    const name = children.length ? `${center.short}（${children.join('、')}）` : center.short;
    parts.push(`${name}${rows.get(center.id)?.incidents ?? 0}起`);
  }
  return `${monthTitle(month)}份，全市各级应急联动指挥中心受理和处置各类应急联动警情${report.total.incidents}起，其中${parts.join('、')}（详见附件）。`;
}

/** (now - before) / before as a percentage to 2 decimals, in integers so 0.005 rounds up. */
function changePercent(now: number, before: number): string {
  const hundredths = Math.round((Math.abs(now - before) * 10_000) / before);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`;
}

function compareClause(word: '环比' | '同比', what: string, now: number, before: number): string {
  if (now === before) return `较${what}（${before}起）持平`;
  const up = now > before;
  const diff = `${up ? '增加' : '减少'}${Math.abs(now - before)}起`;
  const rate = before === 0 ? '' : `，${word}${up ? '上升' : '下降'}${changePercent(now, before)}`;
  return `较${what}（${before}起）${diff}${rate}`;
}

/** 环比 (the month before) and 同比 (the same month a year before), each only when stored; null when neither is. */
export function comparisonSentence(now: number, previous: number | null, lastYear: number | null): string | null {
  const clauses: string[] = [];
  if (previous !== null) clauses.push(compareClause('环比', '上月', now, previous));
  if (lastYear !== null) clauses.push(compareClause('同比', '去年同期', now, lastYear));
  return clauses.length ? `全市警情总数${clauses.join('；')}。` : null;
}

/** "8月25日，市应急联动工作联合检查组通过模拟报警方式分别对瓯海区、永嘉县的应急联动工作开展了拉动检查，检查情况如下：" */
export function drillParagraph(drills: readonly DrillRow[], ref: ReferenceIndex, zone: Zone): string | null {
  if (!drills.length) return null;
  const days: string[] = [];
  const centers: string[] = [];
  for (const d of drills) {
    const p = zone.parts(Date.parse(d.at));
    const day = `${p.month}月${p.day}日`;
    if (!days.includes(day)) days.push(day);
    const name = ref.centers.get(d.center)?.name ?? d.center;
    if (!centers.includes(name)) centers.push(name);
  }
  const whom = centers.length > 1 ? `分别对${centers.join('、')}` : `对${centers[0]}`;
  return `${days.join('、')}，市应急联动工作联合检查组通过模拟报警方式${whom}的应急联动工作开展了拉动检查，检查情况如下：`;
}

function points(p: number): string {
  return String(Math.round(p * 100) / 100);
}

/** The assessment's paragraph with the units it names (三个一律: 一律扣分并通报). */
export function assessmentParagraph(assessment: AssessmentReport): string {
  const named = assessment.rows.filter((r) => r.named);
  const head = '根据“三个一律”规定，联动单位不派员到现场处置、到现场处置动作迟缓、推诿扯皮的，一律扣分并通报。';
  if (!named.length) return `${head}本月没有扣分超过${assessment.rules.nameAbove}分的单位。`;
  return `${head}本月扣分超过${assessment.rules.nameAbove}分、予以通报的单位：${named.map((r) => `${r.name}（${points(r.points)}分）`).join('、')}。`;
}

/** The drill table in the seed's columns: 地区, the departments, 未在规时限内到达现场数量. */
export function drillTable(drills: readonly DrillRow[], ref: ReferenceIndex): DocTable {
  const columns = drillColumns([...drills], ref);
  return {
    head: [[{ text: '地区' }, ...columns.map((c) => ({ text: c.label })), { text: '未在规时限内到达现场数量' }]],
    rows: drills.map((d) => [
      ref.centers.get(d.center)?.name ?? d.center,
      ...columns.map((c) => {
        const cell = drillCell(d, c.unitType);
        if (!cell) return '-';
        return cell.seconds === null ? '未到场' : formatMinSec(cell.seconds);
      }),
      String(d.lateCount),
    ]),
    totals: [],
  };
}

export function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${rate.toFixed(2)}%`;
}

/** 附件1 in the seed's columns. */
export function unitsAnnexTable(report: MonthlyReport): DocTable {
  const units = report.units.filter((u) => u.center === ANNEX1_CENTER);
  const t = report.unitsTotal;
  const cells = (o: typeof t) => [o.orders, o.signed, o.unsigned, o.feedbacks, o.unfed, o.returned].map(String);
  return {
    head: [
      [
        { text: '序号', rows: 2 },
        { text: '联动单位', rows: 2 },
        { text: '指令总数', cols: 3 },
        { text: '反馈总数', cols: 3 },
      ],
      ['事件数', '接收数', '未接收数', '已反馈', '未反馈', '已退单'].map((text) => ({ text })),
    ],
    rows: [...units.map((u, i) => [String(i + 1), u.name, ...cells(u)]), ['合计', '', ...cells(t)]],
    totals: [units.length],
  };
}

/** 附件2 in the seed's columns. */
export function centersAnnexTable(report: MonthlyReport): DocTable {
  const cells = (c: MonthlyReport['total']) => [
    String(c.incidents),
    String(c.closed),
    formatRate(c.closedRate),
    String(c.feedbacks),
    String(c.unfed),
    String(c.overdueFeedback),
    String(c.returned),
  ];
  return {
    head: [
      [
        { text: '序号', rows: 2 },
        { text: '地区', rows: 2 },
        { text: '指令总数', cols: 3 },
        { text: '反馈总数', cols: 4 },
      ],
      ['处警数', '办结', '办结率', '已反馈', '未反馈', '逾期反馈', '已退单'].map((text) => ({ text })),
    ],
    rows: [...report.centers.map((c, i) => [String(i + 1), c.name, ...cells(c)]), ['合计', '', ...cells(report.total)]],
    totals: [report.centers.length],
  };
}

/** The centers that write a paragraph for 二、: every one but the city center itself. */
export function writingCenters(ref: ReferenceIndex): Center[] {
  return ref.data.centers.filter((c) => c.id !== ANNEX1_CENTER);
}

const LEAD = /^(（[一二三四五六七八九十]+）[^。！？]*[。！？])/;

/** 三、工作要求 as paragraphs: one a line; a line opening with （一）… keeps that first sentence as its heading. */
export function requirementBlocks(text: string): DocBlock[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line): DocBlock => {
      const lead = LEAD.exec(line)?.[1];
      return lead ? { kind: 'para', lead, text: line.slice(lead.length) } : { kind: 'para', text: line };
    });
}

export interface ComposeInput {
  month: string;
  parts: BulletinParts;
  figures: BulletinFigures;
  ref: ReferenceIndex;
  zone: Zone;
  /** 合计 of the month before and of the same month a year before, when stored. */
  previousTotal: number | null;
  lastYearTotal: number | null;
  draft: boolean;
}

export function composeBulletin(input: ComposeInput): BulletinDoc {
  const { month, parts, figures, ref, zone } = input;
  const simulated = figures.monthly.simulated > 0;
  const drillText = drillParagraph(figures.drills, ref, zone);
  const city: DocBlock[] = drillText
    ? [
        { kind: 'para', text: drillText },
        { kind: 'table', table: drillTable(figures.drills, ref) },
      ]
    : [{ kind: 'para', text: '本月未开展拉动检查。' }];
  city.push({ kind: 'para', text: assessmentParagraph(figures.assessment) });
  const centerBlocks: DocBlock[] = writingCenters(ref).flatMap((c) => {
    const text = parts.centers[c.id];
    return text ? [{ kind: 'para' as const, text: `${c.name}：${text}` }] : [];
  });
  return {
    month,
    draft: input.draft,
    demoNote: simulated ? DEMO_NOTE : null,
    masthead: ISSUER,
    docNumber: parts.docNumber ? `${ISSUER_SHORT}${parts.docNumber}` : null,
    title: [`${simulated ? DEMO_TITLE_PREFIX : ''}${monthTitle(month)}份全市应急联动工作`, '情 况 通 报'],
    salutation: SALUTATION,
    opening: openingParagraph(figures.monthly, ref.data.centers, month),
    comparison: comparisonSentence(figures.monthly.total.incidents, input.previousTotal, input.lastYearTotal),
    sections: [
      { heading: '一、市级工作情况', blocks: city },
      { heading: '二、各县（市、区）工作情况', blocks: centerBlocks },
      { heading: '三、工作要求', blocks: requirementBlocks(parts.requirements ?? '') },
    ],
    annexList: [`1.《${annex1Title(month)}》`, `2.《${annex2Title(month)}》`],
    signer: ISSUER,
    date: parts.issueDate ? formatIssueDate(parts.issueDate) : null,
    cc: parts.cc ? `抄送：${parts.cc}` : null,
    annexes: [
      { label: '附件1', title: annex1Title(month), range: monthRange(month), table: unitsAnnexTable(figures.monthly) },
      { label: '附件2', title: annex2Title(month), range: monthRange(month), table: centersAnnexTable(figures.monthly) },
    ],
  };
}

/** One annex or drill cell whose figure differs between an issued version and the live report. */
export interface MovedCell {
  table: string;
  row: string;
  column: string;
  issued: string;
  live: string;
}

function tableCells(name: string, table: DocTable): Map<string, { table: string; row: string; column: string; value: string }> {
  const columns =
    table.head.length > 1 ? [...table.head[0]!.filter((h) => h.rows === 2).map((h) => h.text), ...table.head[1]!.map((h) => h.text)] : table.head[0]!.map((h) => h.text);
  const out = new Map<string, { table: string; row: string; column: string; value: string }>();
  // The row's name is its 联动单位/地区 cell (合计 in the first column for the total row).
  const nameAt = columns[0] === '序号' ? 1 : 0;
  for (const row of table.rows) {
    const rowName = row[nameAt] || row[0]!;
    row.forEach((value, c) => {
      if (c <= nameAt) return;
      out.set(`${name}|${rowName}|${columns[c]}`, { table: name, row: rowName, column: columns[c]!, value });
    });
  }
  return out;
}

/** The cells that moved since the issue: 附件1, 附件2 and the drill table, compared by row and column name. */
export function movedCells(issued: BulletinFigures, live: BulletinFigures, ref: ReferenceIndex): MovedCell[] {
  const pairs: Array<[string, DocTable, DocTable]> = [
    ['附件1', unitsAnnexTable(issued.monthly), unitsAnnexTable(live.monthly)],
    ['附件2', centersAnnexTable(issued.monthly), centersAnnexTable(live.monthly)],
    ['拉动检查', drillTable(issued.drills, ref), drillTable(live.drills, ref)],
  ];
  const moved: MovedCell[] = [];
  for (const [name, a, b] of pairs) {
    const before = tableCells(name, a);
    const after = tableCells(name, b);
    for (const [key, cell] of after) {
      const old = before.get(key)?.value ?? '';
      if (old !== cell.value) moved.push({ table: name, row: cell.row, column: cell.column, issued: old, live: cell.value });
    }
    for (const [key, cell] of before) if (!after.has(key)) moved.push({ table: name, row: cell.row, column: cell.column, issued: cell.value, live: '' });
  }
  return moved;
}

import {
  ANNEX1_CENTER,
  ANNEX1_NOTE,
  DEDUCTION_KINDS,
  DEDUCTION_LABELS,
  DEMO_NOTE,
  DEMO_TITLE_PREFIX,
  QUALITY_LABELS,
  TOTAL_RULE_NOTE,
  annex1Title,
  annex2Title,
  assessmentRulesNote,
  monthRange,
  monthTitle,
  drillCell,
  drillColumns,
  type AssessmentReport,
  type DrillRow,
  type MonthlyReport,
  type QualityReport,
  type ReferenceIndex,
  type Zone,
} from '@wall/shared';

// The bulletin's tables as plain rows of typed cells, one model for both exports: the XLSX
// writer turns durations and rates into Excel numbers with a display format, the CSV writer
// into the text the printed bulletin shows. Kept free of I/O so it is unit-tested directly.

/** A duration the sheet keeps as a number and shows as 分/秒. */
export interface Duration {
  seconds: number;
}
/** A percentage (99.61 means 99.61%). */
export interface Percent {
  percent: number;
}
export type Cell = string | number | null | Duration | Percent;

export const TABLE_KEYS = ['units', 'centers', 'drills', 'assessment', 'quality'] as const;
export type TableKey = (typeof TABLE_KEYS)[number];

export interface Table {
  key: TableKey;
  /** Sheet name (at most 31 characters, Excel's limit). */
  sheet: string;
  title: string;
  headers: string[];
  rows: Cell[][];
  /** Rows (0-based) shown indented under the row above: 附件2's urban centers. */
  indented: number[];
  /** Rows (0-based) that total the others: shown bold. */
  totals: number[];
  /** Lines printed under the table (the 合计 rule, the assessment rules). */
  notes: string[];
}

export interface BulletinData {
  month: string;
  monthly: MonthlyReport;
  drills: DrillRow[];
  assessment: AssessmentReport;
  quality: QualityReport;
}

function localTime(zone: Zone, iso: string): string {
  const p = zone.parts(Date.parse(iso));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

function unitsTable(data: BulletinData): Table {
  const units = data.monthly.units.filter((u) => u.center === ANNEX1_CENTER);
  const t = data.monthly.unitsTotal;
  const rows: Cell[][] = units.map((u, i) => [i + 1, u.name, u.orders, u.signed, u.unsigned, u.feedbacks, u.unfed, u.returned]);
  rows.push(['合计', null, t.orders, t.signed, t.unsigned, t.feedbacks, t.unfed, t.returned]);
  return {
    key: 'units',
    sheet: '附件1',
    title: annex1Title(data.month),
    headers: ['序号', '联动单位', '指令总数·事件数', '指令总数·接收数', '指令总数·未接收数', '反馈总数·已反馈', '反馈总数·未反馈', '反馈总数·已退单'],
    rows,
    indented: [],
    totals: [rows.length - 1],
    notes: [monthRange(data.month), ANNEX1_NOTE],
  };
}

function centersTable(data: BulletinData): Table {
  const { centers, total } = data.monthly;
  const rate = (r: number | null): Cell => (r === null ? null : { percent: r });
  const rows: Cell[][] = centers.map((c, i) => [i + 1, c.name, c.incidents, c.closed, rate(c.closedRate), c.feedbacks, c.unfed, c.overdueFeedback, c.returned]);
  rows.push(['合计', null, total.incidents, total.closed, rate(total.closedRate), total.feedbacks, total.unfed, total.overdueFeedback, total.returned]);
  return {
    key: 'centers',
    sheet: '附件2',
    title: annex2Title(data.month),
    headers: ['序号', '地区', '处警数', '办结', '办结率', '已反馈', '未反馈', '逾期反馈', '已退单'],
    rows,
    indented: centers.flatMap((c, i) => (c.parent !== null ? [i] : [])),
    totals: [rows.length - 1],
    notes: [monthRange(data.month), TOTAL_RULE_NOTE],
  };
}

function drillsTable(data: BulletinData, ref: ReferenceIndex, zone: Zone): Table {
  const columns = drillColumns(data.drills, ref);
  const rows: Cell[][] = data.drills.map((d, i) => [
    i + 1,
    ref.centers.get(d.center)?.name ?? d.center,
    localTime(zone, d.at),
    ...columns.map((c): Cell => {
      const cell = drillCell(d, c.unitType);
      if (!cell) return '-';
      return cell.seconds === null ? '未到场' : { seconds: cell.seconds };
    }),
    d.lateCount,
  ]);
  return {
    key: 'drills',
    sheet: '拉动检查',
    title: `${monthTitle(data.month)}拉动检查情况`,
    headers: ['序号', '地区', '检查时间', ...columns.map((c) => c.label), '未在规时限内到达现场数量'],
    rows,
    indented: [],
    totals: [],
    notes: ['到达用时自派单起计；“-”为未参加检查的部门，“未到场”为派单后未到达现场；到场时限默认20分钟。'],
  };
}

function assessmentTable(data: BulletinData, ref: ReferenceIndex): Table {
  const { rules, rows } = data.assessment;
  return {
    key: 'assessment',
    sheet: '考核',
    title: `${monthTitle(data.month)}联动单位考核扣分情况`,
    headers: ['排名', '联动单位', '所属中心', '指令数', ...DEDUCTION_KINDS.map((k) => DEDUCTION_LABELS[k]), '扣分', '予以通报'],
    rows: rows.map((r) => [r.rank, r.name, ref.centers.get(r.center)?.name ?? r.center, r.orders, ...DEDUCTION_KINDS.map((k) => r.counts[k]), r.points, r.named ? '是' : '']),
    indented: [],
    totals: [],
    notes: [assessmentRulesNote(rules)],
  };
}

function qualityTable(data: BulletinData, ref: ReferenceIndex, zone: Zone): Table {
  const q = data.quality;
  const notes = [
    `共${q.total}处。` +
      Object.entries(q.counts)
        .map(([k, n]) => `${QUALITY_LABELS[k as keyof typeof QUALITY_LABELS]}${n}处`)
        .join('，'),
  ];
  if (q.truncated) notes.push(`仅列出前${q.issues.length}处。`);
  return {
    key: 'quality',
    sheet: '数据质量',
    title: `${monthTitle(data.month)}数据质量核查`,
    headers: ['序号', '问题类型', '警情编号', '指令编号', '联动单位', '时间', '说明'],
    rows: q.issues.map((i, n) => [n + 1, QUALITY_LABELS[i.kind], i.incident, i.order, i.unit ? (ref.units.get(i.unit)?.name ?? i.unit) : null, localTime(zone, i.at), i.detail]),
    indented: [],
    totals: [],
    notes,
  };
}

/**
 * Every table of the month. A month with simulated incidents is a demonstration: each title
 * says so and each table carries the note, so no sheet of it can pass for a real bulletin.
 */
export function bulletinTables(data: BulletinData, ref: ReferenceIndex, zone: Zone): Table[] {
  const tables = [unitsTable(data), centersTable(data), drillsTable(data, ref, zone), assessmentTable(data, ref), qualityTable(data, ref, zone)];
  if (data.monthly.simulated === 0) return tables;
  return tables.map((t) => ({ ...t, title: `${DEMO_TITLE_PREFIX}${t.title}`, notes: [DEMO_NOTE, ...t.notes] }));
}

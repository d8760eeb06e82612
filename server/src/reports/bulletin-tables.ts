import {
  DEDUCTION_KINDS,
  DEDUCTION_LABELS,
  QUALITY_LABELS,
  TOTAL_RULE_NOTE,
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

/** "2020-08" -> "2020年8月" */
export function monthTitle(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** "2020-08-01" -> "2020年8月1日至8月31日", the annexes' 时间范围. */
function monthRange(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `时间范围：${y}年${m}月1日至${m}月${last}日`;
}

function localTime(zone: Zone, iso: string): string {
  const p = zone.parts(Date.parse(iso));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

function unitsTable(data: BulletinData): Table {
  const units = data.monthly.units.filter((u) => u.center === 'city');
  const sum = (key: 'orders' | 'signed' | 'unsigned' | 'feedbacks' | 'unfed' | 'returned') => units.reduce((a, u) => a + u[key], 0);
  const rows: Cell[][] = units.map((u, i) => [i + 1, u.name, u.orders, u.signed, u.unsigned, u.feedbacks, u.unfed, u.returned]);
  rows.push(['合计', null, sum('orders'), sum('signed'), sum('unsigned'), sum('feedbacks'), sum('unfed'), sum('returned')]);
  return {
    key: 'units',
    sheet: '附件1',
    title: `${monthTitle(data.month)}份市本级应急联动单位警情处置情况统计表`,
    headers: ['序号', '联动单位', '指令总数·事件数', '指令总数·接收数', '指令总数·未接收数', '反馈总数·已反馈', '反馈总数·未反馈', '反馈总数·已退单'],
    rows,
    indented: [],
    totals: [rows.length - 1],
    notes: [monthRange(data.month), '已反馈为反馈条数（一条指令可多次反馈）；未反馈为既未反馈也未退单的指令数。'],
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
    title: `${monthTitle(data.month)}全市应急联动警情处置情况统计表`,
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
  const pointsNote = DEDUCTION_KINDS.map((k) => `${DEDUCTION_LABELS[k]}每起${rules[k]}分`).join('，');
  return {
    key: 'assessment',
    sheet: '考核',
    title: `${monthTitle(data.month)}联动单位考核扣分情况`,
    headers: ['排名', '联动单位', '所属中心', '指令数', ...DEDUCTION_KINDS.map((k) => DEDUCTION_LABELS[k]), '扣分', '予以通报'],
    rows: rows.map((r) => [
      r.rank,
      r.name,
      ref.centers.get(r.center)?.name ?? r.center,
      r.orders,
      ...DEDUCTION_KINDS.map((k) => r.counts[k]),
      r.points,
      r.named ? '是' : '',
    ]),
    indented: [],
    totals: [],
    notes: [`扣分规则：${pointsNote}；扣分高于${rules.nameAbove}分的单位予以通报。`],
  };
}

function qualityTable(data: BulletinData, ref: ReferenceIndex, zone: Zone): Table {
  const q = data.quality;
  const notes = [`共${q.total}处。` + Object.entries(q.counts).map(([k, n]) => `${QUALITY_LABELS[k as keyof typeof QUALITY_LABELS]}${n}处`).join('，')];
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

export function bulletinTables(data: BulletinData, ref: ReferenceIndex, zone: Zone): Table[] {
  return [unitsTable(data), centersTable(data), drillsTable(data, ref, zone), assessmentTable(data, ref), qualityTable(data, ref, zone)];
}

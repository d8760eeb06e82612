import { dueAt, emptyTally, type ProjectionState, type Tally } from './projection.js';
import type { ReferenceIndex } from './reference.js';
import type { Zone } from './time.js';

// The bulletin's annexes (feed-contract.md, Reports), read off the projection's month tallies.

export interface UnitRow {
  unit: string;
  name: string;
  center: string;
  orders: number;
  signed: number;
  unsigned: number;
  feedbacks: number;
  unfed: number;
  returned: number;
}

export interface CenterTotals {
  incidents: number;
  closed: number;
  closedRate: number | null;
  feedbacks: number;
  unfed: number;
  overdueFeedback: number;
  returned: number;
}

export interface CenterRow extends CenterTotals {
  center: string;
  name: string;
  parent: string | null;
}

export interface UnitTotals {
  orders: number;
  signed: number;
  unsigned: number;
  feedbacks: number;
  unfed: number;
  returned: number;
}

export interface MonthlyReport {
  month: string;
  units: UnitRow[];
  /** 附件1's 合计: the city center's units (the rows whose `center` is `city`), every column. */
  unitsTotal: UnitTotals;
  centers: CenterRow[];
  total: CenterTotals;
  /** Real incidents of the month that came from the built-in simulator: > 0 makes it a demonstration. */
  simulated: number;
}

/** The center whose linkage units 附件1 lists (市本级's ten). */
export const ANNEX1_CENTER = 'city';

/** closed/incidents as a percentage rounded to 2 decimals; integer arithmetic avoids 99.605 -> 99.6 float slips. */
export function closedRate(closed: number, incidents: number): number | null {
  if (incidents === 0) return null;
  return Math.round((closed * 10_000) / incidents) / 100;
}

function centerTotals(t: Tally): CenterTotals {
  return {
    incidents: t.incidents,
    closed: t.closed,
    closedRate: closedRate(t.closed, t.incidents),
    feedbacks: t.feedbacks,
    unfed: t.unfed,
    overdueFeedback: t.overdueFeedback,
    returned: t.returned,
  };
}

export function unitRow(unit: { id: string; name: string; center: string }, t: Tally): UnitRow {
  return {
    unit: unit.id,
    name: unit.name,
    center: unit.center,
    orders: t.orders,
    signed: t.signed,
    unsigned: t.orders - t.signed,
    feedbacks: t.feedbacks,
    unfed: t.unfed,
    returned: t.returned,
  };
}

const UNIT_COLUMNS = ['orders', 'signed', 'unsigned', 'feedbacks', 'unfed', 'returned'] as const;
const CENTER_COLUMNS = ['incidents', 'closed', 'feedbacks', 'unfed', 'overdueFeedback', 'returned'] as const;

/** 附件1's 合计: every column of the given unit rows added up. */
export function unitsTotal(rows: readonly UnitRow[]): UnitTotals {
  const total = { orders: 0, signed: 0, unsigned: 0, feedbacks: 0, unfed: 0, returned: 0 };
  for (const row of rows) for (const key of UNIT_COLUMNS) total[key] += row[key];
  return total;
}

/**
 * 附件2's 合计, the product's one rule for every column: the rows whose `parent` is null. A row
 * with a parent (鹿城, 龙湾, 瓯海, 开发区 under 市本级) is shown under it and skipped here; its
 * incidents are its own and 市本级's row never includes them (feed-contract.md, Reports).
 */
export function centersTotal(rows: readonly CenterRow[]): CenterTotals {
  const sum = { incidents: 0, closed: 0, feedbacks: 0, unfed: 0, overdueFeedback: 0, returned: 0 };
  for (const row of rows) {
    if (row.parent !== null) continue;
    for (const key of CENTER_COLUMNS) sum[key] += row[key];
  }
  return { ...sum, closedRate: closedRate(sum.closed, sum.incidents) };
}

/**
 * Every incident of the rows, each once: since each row counts only its own center's
 * incidents, the sum of all rows (urban ones included) is the month's whole intake. The wall's
 * month tiles show this, beside today's figures that count every incident too; 附件2's 合计
 * (centersTotal) follows the bulletin's convention of leaving the urban rows out.
 */
export function centersAll(rows: readonly CenterRow[]): CenterTotals {
  const sum = { incidents: 0, closed: 0, feedbacks: 0, unfed: 0, overdueFeedback: 0, returned: 0 };
  for (const row of rows) for (const key of CENTER_COLUMNS) sum[key] += row[key];
  return { ...sum, closedRate: closedRate(sum.closed, sum.incidents) };
}

/**
 * The rows in the annex's order: each row without a parent, then the rows shown under it
 * (reference order within each). A row whose parent is unknown stands at the top level.
 */
export function orderCenterRows<R extends { center: string; parent: string | null }>(rows: readonly R[]): R[] {
  const known = new Set(rows.map((r) => r.center));
  const top = (r: R) => r.parent === null || !known.has(r.parent);
  const out: R[] = [];
  for (const r of rows) {
    if (!top(r)) continue;
    out.push(r);
    for (const c of rows) if (c.parent === r.center && c !== r) out.push(c);
  }
  return out;
}

/**
 * 附件1 and 附件2 for one month. Units: the city's units always (附件1), any other unit with
 * orders. Centers: every center, each counting its own incidents only. `total` adds the rows
 * without a parent, for every column.
 */
export function monthlyReport(state: ProjectionState, month: string, ref: ReferenceIndex): MonthlyReport {
  const tallies = state.months.get(month);
  const units: UnitRow[] = [];
  for (const unit of ref.data.units) {
    const t = tallies?.units.get(unit.id);
    if (t || unit.center === ANNEX1_CENTER) units.push(unitRow(unit, t ?? emptyTally()));
  }
  const centers: CenterRow[] = orderCenterRows(
    ref.data.centers.map((center) => {
      const t = tallies?.centers.get(center.id) ?? emptyTally();
      return { center: center.id, name: center.name, parent: center.parent, ...centerTotals(t) };
    }),
  );
  return {
    month,
    units,
    unitsTotal: unitsTotal(units.filter((u) => u.center === ANNEX1_CENTER)),
    centers,
    total: centersTotal(centers),
    simulated: tallies?.simulated ?? 0,
  };
}

/** A unit's type: the reference's, else the `<center>.<type>` id's second part (feed-contract.md, Ids). */
export function unitTypeOf(unitId: string, ref?: ReferenceIndex): string {
  return ref?.units.get(unitId)?.type ?? unitId.slice(unitId.indexOf('.') + 1);
}

/** A unit's center: the reference's, else the id's first part. */
export function unitCenterOf(unitId: string, ref?: ReferenceIndex): string {
  const dot = unitId.indexOf('.');
  return ref?.units.get(unitId)?.center ?? (dot > 0 ? unitId.slice(0, dot) : unitId);
}

export interface DrillArrival {
  unit: string;
  unitType: string;
  dispatchedAt: string;
  arrivedAt: string | null;
  seconds: number | null;
  late: boolean;
}

export interface DrillRow {
  incident: string;
  center: string;
  at: string;
  arrivals: DrillArrival[];
  lateCount: number;
}

/** One row per drill incident reported in the month, arrivals timed from dispatch. */
export function drillReport(state: ProjectionState, month: string, ref: ReferenceIndex, zone: Zone): DrillRow[] {
  const rows: DrillRow[] = [];
  for (const id of state.drills) {
    const incident = state.incidents.get(id)!;
    const report = incident.report!;
    if (zone.monthKey(report.t) !== month) continue;
    const arrivals: DrillArrival[] = [];
    for (const orderId of incident.orders) {
      const order = state.orders.get(orderId)!;
      const d = order.dispatch;
      if (!d) continue;
      const due = dueAt(order, 'arrive')!;
      const arrived = order.arrivedAt;
      arrivals.push({
        unit: d.unit,
        unitType: unitTypeOf(d.unit, ref),
        dispatchedAt: new Date(d.t).toISOString(),
        arrivedAt: arrived === undefined ? null : new Date(arrived).toISOString(),
        seconds: arrived === undefined ? null : Math.round((arrived - d.t) / 1000),
        // Nobody on scene by the limit is as late as arriving after it.
        late: arrived === undefined ? incident.closedAt !== undefined || order.returned !== undefined : arrived > due,
      });
    }
    // Ties broken on every field, so one unit sent twice at once lists the same in any event order.
    arrivals.sort(
      (a, b) =>
        a.dispatchedAt.localeCompare(b.dispatchedAt) ||
        a.unit.localeCompare(b.unit) ||
        compare(a.arrivedAt ?? '\uffff', b.arrivedAt ?? '\uffff') ||
        Number(a.late) - Number(b.late),
    );
    rows.push({
      incident: id,
      center: report.center,
      at: new Date(report.t).toISOString(),
      arrivals,
      lateCount: arrivals.filter((a) => a.late).length,
    });
  }
  return rows.sort((a, b) => a.at.localeCompare(b.at) || a.incident.localeCompare(b.incident));
}

/** The drill table's department columns in the bulletin's order (拉动检查 of 2020-08-25). */
const BULLETIN_DRILL_TYPES: ReadonlyArray<readonly [type: string, label: string]> = [
  ['police', '公安'],
  ['emergency', '应急管理'],
  ['ecology', '生态环境'],
  ['transport', '交通运输'],
  ['market', '市场监管'],
  ['labour', '人力社保'],
  ['health', '卫健委'],
  ['enforcement', '综合执法'],
  ['power', '供电'],
  ['street', '街道（政府）'],
];

export interface DrillColumn {
  unitType: string;
  label: string;
}

/**
 * The drill table's columns: the bulletin's ten departments always (an untested one shows
 * "-"), then any other department the month's drills called, in reference order.
 */
export function drillColumns(rows: DrillRow[], ref: ReferenceIndex): DrillColumn[] {
  const columns: DrillColumn[] = BULLETIN_DRILL_TYPES.map(([unitType, label]) => ({ unitType, label }));
  const used = new Set(rows.flatMap((r) => r.arrivals.map((a) => a.unitType)));
  for (const type of ref.data.unitTypes) {
    if (used.has(type.id) && !columns.some((c) => c.unitType === type.id)) columns.push({ unitType: type.id, label: type.name });
  }
  return columns;
}

/** A drill's on-scene time for one department: its first dispatched unit of that type; null when none was called. */
export function drillCell(row: DrillRow, unitType: string): DrillArrival | null {
  return row.arrivals.find((a) => a.unitType === unitType) ?? null;
}

/** Seconds as the bulletin writes them: "3分", "18分25秒", "45秒". */
export function formatMinSec(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const abs = Math.abs(Math.round(seconds));
  const m = Math.floor(abs / 60);
  const s = abs % 60;
  if (m === 0) return `${sign}${s}秒`;
  return s === 0 ? `${sign}${m}分` : `${sign}${m}分${s}秒`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The failings the assessment (三个一律, shared/src/assessment.ts) deducts for, in the order
 * the bulletin page and the exports show them. Kept here, free of the rules' zod schema, so
 * the client can label its table without bundling zod.
 */
export const DEDUCTION_KINDS = ['signLate', 'arriveLate', 'overdueFeedback', 'unfed', 'returned'] as const;
export type DeductionKind = (typeof DEDUCTION_KINDS)[number];

export const DEDUCTION_LABELS: Record<DeductionKind, string> = {
  signLate: '超时签收',
  arriveLate: '超时到场',
  overdueFeedback: '逾期反馈',
  unfed: '未反馈',
  returned: '退单',
};

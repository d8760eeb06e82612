import { LIMIT_NAMES, dueAt, limitStatus, type IncidentFacts, type IncidentReport, type LimitName, type OrderFacts, type ProjectionState } from './projection.js';
import { centersAll, monthlyReport, type CenterRow, type CenterTotals } from './report.js';
import { isPrewarned, prewarnShares, warnAt } from './prewarn.js';
import type { ReferenceIndex } from './reference.js';
import { dutyPeriodOn, type DutyPeriod, type Roster } from './roster.js';
import { Zone } from './time.js';

// What a wall shows at a given instant, read off the projection. Live walls call it with the
// server clock, replay with the virtual time: both see the same numbers for the same events.

export const TICKER_SIZE = 20;
export const OVERDUE_LIST_SIZE = 50;
/** Worst first; the 16:9 wall shows 20, a 32:9 or 48:9 wall all of them. */
export const UNIT_BOARD_SIZE = 60;
/** Days in the wide walls' hour-by-hour trend of the week (today the last). */
export const WEEK_DAYS = 7;

export interface Kpi {
  today: number;
  /** Incidents of yesterday up to the same time of day, for the change arrow. */
  yesterdaySameTime: number;
  month: number;
  inProgress: number;
  closedRate: number | null;
  overdue: number;
  returnedMonth: number;
  /** Incidents of the month from the built-in simulator: the wall shows its 模拟数据 badge while > 0. */
  simulated: number;
}

export interface DistrictFigure {
  id: string;
  today: number;
  open: number;
  overdue: number;
}

export interface UnitFigure {
  unit: string;
  name: string;
  orders: number;
  /** Percentages with 1 decimal, null while nothing is decided. */
  signRate: number | null;
  arriveRate: number | null;
}

export interface OverdueItem {
  order: string;
  incident: string;
  unit: string;
  center: string | null;
  district: string | null;
  limit: LimitName;
  dueAt: number;
  location: { lng: number; lat: number } | null;
  /** Who acknowledged the alarm of this item, if anyone did. */
  acknowledgedBy: string | null;
  /** The alarm of this item has nobody to take it (无人接收). */
  unreached: boolean;
  /** A supervisor issued a 督办 on this order's limit (absent otherwise). */
  supervised?: true;
}

/** A pending limit past its pre-warning share (预警, 即将超时): yellow until it is met or due. */
export interface WarningItem {
  order: string;
  incident: string;
  unit: string;
  unitType: string;
  center: string | null;
  district: string | null;
  limit: LimitName;
  warnAt: number;
  dueAt: number;
  location: { lng: number; lat: number } | null;
}

export interface TickerItem {
  incident: string;
  t: number;
  center: string;
  district: string | null;
  kind: 'alarm' | 'help' | 'complaint';
  category: string;
  summary: string | null;
  location: { lng: number; lat: number } | null;
}

export interface WallSections {
  kpi: Kpi;
  /** Incidents per hour: today, yesterday, and the week (WEEK_DAYS × 24, oldest day first, today last). */
  hourly: { today: number[]; yesterday: number[]; week: number[] };
  districts: DistrictFigure[];
  /** 附件2's rows, in the annex's order (children right under their parent). */
  centers: CenterRow[];
  /** 附件2's 合计 of those rows (report.ts centersTotal): the wall shows it, never re-adds. */
  centersTotal: CenterTotals;
  units: UnitFigure[];
  /**
   * Red items, and the yellow ones about to be (in the same section, so every list and map that
   * shows one shows the other). `warnings` is always set here; optional for a server older than it.
   */
  overdue: { total: number; items: OverdueItem[]; warnings?: { total: number; items: WarningItem[] } };
  ticker: TickerItem[];
  /** The holiday-duty period (节日值守) on today, from the roster. */
  duty: DutyPeriod | null;
  /** The server's own link to its data store: walls say so when it is down. */
  health: { store: 'up' | 'down'; since: number | null };
}

export type SectionName = keyof WallSections;
export const SECTION_NAMES: SectionName[] = ['kpi', 'hourly', 'districts', 'centers', 'centersTotal', 'units', 'overdue', 'ticker', 'duty', 'health'];

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 1000) / whole) / 10;
}

export type AckLookup = (order: string, limit: LimitName) => string | null;

export interface WallExtras {
  /** Who acknowledged the alarm of an overdue item (the alarm store knows, the projection does not). */
  acks?: AckLookup;
  /** Whether the alarm of an overdue item has nobody to take it (无人接收). */
  unreached?: (order: string, limit: LimitName) => boolean;
  /** Whether a 督办 was issued on an overdue item (the urge records know). */
  supervised?: (order: string, limit: LimitName) => boolean;
  roster?: Roster;
  /** When the server lost its Redis, if it has. */
  storeDownSince?: number | null;
}

export function buildWallSections(state: ProjectionState, now: number, ref: ReferenceIndex, zone: Zone, extras: WallExtras = {}): WallSections {
  const acks = extras.acks ?? (() => null);
  const unreached = extras.unreached ?? (() => false);
  const supervised = extras.supervised ?? (() => false);
  const todayKey = zone.dayKey(now);
  const yesterdayKey = Zone.previousDay(todayKey);
  const nowMinute = zone.minuteOfDay(now);
  const monthKey = zone.monthKey(now);

  const districts = new Map<string, DistrictFigure>(ref.data.districts.map((d) => [d.id, { id: d.id, today: 0, open: 0, overdue: 0 }]));
  const hourlyToday = new Array<number>(24).fill(0);
  const hourlyYesterday = new Array<number>(24).fill(0);
  const ticker: TickerItem[] = [];

  let today = 0;
  for (const id of state.days.get(todayKey) ?? []) {
    const report = state.incidents.get(id)!.report!;
    if (report.t > now) continue;
    today++;
    hourlyToday[Math.floor(zone.minuteOfDay(report.t) / 60)]!++;
    if (report.district) districts.get(report.district)!.today++;
    ticker.push(tickerItem(id, report));
  }
  let yesterdaySameTime = 0;
  for (const id of state.days.get(yesterdayKey) ?? []) {
    const report = state.incidents.get(id)!.report!;
    const minute = zone.minuteOfDay(report.t);
    hourlyYesterday[Math.floor(minute / 60)]!++;
    if (minute <= nowMinute) yesterdaySameTime++;
    // All of them: the day's set is in arrival order, the newest are picked after the sort.
    ticker.push(tickerItem(id, report));
  }
  // The week: the days before yesterday counted here, yesterday and today copied in.
  const week = new Array<number>(WEEK_DAYS * 24).fill(0);
  let dayKey = yesterdayKey;
  for (let d = WEEK_DAYS - 3; d >= 0; d--) {
    dayKey = Zone.previousDay(dayKey);
    for (const id of state.days.get(dayKey) ?? []) {
      const report = state.incidents.get(id)!.report!;
      week[d * 24 + Math.floor(zone.minuteOfDay(report.t) / 60)]!++;
    }
  }
  for (let h = 0; h < 24; h++) {
    week[(WEEK_DAYS - 2) * 24 + h] = hourlyYesterday[h]!;
    week[(WEEK_DAYS - 1) * 24 + h] = hourlyToday[h]!;
  }
  ticker.sort((a, b) => b.t - a.t || (a.incident < b.incident ? -1 : 1));
  ticker.length = Math.min(ticker.length, TICKER_SIZE);

  const overdueItems: OverdueItem[] = [];
  const warningItems: WarningItem[] = [];
  const shares = prewarnShares(ref.data);
  for (const orderId of state.open) {
    const order = state.orders.get(orderId)!;
    const d = order.dispatch!;
    if (d.t > now) continue;
    const incident = state.incidents.get(d.incident);
    const district = incident?.report?.district ?? null;
    const figure = district ? districts.get(district) : undefined;
    if (figure) figure.open++;
    let late = false;
    for (const limit of LIMIT_NAMES) {
      if (isPrewarned(order, incident, limit, now, shares[limit])) {
        warningItems.push(warningItem(ref, orderId, order, incident, limit, shares[limit]));
        continue;
      }
      if (limitStatus(order, incident, limit, now) !== 'overdue') continue;
      late = true;
      overdueItems.push({
        order: orderId,
        incident: d.incident,
        unit: d.unit,
        center: incident?.report?.center ?? null,
        district,
        limit,
        dueAt: dueAt(order, limit)!,
        location: incident?.report?.location ?? null,
        acknowledgedBy: acks(orderId, limit),
        unreached: unreached(orderId, limit),
        ...(supervised(orderId, limit) ? { supervised: true as const } : {}),
      });
    }
    if (late && figure) figure.overdue++;
  }
  // The soonest due first: the next to turn red.
  warningItems.sort(byDueThenId);
  overdueItems.sort((a, b) => b.dueAt - a.dueAt || (a.order < b.order ? -1 : a.order > b.order ? 1 : a.limit < b.limit ? -1 : 1));

  const report = monthlyReport(state, monthKey, ref);
  const month = state.months.get(monthKey);
  const units: UnitFigure[] = [];
  for (const [unitId, t] of month?.units ?? []) {
    if (t.orders === 0) continue;
    units.push({
      unit: unitId,
      name: ref.units.get(unitId)?.name ?? unitId,
      orders: t.orders,
      signRate: rate(t.signMet, t.orders),
      arriveRate: rate(t.arriveMet, t.arriveMet + t.arriveLate),
    });
  }
  units.sort((a, b) => (a.signRate ?? 101) + (a.arriveRate ?? 101) - ((b.signRate ?? 101) + (b.arriveRate ?? 101)) || b.orders - a.orders || (a.unit < b.unit ? -1 : 1));

  // The month tiles count every incident, as today's tiles do (report.ts centersAll).
  const all = centersAll(report.centers);
  return {
    kpi: {
      today,
      yesterdaySameTime,
      month: all.incidents,
      inProgress: all.incidents - all.closed,
      closedRate: all.closedRate,
      overdue: overdueItems.length,
      returnedMonth: all.returned,
      simulated: report.simulated,
    },
    hourly: { today: hourlyToday, yesterday: hourlyYesterday, week },
    districts: [...districts.values()],
    centers: report.centers,
    centersTotal: report.total,
    units: units.slice(0, UNIT_BOARD_SIZE),
    overdue: {
      total: overdueItems.length,
      items: overdueItems.slice(0, OVERDUE_LIST_SIZE),
      warnings: { total: warningItems.length, items: warningItems.slice(0, OVERDUE_LIST_SIZE) },
    },
    ticker,
    duty: extras.roster ? (dutyPeriodOn(extras.roster, todayKey) ?? null) : null,
    health: extras.storeDownSince ? { store: 'down', since: extras.storeDownSince } : { store: 'up', since: null },
  };
}

function warningItem(ref: ReferenceIndex, orderId: string, order: OrderFacts, incident: IncidentFacts | undefined, limit: LimitName, share: number): WarningItem {
  const d = order.dispatch!;
  return {
    order: orderId,
    incident: d.incident,
    unit: d.unit,
    unitType: ref.units.get(d.unit)?.type ?? d.unit.split('.').pop()!,
    center: incident?.report?.center ?? null,
    district: incident?.report?.district ?? null,
    limit,
    warnAt: warnAt(order, limit, share)!,
    dueAt: dueAt(order, limit)!,
    location: incident?.report?.location ?? null,
  };
}

/** The pending limits past their pre-warning share at `now`, soonest due first (the supervisor console's yellow list). */
export function prewarnedItems(state: ProjectionState, now: number, ref: ReferenceIndex): WarningItem[] {
  const shares = prewarnShares(ref.data);
  const out: WarningItem[] = [];
  for (const orderId of state.open) {
    const order = state.orders.get(orderId)!;
    if (order.dispatch!.t > now) continue;
    const incident = state.incidents.get(order.dispatch!.incident);
    for (const limit of LIMIT_NAMES) if (isPrewarned(order, incident, limit, now, shares[limit])) out.push(warningItem(ref, orderId, order, incident, limit, shares[limit]));
  }
  return out.sort(byDueThenId);
}

function byDueThenId(a: WarningItem, b: WarningItem): number {
  return a.dueAt - b.dueAt || (a.order < b.order ? -1 : a.order > b.order ? 1 : a.limit < b.limit ? -1 : 1);
}

function tickerItem(id: string, r: IncidentReport): TickerItem {
  return {
    incident: id,
    t: r.t,
    center: r.center,
    district: r.district ?? null,
    kind: r.kind,
    category: r.category,
    summary: r.summary ?? null,
    location: r.location ?? null,
  };
}

/** The sections whose content differs, compared by their JSON. */
export function changedSections(before: WallSections | undefined, after: WallSections): Partial<WallSections> {
  const changed: Partial<WallSections> = {};
  for (const name of SECTION_NAMES) {
    if (!before || JSON.stringify(before[name]) !== JSON.stringify(after[name])) {
      (changed as Record<string, unknown>)[name] = after[name];
    }
  }
  return changed;
}

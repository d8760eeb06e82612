import type { StoredEvent } from './events.js';
import { type MonthTally, type ProjectionState, type Tally, emptyState } from './projection.js';
import { qualityReport, type ConflictRecord, type QualityReport } from './quality.js';
import type { ReferenceIndex } from './reference.js';
import { drillReport, type DrillRow } from './report.js';
import { Zone } from './time.js';

// History: how a process that runs for years keeps a window instead of everything.
//
// - The log is partitioned by the event's day (its `at` in the report zone), so a read by time
//   costs what the window holds.
// - The live state holds the months that can still change the wall (the current one and the
//   previous one) and the incidents still open, whatever their month; everything else is evicted.
// - A month before that is *closed*: its reports come from a stored artifact, folded from the
//   month's settle span, the month before it to the end of the month after it. An incident's
//   events dated within that span count with it (a month's bulletin is settled when the next
//   month ends); one dated later changes the live wall, not that month's figures.
// - An event stored into a closed month makes the artifacts of the months whose span it falls
//   in stale (its own month, the one before, and the one after): they are folded again from
//   their spans, nothing else is.

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Every day key from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) days.push(d);
  return days;
}

/** The first month the live state keeps: the previous one of `now` in the report zone. */
export function firstLiveMonth(now: number, zone: Zone): string {
  return addMonths(zone.monthKey(now), -1);
}

/** Is `month` live at `now`? (else closed: read from its artifact) */
export function isLiveMonth(month: string, now: number, zone: Zone): boolean {
  return month >= firstLiveMonth(now, zone);
}

/**
 * The days whose events a month's artifact folds: the month before it to the end of the month
 * after it. Before: an order dispatched before its report, and an incident never reported
 * belonging to its earliest event's month, are told from fragments. After: late milestones.
 */
export function settleSpan(month: string): string[] {
  const first = `${addMonths(month, -1)}-01`;
  const last = Zone.previousDay(`${addMonths(month, 2)}-01`);
  return daysBetween(first, last);
}

/** The months whose stored writes a month's artifact depends on (their days hold its span). */
export function spanMonths(month: string): [string, string, string] {
  return [addMonths(month, -1), month, addMonths(month, 1)];
}

/** When the incident last did anything: its report, closing or any order event. */
function lastActivity(state: ProjectionState, incidentId: string): number {
  const incident = state.incidents.get(incidentId)!;
  let t = Math.max(incident.report?.t ?? -Infinity, incident.closedAt ?? -Infinity, incident.mark?.t ?? -Infinity);
  for (const id of incident.orders) {
    const o = state.orders.get(id)!;
    for (const x of [o.dispatch?.t, o.hint?.t, o.signedAt, o.arrivedAt, o.returned?.t, ...o.feedbacks.values()]) if (x !== undefined && x > t) t = x;
  }
  return t;
}

/**
 * Drops what the live state no longer needs at `now`: incidents reported before the live window
 * (or, never reported, last active before it) with no order still open, their orders, and the
 * month and day tallies before the window. `spare`: incidents not to drop yet (touched lately,
 * whose next events may still be on their way). Returns how many incidents went. The ids of applied
 * events go too: the log stores an id once, and folding an identical event again changes nothing.
 */
export function evictClosed(state: ProjectionState, now: number, zone: Zone, spare?: ReadonlySet<string>): number {
  const firstMonth = firstLiveMonth(now, zone);
  const firstDay = `${firstMonth}-01`;
  const windowStart = zone.startOfMonth(firstMonth);
  let removed = 0;
  for (const [id, incident] of state.incidents) {
    let open = false;
    for (const orderId of incident.orders) if (state.open.has(orderId)) open = true;
    if (open || spare?.has(id)) continue;
    const keep = incident.report ? incident.report.t >= windowStart : lastActivity(state, id) >= windowStart;
    if (keep) continue;
    for (const orderId of incident.orders) state.orders.delete(orderId);
    state.incidents.delete(id);
    state.drills.delete(id);
    removed++;
  }
  for (const key of state.months.keys()) if (key < firstMonth) state.months.delete(key);
  for (const key of state.days.keys()) if (key < firstDay) state.days.delete(key);
  state.seen.clear();
  return removed;
}

/**
 * The `now` to evict with while folding the day partitions in order at a start: two months
 * behind the day folded, so a late milestone (up to the settle span) still finds its incident.
 */
export function foldEvictionTime(day: string, now: number, zone: Zone): number {
  return Math.min(now, zone.startOfDay(day) - 62 * 86_400_000);
}

export type StoredTally = Array<[string, Tally]>;

/** A closed month's reports, folded once from its settle span and stored where every instance reads them. */
export interface MonthArtifact {
  month: string;
  centers: StoredTally;
  units: StoredTally;
  simulated: number;
  drills: DrillRow[];
  quality: QualityReport;
  /** Events folded (the span's). */
  events: number;
}

/** The artifact of `month` from a state folded over its settle span (and nothing before it). */
export function closeMonth(
  state: ProjectionState,
  month: string,
  ref: ReferenceIndex,
  zone: Zone,
  options: { now: number; conflicts?: readonly ConflictRecord[]; events: number },
): MonthArtifact {
  const tally = state.months.get(month);
  return {
    month,
    centers: tally ? [...tally.centers] : [],
    units: tally ? [...tally.units] : [],
    simulated: tally?.simulated ?? 0,
    drills: drillReport(state, month, ref, zone),
    quality: qualityReport(state, month, zone, { now: options.now, conflicts: options.conflicts }),
    events: options.events,
  };
}

/** A state holding only the artifact's month tallies: what monthlyReport and assessmentReport read. */
export function artifactState(artifact: MonthArtifact): ProjectionState {
  const state = emptyState();
  const tally: MonthTally = { centers: new Map(artifact.centers), units: new Map(artifact.units), simulated: artifact.simulated };
  if (tally.centers.size || tally.units.size) state.months.set(artifact.month, tally);
  return state;
}

/** The day an event is stored under: its own `at`'s, or for a mark, the marked incident's report day. */
export function partitionDay(event: StoredEvent, zone: Zone, reportT?: number): string {
  return zone.dayKey(event.type === 'incident.marked' && reportT !== undefined ? reportT : event.t);
}

/**
 * The first month kept in Redis with a retention of `months` (the current one counted): months
 * before it are archived. Never later than the live window's first month.
 */
export function retentionStart(now: number, zone: Zone, months: number): string {
  const kept = addMonths(zone.monthKey(now), -(Math.max(1, months) - 1));
  const live = firstLiveMonth(now, zone);
  return kept < live ? kept : live;
}

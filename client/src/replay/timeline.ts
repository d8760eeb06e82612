import { LIMIT_NAMES, dueAt, limitStatus, type LimitName, type LimitStatus, type ProjectionState } from '@wall/shared';
import { HOUR, MINUTE } from './params';

// The scrubber's data: incidents per hour across the range and the overdue alarms as marks,
// and the mapping between a position on it and a virtual time.

export function binCount(start: number, end: number): number {
  return Math.max(1, Math.ceil((end + 1 - start) / HOUR));
}

/** Incidents (not drills) reported per hour from `start`, read off the state at the end. */
export function incidentsPerHour(state: ProjectionState, start: number, end: number): number[] {
  const bins = new Array<number>(binCount(start, end)).fill(0);
  for (const incident of state.incidents.values()) {
    const r = incident.report;
    if (!r || r.drill || r.t < start || r.t > end) continue;
    bins[Math.floor((r.t - start) / HOUR)]!++;
  }
  return bins;
}

export interface OverdueMark {
  /** When the limit fell due (the alarm would have been raised). */
  t: number;
  order: string;
  limit: LimitName;
  status: LimitStatus;
}

const BAD: ReadonlySet<LimitStatus> = new Set(['late', 'missed', 'overdue']);

/**
 * Every limit whose status at `end` is late, missed or still overdue, marked at its due time
 * when that lies in the range; drills page nobody and get no mark. Sorted by time.
 */
export function overdueMarks(state: ProjectionState, start: number, end: number): OverdueMark[] {
  const marks: OverdueMark[] = [];
  for (const [orderId, order] of state.orders) {
    const d = order.dispatch;
    if (!d) continue;
    const incident = state.incidents.get(d.incident);
    if (incident?.report?.drill) continue;
    for (const limit of LIMIT_NAMES) {
      const due = dueAt(order, limit);
      if (due === undefined || due < start || due > end) continue;
      const status = limitStatus(order, incident, limit, end);
      if (status && BAD.has(status)) marks.push({ t: due, order: orderId, limit, status });
    }
  }
  return marks.sort((a, b) => a.t - b.t || (a.order < b.order ? -1 : a.order > b.order ? 1 : a.limit < b.limit ? -1 : 1));
}

/** Marks per pixel column of a scrubber `width` wide, for drawing. */
export function marksPerColumn(marks: readonly OverdueMark[], start: number, end: number, width: number): number[] {
  const cols = new Array<number>(Math.max(1, Math.round(width))).fill(0);
  for (const m of marks) cols[Math.min(cols.length - 1, Math.max(0, Math.floor(xAtTime(m.t, width, start, end))))]!++;
  return cols;
}

/** Position (0..width) of virtual time t. */
export function xAtTime(t: number, width: number, start: number, end: number): number {
  if (end <= start) return 0;
  return ((Math.min(end, Math.max(start, t)) - start) / (end - start)) * width;
}

/** Virtual time at position x, snapped to the minute and clamped to the range. */
export function timeAtX(x: number, width: number, start: number, end: number, snap = MINUTE): number {
  if (!(width > 0)) return start;
  const raw = start + (Math.min(width, Math.max(0, x)) / width) * (end - start);
  const snapped = start + Math.round((raw - start) / snap) * snap;
  return Math.min(end, Math.max(start, snapped));
}

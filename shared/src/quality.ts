import { firstFeedbackAt, type IncidentFacts, type OrderFacts, type ProjectionState } from './projection.js';
import { formatMinSec } from './report.js';
import type { Zone } from './time.js';

// The data-quality section the printed bulletin lacks: events that do not add up, so staff
// fix the source system before the month is published. The projection already keeps every
// fact (an order's sign-off without its dispatch, an incident closed but never reported);
// this reads them off without changing any count.

export const QUALITY_KINDS = ['orderWithoutDispatch', 'incidentWithoutOrder', 'missingReport', 'negativeDuration', 'conflictingDuplicate'] as const;
export type QualityKind = (typeof QUALITY_KINDS)[number];

export const QUALITY_LABELS: Record<QualityKind, string> = {
  orderWithoutDispatch: '有签收/到场/反馈/退单但无派单',
  incidentWithoutOrder: '警情无联动指令',
  missingReport: '指令或办结所属警情无接警记录',
  negativeDuration: '时间倒挂（早于派单或接警）',
  conflictingDuplicate: '重复编号但内容不同（以先收到的为准）',
};

/**
 * A re-sent event id whose content differed from the stored event (feed-contract.md: the
 * feed answer's `conflicts`). The stored event stands; this is what the sender sent instead.
 */
export interface ConflictRecord {
  id: string;
  type: string;
  incident: string;
  /** The `at` the conflicting copy carried. */
  at: string;
  /** When the server last received it (ISO). */
  receivedAt: string;
  /** How many times it came (the repository counts). */
  count?: number;
}

export interface QualityIssue {
  kind: QualityKind;
  incident: string;
  /** null for an issue of the incident itself. */
  order: string | null;
  unit: string | null;
  /** The earliest time the issue's events carry, ISO. */
  at: string;
  /** What is wrong, in the bulletin's language. */
  detail: string;
}

export interface QualityReport {
  month: string;
  counts: Record<QualityKind, number>;
  total: number;
  /** The first `limit` issues by time; `truncated` when there were more. */
  issues: QualityIssue[];
  truncated: boolean;
}

export interface QualityOptions {
  /** The present, for the grace period. */
  now: number;
  /**
   * Events may arrive in any order, so a missing dispatch, report or order is only a fault
   * once this long has passed since the events that point to it (default a day).
   */
  graceMs?: number;
  /** Longest list returned (the counts are complete). Default 200. */
  limit?: number;
  /** Conflicting duplicates the feed received; each belongs to its incident's month. */
  conflicts?: readonly ConflictRecord[];
}

export const QUALITY_GRACE_MS = 24 * 3600_000;
export const QUALITY_LIST_LIMIT = 200;

const MILESTONE_LABELS = { signed: '签收', arrived: '到场', feedback: '反馈', returned: '退单' } as const;

/** Earliest time any event of the order carries. */
function orderStart(order: OrderFacts): number | undefined {
  let t = order.dispatch?.t;
  const candidates = [order.hint?.t, order.signedAt, order.arrivedAt, firstFeedbackAt(order), order.returned?.t];
  for (const x of candidates) if (x !== undefined && (t === undefined || x < t)) t = x;
  return t;
}

/** Earliest time any event of the incident carries: its report, else its closing or orders. */
function incidentStart(state: ProjectionState, incident: IncidentFacts): number | undefined {
  if (incident.report) return incident.report.t;
  let t = incident.closedAt;
  for (const id of incident.orders) {
    const x = orderStart(state.orders.get(id)!);
    if (x !== undefined && (t === undefined || x < t)) t = x;
  }
  return t;
}

/** Milestones before the dispatch, as "签收早于派单 3分20秒". */
function earlyMilestones(order: OrderFacts): string[] {
  const d = order.dispatch!;
  const found: string[] = [];
  const check = (name: keyof typeof MILESTONE_LABELS, t: number | undefined) => {
    if (t !== undefined && t < d.t) found.push(`${MILESTONE_LABELS[name]}早于派单${formatMinSec((d.t - t) / 1000)}`);
  };
  check('signed', order.signedAt);
  check('arrived', order.arrivedAt);
  check('feedback', firstFeedbackAt(order));
  check('returned', order.returned?.t);
  return found;
}

/**
 * The month's inconsistent incidents and orders. An incident belongs to the month of its
 * report (as in the annexes); one never reported, to the month of its earliest event.
 * Drills are checked too: a drill's data is fixed in the same source system.
 */
export function qualityReport(state: ProjectionState, month: string, zone: Zone, options: QualityOptions): QualityReport {
  const grace = options.graceMs ?? QUALITY_GRACE_MS;
  const limit = options.limit ?? QUALITY_LIST_LIMIT;
  const settled = (t: number) => t <= options.now - grace;
  const issues: Array<QualityIssue & { t: number }> = [];
  const add = (kind: QualityKind, incident: string, order: OrderFacts | null, t: number, detail: string) =>
    issues.push({ kind, incident, order: order?.id ?? null, unit: order?.dispatch?.unit ?? null, at: new Date(t).toISOString(), t, detail });

  for (const incident of state.incidents.values()) {
    const start = incidentStart(state, incident);
    if (start === undefined || zone.monthKey(start) !== month) continue;
    const report = incident.report;

    if (report && incident.orders.size === 0 && settled(report.t)) {
      add('incidentWithoutOrder', incident.id, null, report.t, '接警后没有向任何联动单位派单');
    }
    if (report && incident.closedAt !== undefined && incident.closedAt < report.t) {
      add('negativeDuration', incident.id, null, incident.closedAt, `办结早于接警${formatMinSec((report.t - incident.closedAt) / 1000)}`);
    }
    if (!report && incident.orders.size === 0 && incident.closedAt !== undefined && settled(incident.closedAt)) {
      add('missingReport', incident.id, null, incident.closedAt, '有办结记录但无接警记录');
    }

    for (const id of incident.orders) {
      const order = state.orders.get(id)!;
      const t = orderStart(order)!;
      if (!order.dispatch) {
        if (settled(t)) {
          const seen: string[] = [];
          if (order.signedAt !== undefined) seen.push(MILESTONE_LABELS.signed);
          if (order.arrivedAt !== undefined) seen.push(MILESTONE_LABELS.arrived);
          if (order.feedbacks.size > 0) seen.push(MILESTONE_LABELS.feedback);
          if (order.returned) seen.push(MILESTONE_LABELS.returned);
          add('orderWithoutDispatch', incident.id, order, t, `有${seen.join('、')}记录但无派单记录`);
        }
        continue;
      }
      if (!report && settled(t)) add('missingReport', incident.id, order, t, '指令所属警情无接警记录');
      const early = earlyMilestones(order);
      if (report && order.dispatch.t < report.t) early.unshift(`派单早于接警${formatMinSec((report.t - order.dispatch.t) / 1000)}`);
      if (early.length) add('negativeDuration', incident.id, order, t, early.join('；'));
    }
  }

  for (const c of options.conflicts ?? []) {
    const stored = state.incidents.get(c.incident);
    const t = (stored && incidentStart(state, stored)) ?? Date.parse(c.at);
    if (zone.monthKey(t) !== month) continue;
    const times = c.count && c.count > 1 ? `（共收到${c.count}次）` : '';
    issues.push({
      kind: 'conflictingDuplicate',
      incident: c.incident,
      order: null,
      unit: null,
      at: new Date(t).toISOString(),
      t,
      detail: `事件${c.id}（${c.type}）重复发送且内容不同，重发时间${c.at}${times}；已保留先收到的记录，请核对发送系统`,
    });
  }

  const counts = Object.fromEntries(QUALITY_KINDS.map((k) => [k, 0])) as Record<QualityKind, number>;
  for (const issue of issues) counts[issue.kind]++;
  issues.sort((a, b) => a.t - b.t || a.incident.localeCompare(b.incident) || (a.order ?? '').localeCompare(b.order ?? '') || a.kind.localeCompare(b.kind));
  return {
    month,
    counts,
    total: issues.length,
    issues: issues.slice(0, limit).map(({ t: _t, ...issue }) => issue),
    truncated: issues.length > limit,
  };
}

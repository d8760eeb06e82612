import type { Alarm, AlarmChange } from '@wall/shared';

// The supervisor's open alarms, kept from the socket: `alarms` (a full list on connect and after
// a resync) replaces everything; `alarm` changes are applied one by one. Pure: every function
// returns a new Map so a Vue shallowRef can hold it.

export type OpenAlarms = ReadonlyMap<string, Alarm>;

export const EMPTY: OpenAlarms = new Map();

/** Acknowledgement and escalation only move forward; a stale copy must not undo them. */
function merge(old: Alarm | undefined, incoming: Alarm): Alarm {
  if (!old) return incoming;
  const acked = incoming.acknowledgedBy !== null ? incoming : old.acknowledgedBy !== null ? old : incoming;
  return {
    ...incoming,
    acknowledgedBy: acked.acknowledgedBy,
    acknowledgedAt: acked.acknowledgedAt,
    note: acked.note,
    level: Math.max(old.level, incoming.level),
    recipients: incoming.level >= old.level ? incoming.recipients : old.recipients,
    route: incoming.level >= old.level ? incoming.route : old.route,
  };
}

/** The open alarms of a full list (resolved ones, if any slipped in, are left out). */
export function fromSnapshot(alarms: Alarm[]): OpenAlarms {
  const next = new Map<string, Alarm>();
  for (const a of alarms) if (a.resolvedAt === null) next.set(a.id, a);
  return next;
}

/** Applies one change: a resolved alarm leaves the list; anything else adds or updates it. */
export function applyChange(open: OpenAlarms, change: AlarmChange): OpenAlarms {
  const a = change.alarm;
  const next = new Map(open);
  if (change.kind === 'resolved' || a.resolvedAt !== null) {
    if (!next.delete(a.id)) return open;
    return next;
  }
  next.set(a.id, merge(open.get(a.id), a));
  return next;
}

/** An alarm we changed ourselves (the answer of POST /ack), applied like a change. */
export function applyAlarm(open: OpenAlarms, alarm: Alarm): OpenAlarms {
  if (!open.has(alarm.id)) return open;
  return applyChange(open, { kind: 'acknowledged', alarm });
}

/** Not yet acknowledged first, then the most overdue (earliest due) first. */
export function sortedAlarms(open: OpenAlarms): Alarm[] {
  return [...open.values()].sort((a, b) => {
    const acked = Number(a.acknowledgedBy !== null) - Number(b.acknowledgedBy !== null);
    if (acked !== 0) return acked;
    return a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id);
  });
}

/** Alarms of a fresh list that were not known before and are addressed to `user`, unacknowledged. */
export function newlyAddressed(before: OpenAlarms, after: OpenAlarms, user: string | null): Alarm[] {
  if (!user) return [];
  return [...after.values()].filter((a) => !before.has(a.id) && a.acknowledgedBy === null && a.recipients.includes(user));
}

import type { Alarm } from '@wall/shared';

// Flood control for the popup: alarms of one unit that arrive within `windowMs` of the first
// alarm of its popup join that popup (shown as one, with a count) instead of opening another.
// The same rule as groupPopups in @wall/shared, applied one arrival at a time, with popups
// leaving the queue when they are acknowledged.

export const POPUP_WINDOW_MS = 30_000;

export interface PopupGroup {
  key: string;
  unit: string;
  /** Arrival time of the group's first alarm (client clock, ms). */
  first: number;
  alarms: Alarm[];
}

/** Adds an arriving alarm: into its unit's group while within the window, else a new group at the end. */
export function addPopup(groups: readonly PopupGroup[], alarm: Alarm, at: number, windowMs = POPUP_WINDOW_MS): PopupGroup[] {
  const known = groups.findIndex((g) => g.alarms.some((a) => a.id === alarm.id));
  if (known >= 0) return updatePopupAlarm(groups, alarm);
  // The latest group of this unit (groups are in arrival order).
  let index = -1;
  for (let i = groups.length - 1; i >= 0; i--) {
    if (groups[i]!.unit === alarm.unit) {
      index = i;
      break;
    }
  }
  const group = index >= 0 ? groups[index]! : undefined;
  if (group && at - group.first <= windowMs) {
    const next = [...groups];
    next[index] = { ...group, alarms: [...group.alarms, alarm] };
    return next;
  }
  return [...groups, { key: `${alarm.unit}@${at}`, unit: alarm.unit, first: at, alarms: [alarm] }];
}

/** A newer copy of an alarm already in a popup (escalated, acknowledged elsewhere). */
export function updatePopupAlarm(groups: readonly PopupGroup[], alarm: Alarm): PopupGroup[] {
  return groups.map((g) => (g.alarms.some((a) => a.id === alarm.id) ? { ...g, alarms: g.alarms.map((a) => (a.id === alarm.id ? alarm : a)) } : g));
}

/** Removes alarms (acknowledged or resolved) from the popups; an emptied popup closes. */
export function dropPopupAlarms(groups: readonly PopupGroup[], ids: ReadonlySet<string> | string[]): PopupGroup[] {
  const gone = ids instanceof Set ? ids : new Set(ids as string[]);
  if (gone.size === 0) return [...groups];
  return groups.map((g) => (g.alarms.some((a) => gone.has(a.id)) ? { ...g, alarms: g.alarms.filter((a) => !gone.has(a.id)) } : g)).filter((g) => g.alarms.length > 0);
}

/** The words of a popup: "温州电力局 · 3 条逾期" or the single alarm's limit. */
export function popupTitle(group: PopupGroup, unitName: (id: string) => string, limitName: (l: string) => string): string {
  const unit = unitName(group.unit);
  if (group.alarms.length === 1) return `${unit} ${limitName(group.alarms[0]!.limit)}逾期`;
  return `${unit} ${group.alarms.length} 条逾期`;
}

import { z } from 'zod';
import type { Zone } from './time.js';

// The duty roster (值班表) with its holiday calendar, all in the report zone. Pure: the server
// stores it in Redis and asks it who is on duty at an instant; the wall asks whether a duty
// period (节日值守) is on.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

export const dutyPeriodSchema = z.strictObject({ name: z.string().min(1).max(40), from: day, to: day });

export const shiftSchema = z.strictObject({
  user: z.string().min(1).max(64),
  /** supervisor: first to get a popup; leader: gets it when not acknowledged in time. */
  level: z.enum(['supervisor', 'leader']),
  /** all; workday; restday (weekends and holidays); duty (named duty periods only). */
  days: z.enum(['all', 'workday', 'restday', 'duty']).default('all'),
  /** A shift may run past midnight (20:00-08:00); it belongs to the day it starts. */
  start: clock.default('00:00'),
  end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM (24:00 for midnight)').default('24:00'),
  centers: z.array(z.string().min(1)).max(50).optional(),
});

export const rosterSchema = z.strictObject({
  shifts: z.array(shiftSchema).max(500).default([]),
  dutyPeriods: z.array(dutyPeriodSchema).max(100).default([]),
  /** Extra days off (public holidays outside a duty period). */
  offDays: z.array(day).max(400).default([]),
  /** Make-up workdays (调休): weekend days that are worked. */
  makeUpWorkdays: z.array(day).max(100).default([]),
  /** Who gets an alarm nobody on the roster covers: a center's duty officer, by center id, or '*' for all. */
  fallback: z.record(z.string(), z.string().min(1)).default({}),
  ackTimeoutMinutes: z.number().positive().max(24 * 60).default(5),
  /** Escalate faster during a duty period, when set. */
  dutyAckTimeoutMinutes: z.number().positive().max(24 * 60).optional(),
});

export type Shift = z.infer<typeof shiftSchema>;
export type Roster = z.infer<typeof rosterSchema>;
export type DutyPeriod = z.infer<typeof dutyPeriodSchema>;

/** National holidays as duty periods, until an admin keeps the roster's own list. */
export const DEFAULT_DUTY_PERIODS: DutyPeriod[] = [
  { name: '国庆·中秋', from: '2020-10-01', to: '2020-10-08' },
  { name: '元旦', from: '2021-01-01', to: '2021-01-03' },
  { name: '春节', from: '2021-02-11', to: '2021-02-17' },
  { name: '劳动节', from: '2021-05-01', to: '2021-05-05' },
  { name: '国庆', from: '2021-10-01', to: '2021-10-07' },
  { name: '春节', from: '2024-02-10', to: '2024-02-17' },
  { name: '国庆', from: '2024-10-01', to: '2024-10-07' },
  { name: '春节', from: '2025-01-28', to: '2025-02-04' },
  { name: '劳动节', from: '2025-05-01', to: '2025-05-05' },
  { name: '国庆·中秋', from: '2025-10-01', to: '2025-10-08' },
  { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
  { name: '春节', from: '2026-02-15', to: '2026-02-23' },
  { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
  { name: '国庆', from: '2026-10-01', to: '2026-10-07' },
];

/**
 * Until an admin sets a roster, every alarm goes to `admin` (the user created at first start),
 * so a fresh install pages someone instead of nobody.
 */
export const DEFAULT_ROSTER: Roster = rosterSchema.parse({
  dutyPeriods: DEFAULT_DUTY_PERIODS,
  makeUpWorkdays: ['2020-09-27', '2020-10-10'],
  fallback: { '*': 'admin' },
});

export type DayKind = 'workday' | 'restday';

export function dutyPeriodOn(roster: Roster, dayKey: string): DutyPeriod | undefined {
  return roster.dutyPeriods.find((p) => p.from <= dayKey && dayKey <= p.to);
}

export function dayKind(roster: Roster, dayKey: string): DayKind {
  if (roster.makeUpWorkdays.includes(dayKey)) return 'workday';
  if (dutyPeriodOn(roster, dayKey) || roster.offDays.includes(dayKey)) return 'restday';
  const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday === 0 || weekday === 6 ? 'restday' : 'workday';
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function shiftOnDay(roster: Roster, shift: Shift, dayKey: string): boolean {
  if (shift.days === 'all') return true;
  if (shift.days === 'duty') return dutyPeriodOn(roster, dayKey) !== undefined;
  return dayKind(roster, dayKey) === shift.days;
}

function previousDay(dayKey: string): string {
  const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** The shifts running at instant t, including a night shift that started the day before. */
export function shiftsOnDuty(roster: Roster, t: number, zone: Zone): Shift[] {
  const today = zone.dayKey(t);
  const now = zone.minuteOfDay(t);
  const yesterday = previousDay(today);
  return roster.shifts.filter((shift) => {
    const start = minutes(shift.start);
    const end = minutes(shift.end);
    if (start < end) return shiftOnDay(roster, shift, today) && start <= now && now < end;
    // Overnight: the evening part today, or the morning part of yesterday's shift.
    return (shiftOnDay(roster, shift, today) && now >= start) || (shiftOnDay(roster, shift, yesterday) && now < end);
  });
}

export interface Scope {
  centers?: string[];
  unitTypes?: string[];
}

/** An empty or missing list means "all". */
export function scopeCovers(scope: Scope | undefined, alarm: { center: string | null; unitType: string }): boolean {
  if (scope?.centers?.length && (alarm.center === null || !scope.centers.includes(alarm.center))) return false;
  if (scope?.unitTypes?.length && !scope.unitTypes.includes(alarm.unitType)) return false;
  return true;
}

export function ackTimeoutMs(roster: Roster, t: number, zone: Zone): number {
  const duty = dutyPeriodOn(roster, zone.dayKey(t));
  return (duty && roster.dutyAckTimeoutMinutes ? roster.dutyAckTimeoutMinutes : roster.ackTimeoutMinutes) * 60_000;
}

/**
 * Who gets an alarm at escalation `level` (0: supervisors, 1+: leaders): the users on duty at
 * that level whose shift and own scope cover it; with nobody, the center's fallback officer.
 */
export function recipientsFor(
  roster: Roster,
  alarm: { center: string | null; unitType: string },
  level: number,
  t: number,
  zone: Zone,
  scopeOf: (user: string) => Scope | undefined,
): string[] {
  const wanted = level === 0 ? 'supervisor' : 'leader';
  const users = new Set<string>();
  for (const shift of shiftsOnDuty(roster, t, zone)) {
    if (shift.level !== wanted) continue;
    if (shift.centers?.length && (alarm.center === null || !shift.centers.includes(alarm.center))) continue;
    if (!scopeCovers(scopeOf(shift.user), alarm)) continue;
    users.add(shift.user);
  }
  if (users.size === 0) {
    const fallback = (alarm.center && roster.fallback[alarm.center]) ?? roster.fallback['*'];
    if (fallback) users.add(fallback);
  }
  return [...users].sort();
}

/** Flood control: alarms of one unit within `windowMs` of the group's first become one popup. */
export interface PopupGroup<A> {
  key: string;
  first: number;
  alarms: A[];
}

export function groupPopups<A extends { unit: string; raisedAt: number }>(alarms: A[], windowMs: number): PopupGroup<A>[] {
  const groups: PopupGroup<A>[] = [];
  const open = new Map<string, PopupGroup<A>>();
  for (const alarm of [...alarms].sort((a, b) => a.raisedAt - b.raisedAt)) {
    const group = open.get(alarm.unit);
    if (group && alarm.raisedAt - group.first <= windowMs) {
      group.alarms.push(alarm);
      continue;
    }
    const fresh = { key: alarm.unit, first: alarm.raisedAt, alarms: [alarm] };
    open.set(alarm.unit, fresh);
    groups.push(fresh);
  }
  return groups;
}

import { rungAt, shiftsOnDuty, type Roster, type Scope, type Shift } from './roster.js';
import type { Zone } from './time.js';

// Who gets an overdue alarm (值班呼叫). Pure: the server loads the roster and the users and
// asks; nothing here reads Redis or a clock.

/** What paging needs to know of a user account (a subset of the stored user). */
export interface PagingUser {
  username: string;
  role: string;
  scope?: Scope;
  /** A disabled account cannot log in, so it cannot take an alarm. */
  disabled?: boolean;
}

export type UserDirectory = ReadonlyMap<string, PagingUser>;

export interface AlarmTarget {
  center: string | null;
  unitType: string;
}

/**
 * How the recipients were found: `duty`, the roster's shifts at the alarm's level; `fallback`,
 * the center's (or `'*'`) fallback officer; `leaders`, the leaders on duty when there is no
 * usable fallback officer; `kept`, an escalation that found nobody new leaves the alarm with
 * those who had it; `none`: nobody (无人接收).
 */
export type PageRoute = 'duty' | 'fallback' | 'leaders' | 'kept' | 'none';

export interface PageDecision {
  recipients: string[];
  route: PageRoute;
}

/** An empty or missing list means "all". */
export function scopeCovers(scope: Scope | undefined, alarm: AlarmTarget): boolean {
  if (scope?.centers?.length && (alarm.center === null || !scope.centers.includes(alarm.center))) return false;
  if (scope?.unitTypes?.length && !scope.unitTypes.includes(alarm.unitType)) return false;
  return true;
}

/** A user who can open this alarm: an enabled admin, or an enabled supervisor whose scope covers it. */
export function canSeeAlarm(user: PagingUser | undefined, alarm: AlarmTarget): boolean {
  if (!user || user.disabled) return false;
  if (user.role === 'admin') return true;
  return user.role === 'supervisor' && scopeCovers(user.scope, alarm);
}

export function shiftCovers(shift: Shift, alarm: AlarmTarget): boolean {
  return !shift.centers?.length || (alarm.center !== null && shift.centers.includes(alarm.center));
}

/** The users on duty at instant t on `rung` whose shift and own scope both cover the alarm. */
export function onDutyFor(roster: Roster, users: UserDirectory, alarm: AlarmTarget, rung: Shift['level'], t: number, zone: Zone): string[] {
  const out = new Set<string>();
  for (const shift of shiftsOnDuty(roster, t, zone)) {
    if (shift.level !== rung || !shiftCovers(shift, alarm)) continue;
    if (canSeeAlarm(users.get(shift.user), alarm)) out.add(shift.user);
  }
  return [...out].sort();
}

/** The center's fallback officer, else the `'*'` one, whichever first is a user who can see the alarm. */
export function fallbackOfficer(roster: Roster, users: UserDirectory, alarm: AlarmTarget): string | undefined {
  const candidates = [alarm.center === null ? undefined : roster.fallback[alarm.center], roster.fallback['*']];
  return candidates.find((name): name is string => name !== undefined && canSeeAlarm(users.get(name), alarm));
}

/**
 * The recipients of an alarm at escalation `level` at instant t.
 * - Level 0: the on-duty supervisors (the ladder's first rung) whose shift and scope cover it;
 *   else the fallback officer; else the leaders (its second rung) on duty; else nobody.
 * - Later levels: those on duty at that rung of the ladder (its top one past its end) who
 *   cover it; else the fallback officer; else those of
 *   `previous` who can still see it (an escalation never takes an alarm away); else nobody.
 */
export function recipientsFor(roster: Roster, users: UserDirectory, alarm: AlarmTarget, level: number, t: number, zone: Zone, previous: readonly string[] = []): PageDecision {
  const duty = onDutyFor(roster, users, alarm, rungAt(roster, level).level, t, zone);
  if (duty.length) return { recipients: duty, route: 'duty' };
  const fallback = fallbackOfficer(roster, users, alarm);
  if (fallback) return { recipients: [fallback], route: 'fallback' };
  if (level === 0) {
    const leaders = onDutyFor(roster, users, alarm, rungAt(roster, 1).level, t, zone);
    if (leaders.length) return { recipients: leaders, route: 'leaders' };
  } else {
    const kept = previous.filter((name) => canSeeAlarm(users.get(name), alarm));
    if (kept.length) return { recipients: [...kept].sort(), route: 'kept' };
  }
  return { recipients: [], route: 'none' };
}

/** An open alarm nobody can take (无人接收): not resolved, not acknowledged, no recipient. */
export function isUnreached(alarm: { recipients: readonly string[]; resolvedAt: string | null; acknowledgedBy: string | null }): boolean {
  return alarm.resolvedAt === null && alarm.acknowledgedBy === null && alarm.recipients.length === 0;
}

/** Directory of users by name, from a list. */
export function userDirectory(users: Iterable<PagingUser>): UserDirectory {
  return new Map([...users].map((u) => [u.username, u]));
}

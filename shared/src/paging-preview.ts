import { z } from 'zod';
import { recipientsFor, type AlarmTarget, type PageRoute, type UserDirectory } from './paging.js';
import { ackTimeoutMs, dayKind, dutyPeriodOn, rungAt, type Roster } from './roster.js';
import { statutoryDay } from './calendar.js';
import type { Zone } from './time.js';

// "If an alarm fired now" (值班表 page): who the paging rules would page at each rung of the
// ladder, and when, for an alarm raised at one instant. Only composes what routes real alarms
// (recipientsFor, ackTimeoutMs): the server's escalation job takes the same steps, each rung
// decided at the instant it fires, with those paged before kept when nobody new is found.

export const pagingPreviewQuery = z.strictObject({
  center: z.string().min(1, 'is required').max(64),
  unit: z.string().min(1, 'is required').max(64),
  /** ISO instant; now when left out. */
  at: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }).optional(),
});

export interface PagingStep {
  level: number;
  /** The rung's label (督导员, 值班领导 …), else its level name. */
  rung: string;
  /** When this rung is paged (ISO). */
  at: string;
  recipients: string[];
  route: PageRoute;
  /** How long it has to acknowledge before the next rung is paged. */
  ackMinutes: number;
}

export interface PagingPreview {
  center: string;
  unit: string;
  at: string;
  steps: PagingStep[];
}

/** The steps of levels 0..topLevel for an alarm raised at t (the server pages to max(its minimum, the ladder's top)). */
export function pagingSteps(roster: Roster, users: UserDirectory, alarm: AlarmTarget, t: number, zone: Zone, topLevel: number): PagingStep[] {
  const steps: PagingStep[] = [];
  let at = t;
  let previous: string[] = [];
  for (let level = 0; level <= topLevel; level++) {
    const decision = recipientsFor(roster, users, alarm, level, at, zone, previous);
    const timeout = ackTimeoutMs(roster, at, zone, level);
    const rung = rungAt(roster, level);
    steps.push({ level, rung: rung.label ?? rung.level, at: new Date(at).toISOString(), recipients: decision.recipients, route: decision.route, ackMinutes: timeout / 60_000 });
    previous = decision.recipients;
    at += timeout;
  }
  return steps;
}

/** What the roster calendar marks on a day: statutory holiday or 调休, the roster's duty period, day off or make-up day. */
export interface RosterDayMarks {
  kind: 'workday' | 'restday';
  holiday: string | null;
  /** A statutory make-up workday (调休上班) or one of the roster's own. */
  makeUp: boolean;
  duty: string | null;
  offDay: boolean;
}

export function rosterDayMarks(roster: Roster, dayKey: string): RosterDayMarks {
  const statutory = statutoryDay(dayKey);
  const weekday = new Date(`${dayKey}T12:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  return {
    kind: dayKind(roster, dayKey),
    holiday: statutory.holiday,
    makeUp: roster.makeUpWorkdays.includes(dayKey) || (weekend && statutory.work),
    duty: dutyPeriodOn(roster, dayKey)?.name ?? null,
    offDay: roster.offDays.includes(dayKey),
  };
}

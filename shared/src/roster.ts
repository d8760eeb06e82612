import { z } from 'zod';
import { calendarDay, coveredUntil, statutoryHoliday } from './calendar.js';
import { calendarDaySchema, yearKeySchema } from './holiday-year.js';
import type { Zone } from './time.js';

// The duty roster (值班表) with its holiday calendar, all in the report zone. Pure: the server
// stores it in Redis and asks it who is on duty at an instant; the wall asks whether a duty
// period (节日值守) is on.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

export const dutyPeriodSchema = z.strictObject({ name: z.string().min(1).max(40), from: day, to: day });

export const shiftSchema = z.strictObject({
  user: z.string().min(1).max(64),
  /**
   * The rung of the escalation ladder this shift takes: supervisor (first to get a popup),
   * leader (gets it when not acknowledged in time), or any rung the roster's `ladder` names.
   */
  level: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a ladder level: supervisor, leader, or one named in ladder'),
  /** all; workday; restday (weekends and holidays); duty (named duty periods only). */
  days: z.enum(['all', 'workday', 'restday', 'duty']).default('all'),
  /** A shift may run past midnight (20:00-08:00); it belongs to the day it starts. */
  start: clock.default('00:00'),
  end: z
    .string()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM (24:00 for midnight)')
    .default('24:00'),
  centers: z.array(z.string().min(1)).max(50).optional(),
});

export const webhookSchema = z.strictObject({
  /** dingtalk: DingTalk's / 浙政钉's custom robot; wecom: WeCom's group robot; json: the alarm as plain JSON. */
  kind: z.enum(['dingtalk', 'wecom', 'json']),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000),
  /** DingTalk's 加签 secret (SEC...). Never returned by GET /api/roster; a PUT without it keeps the stored one for the same user and URL. */
  secret: z.string().min(1).max(200).optional(),
  /** Output only (GET /api/roster): a secret is set. Accepted and ignored on input, so a GET can be PUT back. */
  hasSecret: z.boolean().optional(),
});

export const contactSchema = z.strictObject({ webhooks: z.array(webhookSchema).max(10).default([]) });

const minutesLimit = z
  .number()
  .positive()
  .max(24 * 60);

/** One rung of the escalation ladder (升级阶梯): who is paged at that level, and how long they have to acknowledge. */
export const ladderRungSchema = z.strictObject({
  level: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be 1-32 lowercase letters, digits, _ or -'),
  /** Shown on consoles, e.g. 中心主任. */
  label: z.string().min(1).max(20).optional(),
  /** How long this rung has before the next one is paged; the roster's ackTimeoutMinutes when unset. */
  ackTimeoutMinutes: minutesLimit.optional(),
  /** The same during a duty period; the roster's dutyAckTimeoutMinutes, then this rung's ackTimeoutMinutes, when unset. */
  dutyAckTimeoutMinutes: minutesLimit.optional(),
});

export type LadderRung = z.infer<typeof ladderRungSchema>;

/** Today's two rungs, the ladder of a roster that names none. */
export const DEFAULT_LADDER: LadderRung[] = [
  { level: 'supervisor', label: '督导员' },
  { level: 'leader', label: '值班领导' },
];

const rosterObject = z.strictObject({
  shifts: z.array(shiftSchema).max(500).default([]),
  dutyPeriods: z.array(dutyPeriodSchema).max(100).default([]),
  /** Extra days off (public holidays outside a duty period). */
  offDays: z.array(day).max(400).default([]),
  /** Make-up workdays (调休): weekend days that are worked. */
  makeUpWorkdays: z.array(day).max(100).default([]),
  /** Who gets an alarm nobody on the roster covers: a center's duty officer, by center id, or '*' for all. */
  fallback: z.record(z.string(), z.string().min(1)).default({}),
  ackTimeoutMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(5),
  /** Escalate faster during a duty period, when set. */
  dutyAckTimeoutMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .optional(),
  /** Work notifications beyond the browser, by username: every popup also goes to these. */
  contacts: z.record(z.string().min(1).max(64), contactSchema).default({}),
  /**
   * Years of statutory days entered from the State Council's notice (notice import), by year;
   * used only where chinese-days has no data for that year. PUT /api/roster without it keeps
   * the stored ones: the notice import is their only writer.
   */
  holidays: z.record(yearKeySchema, z.array(calendarDaySchema).max(80)).default({}),
  /** The escalation ladder, first rung first (e.g. supervisor -> leader -> director 中心主任); supervisor -> leader when unset. */
  ladder: z.array(ladderRungSchema).min(2).max(6).optional(),
});

export const rosterSchema = rosterObject.superRefine((roster, ctx) => {
  const ladder = roster.ladder ?? DEFAULT_LADDER;
  const levels = new Set(ladder.map((r) => r.level));
  if (levels.size !== ladder.length) ctx.addIssue({ code: 'custom', path: ['ladder'], message: 'each level may appear once' });
  roster.shifts.forEach((shift, i) => {
    if (!levels.has(shift.level)) ctx.addIssue({ code: 'custom', path: ['shifts', i, 'level'], message: `must be one of the ladder's levels: ${[...levels].join(', ')}` });
  });
});

export type Webhook = z.infer<typeof webhookSchema>;

/** The roster as GET /api/roster shows it: webhook secrets replaced by whether one is set. */
export function redactRoster(roster: Roster): Roster {
  const contacts: Roster['contacts'] = {};
  for (const [user, c] of Object.entries(roster.contacts)) {
    contacts[user] = { webhooks: c.webhooks.map(({ secret, ...w }) => ({ ...w, ...(secret ? { hasSecret: true } : {}) }) as Webhook) };
  }
  return { ...roster, contacts };
}

/** A PUT that leaves a webhook's secret out keeps the stored one of the same user, kind and URL. */
export function keepSecrets(next: Roster, stored: Roster): Roster {
  const contacts: Roster['contacts'] = {};
  for (const [user, c] of Object.entries(next.contacts)) {
    const before = stored.contacts[user]?.webhooks ?? [];
    contacts[user] = {
      webhooks: c.webhooks.map(({ hasSecret: _shown, ...w }) => {
        if (w.secret !== undefined) return w;
        const old = before.find((b) => b.kind === w.kind && b.url === w.url && b.secret);
        return old ? { ...w, secret: old.secret } : w;
      }),
    };
  }
  return { ...next, contacts };
}

export type Shift = z.infer<typeof shiftSchema>;
export type Roster = z.infer<typeof rosterSchema>;
export type DutyPeriod = z.infer<typeof dutyPeriodSchema>;

/**
 * No days of its own: the State Council's holidays and make-up workdays come from the
 * calendar (calendar.ts); an admin's dutyPeriods, offDays and makeUpWorkdays go on top.
 * Until an admin sets a roster, every alarm goes to `admin` (the user created at first start),
 * so a fresh install pages someone instead of nobody.
 */
export const DEFAULT_ROSTER: Roster = rosterSchema.parse({ fallback: { '*': 'admin' } });

export type DayKind = 'workday' | 'restday';

/**
 * The duty period (节日值守) on a day: the roster's own, else the statutory holiday it falls in
 * (unless the roster makes that day a workday).
 */
export function dutyPeriodOn(roster: Roster, dayKey: string): DutyPeriod | undefined {
  const own = roster.dutyPeriods.find((p) => p.from <= dayKey && dayKey <= p.to);
  if (own || roster.makeUpWorkdays.includes(dayKey)) return own;
  return statutoryHoliday(dayKey, roster.holidays);
}

/** The roster's make-up workdays and days off first, then its duty periods, then the State Council's calendar. */
export function dayKind(roster: Roster, dayKey: string): DayKind {
  if (roster.makeUpWorkdays.includes(dayKey)) return 'workday';
  if (roster.offDays.includes(dayKey) || roster.dutyPeriods.some((p) => p.from <= dayKey && dayKey <= p.to)) return 'restday';
  return calendarDay(dayKey, roster.holidays).work ? 'workday' : 'restday';
}

/**
 * An alarm routed at instant t is routed blind when its day lies past the statutory data
 * (next year's notice not imported): workday/restday shifts then take holidays for ordinary days.
 */
export function routesBlind(roster: Roster, t: number, zone: Zone): boolean {
  return zone.dayKey(t) > coveredUntil(roster.holidays);
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

export function ladderOf(roster: Roster): LadderRung[] {
  return roster.ladder ?? DEFAULT_LADDER;
}

/** The rung escalation `level` pages: the ladder's, its top one for every level past its end. */
export function rungAt(roster: Roster, level: number): LadderRung {
  const ladder = ladderOf(roster);
  return ladder[Math.min(Math.max(0, level), ladder.length - 1)]!;
}

/** How long the people paged at `level` have to acknowledge before the next level is paged; shorter in a duty period when set. */
export function ackTimeoutMs(roster: Roster, t: number, zone: Zone, level = 0): number {
  const rung = rungAt(roster, level);
  const duty = dutyPeriodOn(roster, zone.dayKey(t)) !== undefined;
  const minutes = duty
    ? (rung.dutyAckTimeoutMinutes ?? roster.dutyAckTimeoutMinutes ?? rung.ackTimeoutMinutes ?? roster.ackTimeoutMinutes)
    : (rung.ackTimeoutMinutes ?? roster.ackTimeoutMinutes);
  return minutes * 60_000;
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

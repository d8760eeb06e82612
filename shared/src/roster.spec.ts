import { beforeEach, describe, expect, it } from 'vitest';
import {
  ackTimeoutMs,
  contactSchema,
  DEFAULT_LADDER,
  DEFAULT_ROSTER,
  dayKind,
  dutyPeriodOn,
  dutyPeriodSchema,
  groupPopups,
  keepSecrets,
  ladderOf,
  ladderRungSchema,
  redactRoster,
  rosterSchema,
  routesBlind,
  rungAt,
  shiftSchema,
  shiftsOnDuty,
  webhookSchema,
  type Roster,
} from './roster.js';
import { Zone } from './time.js';
import { NATIONAL_DAY_2020_ROSTER } from './roster.fixture.js';

const ZONE = new Zone('Asia/Shanghai');
/** A Shanghai wall-clock time as an instant. */
const at = (local: string) => Date.parse(`${local}+08:00`);

// National Day + Mid-Autumn 2020 (roster.fixture.ts), with its acknowledgement timeouts.
// Parsed before each test, not while the file is collected: a schema that throws then fails
// the tests instead of the file (a file that fails with no test counts as a survivor).
let roster: Roster;
beforeEach(() => {
  roster = rosterSchema.parse({
    ...NATIONAL_DAY_2020_ROSTER,
    ackTimeoutMinutes: 5,
    dutyAckTimeoutMinutes: 2,
  });
});

describe('the duty calendar', () => {
  it('knows workdays, weekends, duty days and make-up workdays', () => {
    expect(dayKind(roster, '2020-09-29')).toBe('workday'); // Tuesday
    expect(dayKind(roster, '2020-09-26')).toBe('restday'); // Saturday
    expect(dayKind(roster, '2020-09-27')).toBe('workday'); // Sunday, made up
    expect(dayKind(roster, '2020-10-05')).toBe('restday'); // Monday in the duty period
    expect(dayKind(roster, '2020-10-10')).toBe('workday'); // Saturday, made up
  });
});

describe('acknowledgement timeouts', () => {
  it('acknowledgement is expected sooner during a duty period', () => {
    expect(ackTimeoutMs(roster, at('2020-09-29T10:00:00'), ZONE)).toBe(5 * 60_000);
    expect(ackTimeoutMs(roster, at('2020-10-03T10:00:00'), ZONE)).toBe(2 * 60_000);
  });
});

describe('shifts on duty', () => {
  it('a night shift runs past midnight and belongs to the day it started', () => {
    expect(
      shiftsOnDuty(roster, at('2020-09-30T02:00:00'), ZONE)
        .map((s) => s.user)
        .sort(),
    ).toEqual(['leader', 'night-sup']);
    expect(
      shiftsOnDuty(roster, at('2020-09-29T18:00:00'), ZONE)
        .map((s) => s.user)
        .sort(),
    ).toEqual(['leader', 'night-sup']);
    expect(
      shiftsOnDuty(roster, at('2020-09-29T17:59:00'), ZONE)
        .map((s) => s.user)
        .sort(),
    ).toEqual(['day-sup', 'leader']);
  });
});

describe('flood control', () => {
  it('groups alarms of one unit within the window into one popup with a count', () => {
    const a = (unit: string, s: number) => ({ unit, raisedAt: s * 1000 });
    const groups = groupPopups([a('u1', 0), a('u2', 1), a('u1', 10), a('u1', 29), a('u1', 31)], 30_000);
    expect(groups.map((g) => [g.key, g.alarms.length])).toEqual([
      ['u1', 3],
      ['u2', 1],
      ['u1', 1],
    ]);
  });
});

describe('rosterSchema', () => {
  it('names bad fields', () => {
    const r = rosterSchema.safeParse({ shifts: [{ user: 'x', level: 'boss', start: '25:00' }], dutyPeriods: [{ name: 'x', from: '2020-10-1', to: '2020-10-08' }] });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['shifts.0.level', 'shifts.0.start', 'dutyPeriods.0.from']));
  });
});

/** Each issue as "path|message". */
const issuesOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}|${i.message}`);

describe('rosterSchema defaults', () => {
  it('an empty roster: no shifts, days or contacts, a 5 minute timeout, the two-rung ladder', () => {
    const r = rosterSchema.parse({});
    expect(r).toEqual({ shifts: [], dutyPeriods: [], offDays: [], makeUpWorkdays: [], fallback: {}, ackTimeoutMinutes: 5, contacts: {}, holidays: {} });
    expect(ladderOf(r)).toEqual([
      { level: 'supervisor', label: '督导员' },
      { level: 'leader', label: '值班领导' },
    ]);
    expect(ladderOf(r)).toBe(DEFAULT_LADDER);
    expect(DEFAULT_ROSTER.fallback).toEqual({ '*': 'admin' });
  });

  it('a shift runs all day, every day, unless told otherwise', () => {
    expect(shiftSchema.parse({ user: 'a', level: 'supervisor' })).toEqual({ user: 'a', level: 'supervisor', days: 'all', start: '00:00', end: '24:00' });
    for (const days of ['all', 'workday', 'restday', 'duty']) expect(shiftSchema.parse({ user: 'a', level: 'leader', days }).days).toBe(days);
    expect(issuesOf(shiftSchema.safeParse({ user: 'a', level: 'leader', days: 'weekend' }))).toHaveLength(1);
  });

  it('a contact has no webhooks unless given', () => {
    expect(contactSchema.parse({})).toEqual({ webhooks: [] });
  });
});

describe('rosterSchema fields', () => {
  it('a full roster within every bound parses as given', () => {
    const input = {
      shifts: [{ user: 'duty-1', level: 'director', days: 'duty', start: '20:00', end: '08:00', centers: ['ruian', 'taishun'] }],
      dutyPeriods: [{ name: '国庆·中秋', from: '2020-10-01', to: '2020-10-08' }],
      offDays: ['2020-10-09'],
      makeUpWorkdays: ['2020-09-27'],
      fallback: { ruian: 'ruian-officer', '*': 'admin' },
      ackTimeoutMinutes: 10,
      dutyAckTimeoutMinutes: 2.5,
      contacts: { 'duty-1': { webhooks: [{ kind: 'dingtalk', url: 'https://oapi.example/robot?a', secret: 'SEC123' }] } },
      holidays: { '2027': [{ date: '2027-01-01', work: false, holiday: '元旦' }] },
      ladder: [{ level: 'supervisor', label: '督导员', ackTimeoutMinutes: 3, dutyAckTimeoutMinutes: 1 }, { level: 'leader' }, { level: 'director', label: '中心主任' }],
    };
    expect(rosterSchema.parse(input)).toEqual(input);
  });

  it('strings within their lengths', () => {
    const shift = (user: string) => issuesOf(shiftSchema.safeParse({ user, level: 'leader' }));
    expect(shift('ab')).toEqual([]);
    expect(shift('a'.repeat(64))).toEqual([]);
    expect(shift('a'.repeat(65))).toHaveLength(1);
    expect(shift('')).toHaveLength(1);
    const period = (name: string) => issuesOf(dutyPeriodSchema.safeParse({ name, from: '2020-10-01', to: '2020-10-08' }));
    expect(period('ab')).toEqual([]);
    expect(period('a'.repeat(40))).toEqual([]);
    expect(period('a'.repeat(41))).toHaveLength(1);
    expect(period('')).toHaveLength(1);
    const label = (l: string) => issuesOf(ladderRungSchema.safeParse({ level: 'a', label: l }));
    expect(label('ab')).toEqual([]);
    expect(label('a'.repeat(20))).toEqual([]);
    expect(label('a'.repeat(21))).toHaveLength(1);
    const secret = (x: string) => issuesOf(webhookSchema.safeParse({ kind: 'dingtalk', url: 'https://oapi.example/robot', secret: x }));
    expect(secret('SEC1')).toEqual([]);
    expect(secret('a'.repeat(200))).toEqual([]);
    expect(secret('a'.repeat(201))).toHaveLength(1);
    expect(secret('')).toHaveLength(1);
  });

  it('timeouts are positive minutes, at most a day', () => {
    const timeouts = (t: Record<string, unknown>) => issuesOf(rosterSchema.safeParse(t)).map((i) => i.split('|')[0]);
    expect(timeouts({ ackTimeoutMinutes: 24 * 60, dutyAckTimeoutMinutes: 24 * 60 })).toEqual([]);
    expect(timeouts({ ackTimeoutMinutes: 24 * 60 + 1, dutyAckTimeoutMinutes: 0 })).toEqual(['ackTimeoutMinutes', 'dutyAckTimeoutMinutes']);
    const rung = (t: number) => issuesOf(ladderRungSchema.safeParse({ level: 'a', ackTimeoutMinutes: t, dutyAckTimeoutMinutes: t })).length;
    expect(rung(24 * 60)).toBe(0);
    expect(rung(24 * 60 + 1)).toBe(2);
  });

  it('a ladder has 2 to 6 rungs', () => {
    const rungs = (n: number) => issuesOf(rosterSchema.safeParse({ ladder: Array.from({ length: n }, (_, i) => ({ level: `l${i}` })) })).length;
    expect(rungs(1)).toBe(1);
    expect(rungs(2)).toBe(0);
    expect(rungs(6)).toBe(0);
    expect(rungs(7)).toBe(1);
  });

  it('days are YYYY-MM-DD, whole', () => {
    const period = (from: string) => issuesOf(dutyPeriodSchema.safeParse({ name: 'x', from, to: '2020-10-08' }));
    expect(period('2020-10-01')).toEqual([]);
    for (const bad of ['2020-10-1', 'x2020-10-01', '2020-10-01x', '20201-10-01', '2020-1a-01', 'abcd-10-01']) expect(period(bad)).toEqual(['from|must be YYYY-MM-DD']);
  });

  it('a start is HH:MM from 00:00 to 23:59', () => {
    const start = (v: string) => issuesOf(shiftSchema.safeParse({ user: 'a', level: 'leader', start: v }));
    for (const ok of ['00:00', '09:59', '19:30', '20:00', '23:59']) expect(start(ok)).toEqual([]);
    for (const bad of ['24:00', '30:00', '12:60', '8:00', 'x08:00', '08:00x', '0a:00', '08:0a']) expect(start(bad)).toEqual(['start|must be HH:MM']);
  });

  it('an end is HH:MM, or 24:00 for midnight', () => {
    const end = (v: string) => issuesOf(shiftSchema.safeParse({ user: 'a', level: 'leader', end: v }));
    for (const ok of ['00:00', '19:30', '23:59', '24:00']) expect(end(ok)).toEqual([]);
    for (const bad of ['24:01', '25:00', '12:60', 'x24:00', '24:00x', '08:00x', 'x08:00']) expect(end(bad)).toEqual(['end|must be HH:MM (24:00 for midnight)']);
  });

  it('a level is 1-32 lowercase letters, digits, _ or -, starting with a letter', () => {
    const shiftLevel = (level: string) => issuesOf(shiftSchema.safeParse({ user: 'a', level }));
    const rungLevel = (level: string) => issuesOf(ladderRungSchema.safeParse({ level }));
    for (const ok of ['a', 'director', 'duty_2', 'vice-leader', 'a'.repeat(32)]) {
      expect(shiftLevel(ok)).toEqual([]);
      expect(rungLevel(ok)).toEqual([]);
    }
    for (const bad of ['', '2nd', 'Director', 'x y', 'a'.repeat(33), '_a', 'ab!']) {
      expect(shiftLevel(bad)).toEqual(['level|must be a ladder level: supervisor, leader, or one named in ladder']);
      expect(rungLevel(bad)).toEqual(['level|must be 1-32 lowercase letters, digits, _ or -']);
    }
  });

  it('a webhook is dingtalk, wecom or json, at an http(s) URL', () => {
    const hook = (w: Record<string, unknown>) => issuesOf(webhookSchema.safeParse(w));
    for (const kind of ['dingtalk', 'wecom', 'json']) expect(hook({ kind, url: 'https://example.org/hook' })).toEqual([]);
    expect(hook({ kind: 'json', url: 'http://example.org/hook' })).toEqual([]);
    expect(hook({ kind: 'slack', url: 'https://example.org/hook' }).map((i) => i.split('|')[0])).toEqual(['kind']);
    for (const url of ['ftp://example.org/hook', 'xhttps://example.org/hook', 'httpsx://example.org/hook', 'https://']) {
      expect(hook({ kind: 'json', url })).toEqual(['url|must be an http:// or https:// URL']);
    }
  });

  it('each ladder level once, and a shift on a level the ladder names', () => {
    const dup = rosterSchema.safeParse({ ladder: [{ level: 'a' }, { level: 'b' }, { level: 'a' }] });
    expect(issuesOf(dup)).toEqual(['ladder|each level may appear once']);
    expect(dup.error!.issues[0]!.code).toBe('custom');
    expect(issuesOf(rosterSchema.safeParse({ ladder: [{ level: 'a' }, { level: 'b' }] }))).toEqual([]);
    const stray = rosterSchema.safeParse({
      ladder: [{ level: 'a' }, { level: 'b' }],
      shifts: [
        { user: 'x', level: 'a' },
        { user: 'y', level: 'supervisor' },
      ],
    });
    expect(issuesOf(stray)).toEqual(["shifts.1.level|must be one of the ladder's levels: a, b"]);
    expect(stray.error!.issues[0]!.code).toBe('custom');
    expect(issuesOf(rosterSchema.safeParse({ shifts: [{ user: 'x', level: 'director' }] }))).toEqual(["shifts.0.level|must be one of the ladder's levels: supervisor, leader"]);
  });
});

describe('webhook secrets', () => {
  const stored = () =>
    rosterSchema.parse({
      contacts: {
        a: {
          webhooks: [
            { kind: 'dingtalk', url: 'https://oapi.example/robot?a', secret: 'SEC1' },
            { kind: 'json', url: 'https://example.org/a' },
          ],
        },
      },
    });

  it('redactRoster shows whether a secret is set, never the secret, and leaves the roster as it was', () => {
    const base = stored();
    const shown = redactRoster(base);
    expect(shown.contacts).toEqual({
      a: {
        webhooks: [
          { kind: 'dingtalk', url: 'https://oapi.example/robot?a', hasSecret: true },
          { kind: 'json', url: 'https://example.org/a' },
        ],
      },
    });
    expect(shown.shifts).toBe(base.shifts);
    expect(base.contacts.a!.webhooks[0]!.secret).toBe('SEC1');
  });

  it('keepSecrets keeps the stored secret of the same user, kind and URL for a webhook sent without one', () => {
    const next = rosterSchema.parse({
      ackTimeoutMinutes: 7,
      contacts: {
        a: {
          webhooks: [
            { kind: 'dingtalk', url: 'https://oapi.example/robot?a', hasSecret: true },
            { kind: 'dingtalk', url: 'https://oapi.example/robot?b' },
            { kind: 'json', url: 'https://example.org/a' },
          ],
        },
        b: { webhooks: [{ kind: 'dingtalk', url: 'https://oapi.example/robot?a' }] },
      },
    });
    const kept = keepSecrets(next, stored());
    expect(kept.ackTimeoutMinutes).toBe(7);
    expect(kept.contacts).toEqual({
      a: {
        webhooks: [
          { kind: 'dingtalk', url: 'https://oapi.example/robot?a', secret: 'SEC1' },
          { kind: 'dingtalk', url: 'https://oapi.example/robot?b' },
          { kind: 'json', url: 'https://example.org/a' },
        ],
      },
      // Another user's webhook at the same URL does not get a's secret.
      b: { webhooks: [{ kind: 'dingtalk', url: 'https://oapi.example/robot?a' }] },
    });
  });

  it('keepSecrets: a new secret replaces the stored one; another kind at the same URL keeps none', () => {
    const next = rosterSchema.parse({
      contacts: {
        a: {
          webhooks: [
            { kind: 'dingtalk', url: 'https://oapi.example/robot?a', secret: 'SEC2' },
            { kind: 'wecom', url: 'https://oapi.example/robot?a' },
          ],
        },
      },
    });
    expect(keepSecrets(next, stored()).contacts.a!.webhooks).toEqual([
      { kind: 'dingtalk', url: 'https://oapi.example/robot?a', secret: 'SEC2' },
      { kind: 'wecom', url: 'https://oapi.example/robot?a' },
    ]);
    // A stored webhook without a secret leaves nothing to keep.
    const plain = rosterSchema.parse({ contacts: { a: { webhooks: [{ kind: 'json', url: 'https://example.org/a' }] } } });
    expect(keepSecrets(plain, stored()).contacts.a!.webhooks).toEqual([{ kind: 'json', url: 'https://example.org/a' }]);
  });
});

describe('duty periods and day kinds', () => {
  const plain = () => rosterSchema.parse({});

  it("the roster's own period, first and last day included", () => {
    // Wednesday 2020-07-08 to Friday 07-10.
    const own = rosterSchema.parse({ dutyPeriods: [{ name: '防汛值守', from: '2020-07-08', to: '2020-07-10' }] });
    expect(dutyPeriodOn(own, '2020-07-07')).toBeUndefined();
    expect(dutyPeriodOn(own, '2020-07-08')?.name).toBe('防汛值守');
    expect(dutyPeriodOn(own, '2020-07-10')?.name).toBe('防汛值守');
    expect(dutyPeriodOn(own, '2020-07-11')).toBeUndefined();
    expect(dayKind(own, '2020-07-07')).toBe('workday'); // Tuesday before
    expect(dayKind(own, '2020-07-08')).toBe('restday');
    expect(dayKind(own, '2020-07-10')).toBe('restday');
    expect(dayKind(own, '2020-07-13')).toBe('workday'); // Monday after
  });

  it("else the State Council's holiday, unless the roster works that day", () => {
    expect(dutyPeriodOn(plain(), '2020-10-01')).toEqual({ name: '国庆节', from: '2020-10-01', to: '2020-10-08' });
    expect(dutyPeriodOn(plain(), '2020-10-09')).toBeUndefined();
    const worked = rosterSchema.parse({ makeUpWorkdays: ['2020-10-02'] });
    expect(dutyPeriodOn(worked, '2020-10-02')).toBeUndefined();
    expect(dayKind(worked, '2020-10-02')).toBe('workday');
    expect(dayKind(plain(), '2020-10-02')).toBe('restday');
    // The calendar's make-up workday (Sunday 2020-09-27) is worked without the roster saying so.
    expect(dayKind(plain(), '2020-09-27')).toBe('workday');
  });

  it('an extra day off', () => {
    const off = rosterSchema.parse({ offDays: ['2020-09-29'] });
    expect(dayKind(off, '2020-09-29')).toBe('restday');
    expect(dayKind(off, '2020-09-30')).toBe('workday');
  });
});

describe('shifts on duty: edges', () => {
  const on = (r: Roster, local: string) =>
    shiftsOnDuty(r, at(local), ZONE)
      .map((s) => s.user)
      .sort();

  it('a day shift from its start, up to but not at its end', () => {
    const r = rosterSchema.parse({ shifts: [{ user: 'd', level: 'supervisor', start: '08:30', end: '17:45' }] });
    expect(on(r, '2020-09-29T08:29:59')).toEqual([]);
    expect(on(r, '2020-09-29T08:30:00')).toEqual(['d']);
    expect(on(r, '2020-09-29T17:44:59')).toEqual(['d']);
    expect(on(r, '2020-09-29T17:45:00')).toEqual([]);
  });

  it('a shift from 08:00 to 08:00 runs round the clock', () => {
    const r = rosterSchema.parse({ shifts: [{ user: 'r', level: 'supervisor', start: '08:00', end: '08:00' }] });
    expect(on(r, '2020-09-29T10:00:00')).toEqual(['r']);
    expect(on(r, '2020-09-29T07:00:00')).toEqual(['r']);
  });

  it("a workday night shift: Friday night's runs into Saturday morning, Saturday night has none", () => {
    const r = rosterSchema.parse({ shifts: [{ user: 'n', level: 'supervisor', days: 'workday', start: '20:00', end: '08:00' }] });
    // 2020-09-25 is a Friday, 09-26 a Saturday, 09-27 a worked Sunday.
    expect(on(r, '2020-09-25T19:59:00')).toEqual([]);
    expect(on(r, '2020-09-25T20:00:00')).toEqual(['n']);
    expect(on(r, '2020-09-26T07:59:00')).toEqual(['n']);
    expect(on(r, '2020-09-26T08:00:00')).toEqual([]);
    expect(on(r, '2020-09-26T20:00:00')).toEqual([]);
    expect(on(r, '2020-09-27T07:00:00')).toEqual([]);
    expect(on(r, '2020-09-27T21:00:00')).toEqual(['n']);
  });

  it('a night shift on the first of a month started the day before, the last of the previous month', () => {
    const r = rosterSchema.parse({ shifts: [{ user: 'n', level: 'supervisor', days: 'duty', start: '20:00', end: '08:00' }] });
    // 2020-10-08 is the last day of the holiday: its night shift runs into 10-09.
    expect(on(r, '2020-10-09T07:00:00')).toEqual(['n']);
    expect(on(r, '2020-10-01T07:00:00')).toEqual([]);
    const march = rosterSchema.parse({
      shifts: [{ user: 'm', level: 'supervisor', start: '20:00', end: '08:00' }],
      offDays: [],
      dutyPeriods: [{ name: 'x', from: '2020-02-29', to: '2020-02-29' }],
    });
    const dutyNight = { ...march, shifts: [{ ...march.shifts[0]!, days: 'duty' as const }] };
    expect(on(dutyNight, '2020-03-01T07:00:00')).toEqual(['m']);
    expect(on(dutyNight, '2020-03-02T07:00:00')).toEqual([]);
  });
});

describe('rungs and timeouts', () => {
  const laddered = () =>
    rosterSchema.parse({
      ladder: [{ level: 'supervisor', ackTimeoutMinutes: 3 }, { level: 'leader' }, { level: 'director', dutyAckTimeoutMinutes: 1 }],
      ackTimeoutMinutes: 10,
    });

  it('a level below 0 is the first rung, one past the end the top one', () => {
    const ladder = laddered();
    expect(rungAt(ladder, -1).level).toBe('supervisor');
    expect(rungAt(ladder, 2).level).toBe('director');
    expect(rungAt(ladder, 3).level).toBe('director');
  });

  it("on duty: the rung's duty timeout, the roster's, the rung's own, the roster's own", () => {
    const ladder = laddered();
    expect(ackTimeoutMs(ladder, at('2020-10-03T10:00:00'), ZONE, 2)).toBe(60_000);
    expect(ackTimeoutMs(ladder, at('2020-10-03T10:00:00'), ZONE, 0)).toBe(3 * 60_000);
    expect(ackTimeoutMs(ladder, at('2020-10-03T10:00:00'), ZONE, 1)).toBe(10 * 60_000);
    const dutyFaster = { ...ladder, dutyAckTimeoutMinutes: 2 };
    expect(ackTimeoutMs(dutyFaster, at('2020-10-03T10:00:00'), ZONE, 0)).toBe(2 * 60_000);
    expect(ackTimeoutMs(dutyFaster, at('2020-09-29T10:00:00'), ZONE, 0)).toBe(3 * 60_000);
    expect(ackTimeoutMs(dutyFaster, at('2020-09-29T10:00:00'), ZONE, 2)).toBe(10 * 60_000);
    // The default level is the first rung.
    expect(ackTimeoutMs(ladder, at('2020-09-29T10:00:00'), ZONE)).toBe(3 * 60_000);
  });
});

describe('flood control: edges', () => {
  const a = (unit: string, s: number) => ({ unit, raisedAt: s * 1000 });

  it('the window is closed at its end and counted from the group first alarm, in time order', () => {
    const groups = groupPopups([a('u1', 30), a('u1', 0), a('u1', 31), a('u1', 45)], 30_000);
    expect(groups).toEqual([
      { key: 'u1', first: 0, alarms: [a('u1', 0), a('u1', 30)] },
      { key: 'u1', first: 31_000, alarms: [a('u1', 31), a('u1', 45)] },
    ]);
    expect(groupPopups([], 30_000)).toEqual([]);
  });
});

describe('routing on a day the statutory calendar does not cover (routesBlind)', () => {
  const roster = rosterSchema.parse({ shifts: [{ user: 'day-sup', level: 'supervisor', days: 'workday' }] });
  const imported = rosterSchema.parse({ ...roster, holidays: { '2027': [{ date: '2027-01-01', work: false, holiday: '元旦' }] } });

  it('blind from 2027-01-01 00:00 in Wenzhou while 2027 is not entered, not on 2026-12-31', () => {
    expect(routesBlind(roster, at('2026-12-31T23:59:59'), ZONE)).toBe(false);
    expect(routesBlind(roster, at('2027-01-01T00:00:00'), ZONE)).toBe(true);
    // 元旦 is taken for a Friday: the workday shift is on. This is what the flag warns of.
    expect(shiftsOnDuty(roster, at('2027-01-01T10:00:00'), ZONE).map((s) => s.user)).toEqual(['day-sup']);
  });

  it('not blind once the year is entered; then 元旦 is a rest day', () => {
    expect(routesBlind(imported, at('2027-01-01T10:00:00'), ZONE)).toBe(false);
    expect(shiftsOnDuty(imported, at('2027-01-01T10:00:00'), ZONE)).toEqual([]);
    expect(routesBlind(imported, at('2028-01-01T10:00:00'), ZONE)).toBe(true);
  });
});

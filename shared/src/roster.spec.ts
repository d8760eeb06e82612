import { describe, expect, it } from 'vitest';
import { ackTimeoutMs, dayKind, groupPopups, rosterSchema, shiftsOnDuty } from './roster.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
/** A Shanghai wall-clock time as an instant. */
const at = (local: string) => Date.parse(`${local}+08:00`);

// National Day + Mid-Autumn 2020: 10-01..08 off, 09-27 (Sunday) and 10-10 (Saturday) worked.
const roster = rosterSchema.parse({
  shifts: [
    { user: 'day-sup', level: 'supervisor', days: 'workday', start: '08:00', end: '18:00' },
    { user: 'night-sup', level: 'supervisor', days: 'all', start: '18:00', end: '08:00' },
    { user: 'weekend-sup', level: 'supervisor', days: 'restday', start: '08:00', end: '18:00' },
    { user: 'holiday-sup', level: 'supervisor', days: 'duty', start: '08:00', end: '18:00', centers: ['ruian'] },
    { user: 'leader', level: 'leader' },
  ],
  dutyPeriods: [{ name: '国庆·中秋', from: '2020-10-01', to: '2020-10-08' }],
  makeUpWorkdays: ['2020-09-27', '2020-10-10'],
  fallback: { ruian: 'ruian-officer', '*': 'city-officer' },
  ackTimeoutMinutes: 5,
  dutyAckTimeoutMinutes: 2,
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

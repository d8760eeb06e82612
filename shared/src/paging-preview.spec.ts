import { describe, expect, it } from 'vitest';
import { recipientsFor, userDirectory } from './paging.js';
import { pagingSteps, rosterDayMarks } from './paging-preview.js';
import { ackTimeoutMs, rosterSchema } from './roster.js';
import { Zone } from './time.js';

const zone = new Zone('Asia/Shanghai');
const users = userDirectory([
  { username: 'ra', role: 'supervisor', scope: { centers: ['ruian'] } },
  { username: 'boss', role: 'supervisor' },
  { username: 'admin', role: 'admin' },
]);
const roster = rosterSchema.parse({
  shifts: [
    { user: 'ra', level: 'supervisor', start: '08:00', end: '20:00', centers: ['ruian'] },
    { user: 'boss', level: 'leader' },
  ],
  ackTimeoutMinutes: 5,
  ladder: [
    { level: 'supervisor', label: '督导员', ackTimeoutMinutes: 3 },
    { level: 'leader', label: '值班领导' },
  ],
  fallback: { '*': 'admin' },
});
const ruian = { center: 'ruian', unitType: 'police' };

describe('if an alarm fired now', () => {
  it('names the supervisor on duty, then the leader after the first rung’s timeout, as the paging rules do', () => {
    const t = Date.parse('2026-12-08T10:00:00+08:00');
    const steps = pagingSteps(roster, users, ruian, t, zone, 3);
    expect(steps.map((s) => [s.level, s.rung, s.recipients, s.route])).toEqual([
      [0, '督导员', ['ra'], 'duty'],
      [1, '值班领导', ['boss'], 'duty'],
      [2, '值班领导', ['boss'], 'duty'],
      [3, '值班领导', ['boss'], 'duty'],
    ]);
    expect(steps[0]!.at).toBe(new Date(t).toISOString());
    expect(Date.parse(steps[1]!.at) - t).toBe(ackTimeoutMs(roster, t, zone, 0));
    expect(steps[0]!.ackMinutes).toBe(3);
    expect(steps[1]!.ackMinutes).toBe(5);
    // Each step is recipientsFor at its own instant.
    steps.forEach((s, i) => expect(s.recipients).toEqual(recipientsFor(roster, users, ruian, s.level, Date.parse(s.at), zone, i ? steps[i - 1]!.recipients : []).recipients));
  });

  it('falls back where nobody on duty covers the center, and decides each rung at its own instant', () => {
    const night = Date.parse('2026-12-08T19:58:00+08:00');
    const steps = pagingSteps(roster, users, ruian, night, zone, 1);
    // At 19:58 ra is on duty; the leader is paged at 20:01.
    expect(steps[0]!.recipients).toEqual(['ra']);
    expect(steps[1]!.at).toBe(new Date(Date.parse('2026-12-08T20:01:00+08:00')).toISOString());
    const other = pagingSteps(roster, users, { center: 'yueqing', unitType: 'police' }, night, zone, 0);
    expect(other[0]).toMatchObject({ recipients: ['admin'], route: 'fallback' });
  });

  it('marks a statutory holiday, a make-up workday and the roster’s own days on the calendar', () => {
    const marked = rosterSchema.parse({ dutyPeriods: [{ name: '防台值守', from: '2026-09-01', to: '2026-09-02' }], offDays: ['2026-12-09'] });
    expect(rosterDayMarks(marked, '2026-10-01')).toMatchObject({ kind: 'restday', holiday: '国庆节', duty: '国庆节' });
    expect(rosterDayMarks(marked, '2026-09-01')).toMatchObject({ duty: '防台值守', kind: 'restday' });
    expect(rosterDayMarks(marked, '2026-12-09')).toMatchObject({ offDay: true, kind: 'restday', makeUp: false });
    expect(rosterDayMarks(marked, '2026-12-08')).toMatchObject({ kind: 'workday', holiday: null, duty: null });
  });
});

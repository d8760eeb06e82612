import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSESSMENT_RULES, assessmentReport, assessmentRules } from './assessment.js';
import type { StoredEvent } from './events.js';
import { projectEvents } from './projection.js';
import { DEFAULT_INDEX } from './reference.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
const MIN = 60_000;
const D = Date.parse('2020-08-25T02:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

const reported = (incident: string, t: number, center: string, more: Record<string, unknown> = {}): StoredEvent =>
  ({ id: `${incident}-r`, type: 'incident.reported', at: iso(t), t, incident, center, kind: 'alarm', category: '其他', ...more }) as StoredEvent;

/** One order's events; milestones in minutes after the dispatch at `t`, absent when undefined. */
function order(incident: string, id: string, unit: string, t: number, m: { sign?: number; arrive?: number; feedback?: number[]; ret?: number }): StoredEvent[] {
  const base = { incident, order: id };
  const events: StoredEvent[] = [{ id: `${id}-d`, type: 'order.dispatched', at: iso(t), t, ...base, unit }];
  const at = (min: number) => ({ at: iso(t + min * MIN), t: t + min * MIN });
  if (m.sign !== undefined) events.push({ id: `${id}-s`, type: 'order.signed', ...at(m.sign), ...base });
  if (m.arrive !== undefined) events.push({ id: `${id}-a`, type: 'order.arrived', ...at(m.arrive), ...base });
  m.feedback?.forEach((f, i) => events.push({ id: `${id}-f${i}`, type: 'order.feedback', ...at(f), ...base, stage: 'result' }));
  if (m.ret !== undefined) events.push({ id: `${id}-x`, type: 'order.returned', ...at(m.ret), ...base, reason: '非本单位职责' });
  return events;
}

// Hand-worked month (default limits: sign 5, on scene 20, first feedback 60 minutes):
//   city.power   o1 late sign, late arrival, late feedback; o2 all in time; o3 returned;
//                o4 never signed nor fed back -> signLate 1, arriveLate 1, overdue 1, unfed 1, returned 1
//                default points 1 + 2 + 1 + 2 + 0.5 = 6.5
//   city.market  o5, o6 signed in time, never fed back -> unfed 2 -> 4 points
//   ruian.fire   o7, o8 signed at 10 min, fed back at 90 min, nobody on scene -> signLate 2, overdue 2 -> 4 points
//   city.health  o9 all in time -> 0 points
//   ouhai.police a drill's late order: never counted
const events: StoredEvent[] = [
  reported('i1', D, 'lucheng'),
  ...order('i1', 'o1', 'city.power', D + MIN, { sign: 6, arrive: 25, feedback: [70, 80] }),
  ...order('i1', 'o2', 'city.power', D + MIN, { sign: 1, arrive: 10, feedback: [30] }),
  ...order('i1', 'o3', 'city.power', D + MIN, { sign: 2, ret: 5 }),
  ...order('i1', 'o4', 'city.power', D + MIN, {}),
  reported('i2', D, 'city', { district: 'ouhai' }),
  ...order('i2', 'o5', 'city.market', D + MIN, { sign: 1 }),
  ...order('i2', 'o6', 'city.market', D + MIN, { sign: 2 }),
  reported('i3', D, 'ruian'),
  ...order('i3', 'o7', 'ruian.fire', D + MIN, { sign: 10, feedback: [90] }),
  ...order('i3', 'o8', 'ruian.fire', D + MIN, { sign: 10, feedback: [90] }),
  reported('i4', D, 'kaifaqu'),
  ...order('i4', 'o9', 'city.health', D + MIN, { sign: 1, arrive: 8, feedback: [20] }),
  reported('drill', D, 'ouhai', { drill: true }),
  ...order('drill', 'o10', 'ouhai.police', D + MIN, { sign: 30, arrive: 50 }),
];

describe('assessmentRules', () => {
  it('fills every field left out with its default', () => {
    expect(assessmentRules.parse({ signLate: 3 })).toEqual({ ...DEFAULT_ASSESSMENT_RULES, signLate: 3 });
    expect(DEFAULT_ASSESSMENT_RULES).toEqual({ signLate: 1, arriveLate: 2, overdueFeedback: 1, unfed: 2, returned: 0.5, nameAbove: 10 });
  });

  it('refuses a negative, a non-number and an unknown field, naming it', () => {
    const bad = assessmentRules.safeParse({ arriveLate: -1, unfed: 'two', signlate: 1 });
    expect(bad.success).toBe(false);
    const issues = bad.error!.issues.map((i) => `${i.path.join('.')}|${i.message}|${'keys' in i ? (i.keys as string[]).join() : ''}`);
    expect(issues).toContainEqual('arriveLate|must be at least 0|');
    expect(issues).toContainEqual('unfed|must be a number of points|');
    expect(issues.some((i) => i.endsWith('|signlate'))).toBe(true);
  });
});

describe('assessmentRules: bounds and messages', () => {
  const messages = (input: Record<string, unknown>) => {
    const r = assessmentRules.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}|${i.message}`);
  };

  it('points per kind: 0 to 100', () => {
    expect(messages({ signLate: 0, returned: 100 })).toEqual([]);
    expect(messages({ signLate: 100.5 })).toEqual(['signLate|must be at most 100']);
  });

  it('nameAbove: a number of points from 0 to 1,000,000', () => {
    expect(assessmentRules.parse({ nameAbove: 0 }).nameAbove).toBe(0);
    expect(assessmentRules.parse({ nameAbove: 25 }).nameAbove).toBe(25);
    expect(assessmentRules.parse({ nameAbove: 1_000_000 }).nameAbove).toBe(1_000_000);
    expect(messages({ nameAbove: -0.5 })).toEqual(['nameAbove|must be at least 0']);
    expect(messages({ nameAbove: 1_000_001 })).toEqual(['nameAbove|must be at most 1000000']);
    expect(messages({ nameAbove: 'ten' })).toEqual(['nameAbove|must be a number of points']);
  });
});

describe('assessmentReport', () => {
  const state = projectEvents(events, DEFAULT_INDEX, ZONE);

  it('deducts per kind from the month tallies with the default points', () => {
    const r = assessmentReport(state, '2020-08', DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES);
    expect(r.rows.map((row) => [row.unit, row.rank, row.points])).toEqual([
      ['city.power', 1, 6.5],
      ['city.market', 2, 4],
      ['ruian.fire', 2, 4],
      ['city.health', 4, 0],
    ]);
    const power = r.rows[0]!;
    expect(power.orders).toBe(4);
    expect(power.counts).toEqual({ signLate: 1, arriveLate: 1, overdueFeedback: 1, unfed: 1, returned: 1 });
    expect(power.deductions).toEqual({ signLate: 1, arriveLate: 2, overdueFeedback: 1, unfed: 2, returned: 0.5 });
    expect(r.rows[2]!.counts).toEqual({ signLate: 2, arriveLate: 0, overdueFeedback: 2, unfed: 0, returned: 0 });
    // 6.5 is not above the default threshold of 10: nobody is named.
    expect(r.named).toEqual([]);
    expect(r.rules).toEqual(DEFAULT_ASSESSMENT_RULES);
  });

  it('names the units whose deduction is above the threshold, not at it', () => {
    const r = assessmentReport(state, '2020-08', DEFAULT_INDEX, { ...DEFAULT_ASSESSMENT_RULES, nameAbove: 4 });
    expect(r.named).toEqual(['city.power']);
    expect(r.rows.filter((row) => row.named).map((row) => row.unit)).toEqual(['city.power']);
    const lower = assessmentReport(state, '2020-08', DEFAULT_INDEX, { ...DEFAULT_ASSESSMENT_RULES, nameAbove: 3.99 });
    expect(lower.named).toEqual(['city.power', 'city.market', 'ruian.fire']);
  });

  it('keeps points to 2 decimals (0.1 + 0.2 is 0.3)', () => {
    const rules = { signLate: 0.1, arriveLate: 0.2, overdueFeedback: 0, unfed: 0, returned: 0, nameAbove: 0.25 };
    const power = assessmentReport(state, '2020-08', DEFAULT_INDEX, rules).rows.find((row) => row.unit === 'city.power')!;
    expect(power.points).toBe(0.3);
    expect(power.named).toBe(true);
  });

  it('leaves drills out and is empty for a month without orders', () => {
    const r = assessmentReport(state, '2020-08', DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES);
    expect(r.rows.some((row) => row.unit === 'ouhai.police')).toBe(false);
    expect(assessmentReport(state, '2020-09', DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES)).toMatchObject({ month: '2020-09', rows: [], named: [] });
  });

  it('counts an order with the month of its incident report in the report zone', () => {
    // 2020-07-31T16:30Z is 00:30 on August 1 in Shanghai, still July in UTC.
    const edge = Date.parse('2020-07-31T16:30:00Z');
    const month = [reported('e', edge, 'ruian'), ...order('e', 'oe', 'ruian.water', edge + MIN, { sign: 9, feedback: [30] })];
    const shanghai = assessmentReport(projectEvents(month, DEFAULT_INDEX, ZONE), '2020-08', DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES);
    expect(shanghai.rows.map((r) => [r.unit, r.points])).toEqual([['ruian.water', 1]]);
    const utc = projectEvents(month, DEFAULT_INDEX, new Zone('UTC'));
    expect(assessmentReport(utc, '2020-08', DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES).rows).toEqual([]);
    expect(assessmentReport(utc, '2020-07', DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES).rows).toHaveLength(1);
  });
});

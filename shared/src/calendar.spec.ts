import { describe, expect, it } from 'vitest';
import { statutoryDay, statutoryHoliday } from './calendar.js';
import { DEFAULT_ROSTER, dayKind, dutyPeriodOn, rosterSchema } from './roster.js';

// None of these days is written in the repo's data: they come from the chinese-days package.
describe('the State Council calendar (chinese-days) under an empty roster', () => {
  it('2020-10-03 is holiday duty (国庆节, the eight days of 2020-10-01..08)', () => {
    expect(dutyPeriodOn(DEFAULT_ROSTER, '2020-10-03')).toEqual({ name: '国庆节', from: '2020-10-01', to: '2020-10-08' });
    expect(dayKind(DEFAULT_ROSTER, '2020-10-03')).toBe('restday');
  });

  it('2020-09-27 (Sunday) and 2020-10-10 (Saturday) are make-up workdays, not duty', () => {
    for (const d of ['2020-09-27', '2020-10-10']) {
      expect(dayKind(DEFAULT_ROSTER, d)).toBe('workday');
      expect(dutyPeriodOn(DEFAULT_ROSTER, d)).toBeUndefined();
    }
  });

  it('2026-02-16 is a holiday (春节)', () => {
    expect(statutoryDay('2026-02-16')).toEqual({ work: false, holiday: '春节' });
    expect(dutyPeriodOn(DEFAULT_ROSTER, '2026-02-16')?.name).toBe('春节');
    expect(dayKind(DEFAULT_ROSTER, '2026-02-16')).toBe('restday');
  });

  it('covers the years the old hand-kept list lacked (2022, 2023)', () => {
    expect(statutoryHoliday('2022-02-01')?.name).toBe('春节');
    expect(statutoryHoliday('2023-10-01')?.name).toBeDefined();
  });

  it('an ordinary weekend is a rest day without duty; an ordinary weekday a workday', () => {
    expect(dayKind(DEFAULT_ROSTER, '2020-09-26')).toBe('restday');
    expect(dutyPeriodOn(DEFAULT_ROSTER, '2020-09-26')).toBeUndefined();
    expect(dayKind(DEFAULT_ROSTER, '2020-09-29')).toBe('workday');
  });
});

describe("the roster's overrides go on top", () => {
  const roster = rosterSchema.parse({
    dutyPeriods: [{ name: '防台', from: '2020-09-29', to: '2020-09-30' }],
    offDays: ['2020-09-28'],
    makeUpWorkdays: ['2020-10-08'],
  });

  it('its own duty period and day off', () => {
    expect(dutyPeriodOn(roster, '2020-09-29')?.name).toBe('防台');
    expect(dayKind(roster, '2020-09-29')).toBe('restday');
    expect(dayKind(roster, '2020-09-28')).toBe('restday');
  });

  it('its make-up workday beats a statutory holiday', () => {
    expect(dayKind(roster, '2020-10-08')).toBe('workday');
    expect(dutyPeriodOn(roster, '2020-10-08')).toBeUndefined();
    expect(dutyPeriodOn(roster, '2020-10-07')?.name).toBe('国庆节');
  });
});

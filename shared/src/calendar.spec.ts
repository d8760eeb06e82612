import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDay,
  calendarDays,
  coverageWarning,
  coveredUntil,
  enteredConflicts,
  libraryCovers,
  libraryLastYear,
  statutoryDay,
  statutoryHoliday,
  type CalendarDay,
} from './calendar.js';
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

describe('what the calendar covers (coveredUntil) and the entered years', () => {
  const notice2027 = [
    { date: '2027-01-01', work: false, holiday: '元旦' },
    { date: '2027-01-02', work: false, holiday: '元旦' },
    { date: '2027-01-03', work: false, holiday: '元旦' },
    { date: '2027-02-06', work: false, holiday: '春节' },
    { date: '2027-02-07', work: true, holiday: '春节' },
  ];

  it('the library reaches the end of its last year; 2027-01-01 is an ordinary Friday to it', () => {
    expect(libraryLastYear()).toBe(2026);
    expect(libraryCovers(2026)).toBe(true);
    expect(libraryCovers(2027)).toBe(false);
    expect(coveredUntil()).toBe('2026-12-31');
    expect(statutoryDay('2027-01-01')).toEqual({ work: true, holiday: null });
  });

  it('an entered year extends it; a gap does not', () => {
    expect(coveredUntil({ '2027': notice2027 })).toBe('2027-12-31');
    expect(coveredUntil({ '2028': notice2027 })).toBe('2026-12-31');
    expect(coveredUntil({ '2027': [] })).toBe('2026-12-31');
  });

  it('entered days go on top where the library has none, and make the duty roster see them', () => {
    const entered = { '2027': notice2027 };
    expect(calendarDay('2027-01-01', entered)).toEqual({ work: false, holiday: '元旦' });
    expect(calendarDay('2027-02-07', entered)).toEqual({ work: true, holiday: '春节' });
    expect(calendarDay('2027-01-04', entered)).toEqual({ work: true, holiday: null });
    expect(calendarDays('2027-01-01', '2027-01-04', entered).map((d) => d.work)).toEqual([false, false, false, true]);
    const roster = rosterSchema.parse({ holidays: entered });
    expect(dayKind(roster, '2027-01-01')).toBe('restday');
    expect(dayKind(roster, '2027-02-07')).toBe('workday'); // a Sunday worked
    expect(dutyPeriodOn(roster, '2027-01-02')).toEqual({ name: '元旦', from: '2027-01-01', to: '2027-01-03' });
    expect(dayKind(DEFAULT_ROSTER, '2027-01-01')).toBe('workday');
  });

  it('the library wins a year it covers, and the entries it disagrees with are listed', () => {
    const wrong = { '2026': [{ date: '2026-10-08', work: false, holiday: '国庆节' }] };
    expect(calendarDay('2026-10-08', wrong)).toEqual({ work: true, holiday: null });
    const conflicts = enteredConflicts(wrong);
    expect(conflicts.find((c) => c.date === '2026-10-08')).toEqual({ date: '2026-10-08', entered: { work: false, holiday: '国庆节' }, library: { work: true, holiday: null } });
    // Every library day of 2026 the entry lacks disagrees too, e.g. 2026-10-01.
    expect(conflicts.some((c) => c.date === '2026-10-01')).toBe(true);
    expect(enteredConflicts({ '2027': notice2027 })).toEqual([]);
  });

  it('an entry equal to the library has no conflict (its late-December 元旦 belongs to the next notice)', () => {
    const days: CalendarDay[] = [];
    for (let d = '2022-01-01'; d <= '2022-12-31'; d = addDays(d, 1)) {
      const s = statutoryDay(d);
      if (s.holiday !== null && d !== '2022-12-31') days.push({ date: d, ...s });
    }
    expect(enteredConflicts({ '2022': days })).toEqual([]);
  });
});

describe('the coverage warning', () => {
  it('none before 1 November when the year is covered', () => {
    expect(coverageWarning('2026-10-31', '2026-12-31')).toBeNull();
  });
  it('from 1 November while next year is missing: warn, naming next year', () => {
    expect(coverageWarning('2026-11-01', '2026-12-31')).toMatchObject({ level: 'warn', year: 2027 });
    expect(coverageWarning('2026-12-31', '2026-12-31')).toMatchObject({ level: 'warn', year: 2027 });
  });
  it('from 1 January past the data: red, naming this year', () => {
    expect(coverageWarning('2027-01-01', '2026-12-31')).toMatchObject({ level: 'red', year: 2027 });
  });
  it('none once next year is imported', () => {
    expect(coverageWarning('2026-11-01', '2027-12-31')).toBeNull();
    expect(coverageWarning('2027-01-01', '2027-12-31')).toBeNull();
    expect(coverageWarning('2027-11-01', '2027-12-31')).toMatchObject({ level: 'warn', year: 2028 });
  });
});

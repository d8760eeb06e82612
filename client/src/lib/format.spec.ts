import { describe, expect, it } from 'vitest';
import {
  formatChange,
  formatClock,
  formatDate,
  formatDuration,
  formatHm,
  formatCount,
  formatInt,
  formatPercent,
  formatWeekday,
  kindLabel,
  limitLabel,
  localDayKey,
} from './format';
import { setReportZone } from './zone';

// As the server announces it with its default TZ_REPORTS.
setReportZone('Asia/Shanghai');

// 2020-10-03 14:32:08 in Shanghai = 06:32:08Z
const T = Date.UTC(2020, 9, 3, 6, 32, 8);

describe('time in Asia/Shanghai', () => {
  it('formats date, weekday and clock at +08:00 whatever the machine zone', () => {
    expect(formatDate(T)).toBe('2020年10月03日');
    expect(formatWeekday(T)).toBe('星期六');
    expect(formatClock(T)).toBe('14:32:08');
    expect(formatHm(T)).toBe('14:32');
  });
  it('rolls the day over at Shanghai midnight, not UTC midnight', () => {
    const beforeMidnight = Date.UTC(2020, 9, 7, 15, 59, 59); // 23:59:59 local
    expect(localDayKey(beforeMidnight)).toBe('2020-10-07');
    expect(localDayKey(beforeMidnight + 1000)).toBe('2020-10-08');
    expect(formatWeekday(beforeMidnight + 1000)).toBe('星期四');
  });
});

describe('numbers', () => {
  it('groups thousands', () => {
    expect(formatInt(0)).toBe('0');
    expect(formatInt(999)).toBe('999');
    expect(formatInt(1027)).toBe('1,027');
    expect(formatInt(9410)).toBe('9,410');
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatInt(-1500)).toBe('-1,500');
    expect(formatInt(null)).toBe('—');
    expect(formatInt(Number.NaN)).toBe('—');
  });
  it('prints table counts without grouping', () => {
    expect(formatCount(5019)).toBe('5019');
    expect(formatCount(null)).toBe('—');
  });
  it('formats percentages with fixed digits, a dash when undefined', () => {
    expect(formatPercent(99.61)).toBe('99.61%');
    expect(formatPercent(99.6)).toBe('99.60%');
    expect(formatPercent(100)).toBe('100.00%');
    expect(formatPercent(97.3, 1)).toBe('97.3%');
    expect(formatPercent(0, 1)).toBe('0.0%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('shows mm:ss under an hour', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(999)).toBe('00:00');
    expect(formatDuration(1000)).toBe('00:01');
    expect(formatDuration(6 * 60_000 + 41_000)).toBe('06:41');
    expect(formatDuration(3599_999)).toBe('59:59');
  });
  it('shows h:mm:ss under a day and days beyond', () => {
    expect(formatDuration(3600_000)).toBe('1:00:00');
    expect(formatDuration(3600_000 + 2 * 60_000 + 3000)).toBe('1:02:03');
    expect(formatDuration(86400_000 * 2 + 3 * 3600_000 + 4 * 60_000 + 5000)).toBe('2天 03:04:05');
  });
  it('never goes negative', () => {
    expect(formatDuration(-5000)).toBe('00:00');
    expect(formatDuration(Number.NaN)).toBe('00:00');
  });
});

describe('formatChange', () => {
  it('signs the difference and the percentage', () => {
    expect(formatChange(318, 284)).toEqual({ dir: 'up', diff: '+34', pct: '+12.0%' });
    expect(formatChange(90, 100)).toEqual({ dir: 'down', diff: '-10', pct: '-10.0%' });
    expect(formatChange(5, 5)).toEqual({ dir: 'flat', diff: '±0', pct: '+0.0%' });
  });
  it('has no percentage when yesterday had nothing', () => {
    expect(formatChange(3, 0)).toEqual({ dir: 'up', diff: '+3', pct: '' });
    expect(formatChange(0, 0)).toEqual({ dir: 'flat', diff: '±0', pct: '' });
  });
});

describe('labels', () => {
  it('names limits and kinds in Chinese', () => {
    expect(limitLabel('sign')).toBe('签收');
    expect(limitLabel('arrive')).toBe('到场');
    expect(limitLabel('feedback')).toBe('反馈');
    expect(kindLabel('alarm')).toBe('报警');
    expect(kindLabel('help')).toBe('求助');
    expect(kindLabel('complaint')).toBe('投诉');
    expect(kindLabel('other')).toBe('other');
  });
});

describe("the zone is the server's", () => {
  it('follows the zone the server announces, not a fixed +08:00', () => {
    try {
      setReportZone('Europe/Berlin');
      // 2020-10-03 06:32:08Z is 08:32:08 in Berlin (CEST).
      expect(formatClock(T)).toBe('08:32:08');
      expect(localDayKey(Date.UTC(2020, 9, 3, 22, 30))).toBe('2020-10-04');
    } finally {
      setReportZone('Asia/Shanghai');
    }
  });
});

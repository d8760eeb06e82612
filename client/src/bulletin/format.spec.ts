import type { DrillRow } from '@wall/shared';
import { describe, expect, it } from 'vitest';
import { dayTime, drillCellText, formatPoints, formatRate } from './format';
import { setReportZone } from '../lib/zone';

// As the server announces it with its default TZ_REPORTS.
setReportZone('Asia/Shanghai');

const arrival = (unitType: string, seconds: number | null, late: boolean) => ({
  unit: `ouhai.${unitType}`,
  unitType,
  dispatchedAt: '2020-08-25T02:00:00.000Z',
  arrivedAt: seconds === null ? null : new Date(Date.parse('2020-08-25T02:00:00Z') + seconds * 1000).toISOString(),
  seconds,
  late,
});

describe('bulletin cell texts', () => {
  it('writes rates with two decimals and "-" without incidents', () => {
    expect(formatRate(99.61)).toBe('99.61%');
    expect(formatRate(100)).toBe('100.00%');
    expect(formatRate(null)).toBe('-');
  });

  it('writes drill cells as 分/秒, "-" when not called, 未到场 when nobody came', () => {
    const row: DrillRow = {
      incident: 'd',
      center: 'ouhai',
      at: '2020-08-25T02:00:00.000Z',
      arrivals: [arrival('emergency', 27 * 60 + 30, true), arrival('police', 180, false), arrival('power', null, true)],
      lateCount: 2,
    };
    expect(drillCellText(row, 'emergency')).toEqual({ text: '27分30秒', late: true });
    expect(drillCellText(row, 'police')).toEqual({ text: '3分', late: false });
    expect(drillCellText(row, 'power')).toEqual({ text: '未到场', late: true });
    expect(drillCellText(row, 'health')).toEqual({ text: '-', late: false });
  });

  it('writes points without float noise', () => {
    expect(formatPoints(0.1 + 0.2)).toBe('0.3');
    expect(formatPoints(4)).toBe('4');
  });
});

describe('dayTime', () => {
  it('writes an instant in Shanghai time, across the UTC date line', () => {
    expect(dayTime('2020-07-31T16:30:00Z')).toBe('8月1日 00:30');
  });
});

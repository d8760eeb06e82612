import { describe, expect, it } from 'vitest';
import { monthTitle } from '@wall/shared';
import { monthFromSearch, previousMonth } from './month';

describe('the bulletin month', () => {
  it('takes a valid ?month=', () => {
    expect(monthFromSearch('?month=2020-08', new Date(2020, 9, 5))).toBe('2020-08');
  });
  it('falls back to the month before now, across a year end', () => {
    expect(monthFromSearch('?month=2020-13', new Date(2020, 9, 5))).toBe('2020-09');
    expect(monthFromSearch('', new Date(2021, 0, 15))).toBe('2020-12');
    expect(previousMonth(new Date(2020, 2, 31))).toBe('2020-02');
  });
  it('labels a month as the bulletin does', () => {
    expect(monthTitle('2020-08')).toBe('2020年8月');
  });
});

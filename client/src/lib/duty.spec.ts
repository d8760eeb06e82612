import { describe, expect, it } from 'vitest';
import { activeDuty } from './duty';

const local = (y: number, m: number, d: number, h = 12) => Date.UTC(y, m - 1, d, h - 8);

describe('activeDuty', () => {
  it('is on for National Day + Mid-Autumn 2020, both ends inclusive, in Shanghai time', () => {
    expect(activeDuty(local(2020, 10, 1, 0))?.name).toBe('国庆·中秋');
    expect(activeDuty(local(2020, 10, 3))?.name).toBe('国庆·中秋');
    expect(activeDuty(local(2020, 10, 8, 23))?.name).toBe('国庆·中秋');
  });
  it('is off outside the periods', () => {
    expect(activeDuty(local(2020, 9, 30, 23))).toBeNull();
    expect(activeDuty(local(2020, 10, 9, 0))).toBeNull();
    expect(activeDuty(local(2020, 8, 15))).toBeNull();
  });
  it('takes a custom list', () => {
    expect(activeDuty(local(2030, 1, 1), [{ name: 'x', from: '2030-01-01', to: '2030-01-01' }])?.name).toBe('x');
  });
});

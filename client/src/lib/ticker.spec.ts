import { describe, expect, it } from 'vitest';
import type { TickerItem } from '@wall/shared';
import { FRESH_MS, freshCount } from './ticker';

const item = (incident: string, t: number): TickerItem => ({
  incident,
  t,
  center: 'lucheng',
  district: 'lucheng',
  kind: 'alarm',
  category: '交通事故',
  summary: null,
  location: null,
});

describe('freshCount', () => {
  const now = 1_700_000_000_000;

  it('counts the newest rows reported within the last minute', () => {
    const items = [item('a', now - 1_000), item('b', now - FRESH_MS + 1), item('c', now - FRESH_MS), item('d', now - 5 * FRESH_MS)];
    expect(freshCount(items, now)).toBe(2);
  });

  it('treats a report stamped ahead of the wall clock as new', () => {
    expect(freshCount([item('a', now + 30_000), item('b', now - 2 * FRESH_MS)], now)).toBe(1);
  });

  it('is zero for an empty or a quiet ticker', () => {
    expect(freshCount([], now)).toBe(0);
    expect(freshCount([item('a', now - 10 * FRESH_MS)], now)).toBe(0);
  });

  it('drops rows as the clock moves on', () => {
    const items = [item('a', now - 1_000), item('b', now - 30_000)];
    expect(freshCount(items, now + 31_000)).toBe(1);
    expect(freshCount(items, now + 60_000)).toBe(0);
  });
});

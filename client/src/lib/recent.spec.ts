import { describe, expect, it } from 'vitest';
import type { TickerItem } from '@wall/shared';
import { RECENT_MAX, RECENT_STAGES, RECENT_TTL_MS, RecentIncidents, recentStage } from './recent';

const item = (id: string, t: number, district = 'lucheng'): TickerItem => ({
  incident: id,
  t,
  center: district,
  district,
  kind: 'alarm',
  category: '测试',
  summary: null,
  location: null,
});

describe('RecentIncidents', () => {
  it('marks incidents reported within the TTL, once', () => {
    const r = new RecentIncidents();
    const now = 1_000_000;
    expect(r.update([item('a', now - 1000), item('old', now - RECENT_TTL_MS - 1)], now)).toBe(true);
    expect(r.list().map((m) => m.incident)).toEqual(['a']);
    expect(r.update([item('a', now - 1000)], now + 1000)).toBe(false);
    expect(r.list()).toHaveLength(1);
  });

  it('fades a marker in RECENT_STAGES steps, saying so only when one is taken', () => {
    const r = new RecentIncidents();
    const now = 1_000_000;
    const step = RECENT_TTL_MS / RECENT_STAGES;
    r.update([item('a', now)], now);
    expect(r.list()[0]!.stage).toBe(0);
    expect(r.prune(now + step - 1)).toBe(false);
    expect(r.prune(now + step)).toBe(true);
    expect(r.list()[0]!.stage).toBe(1);
    expect(r.prune(now + step + 1000)).toBe(false);
    expect(r.prune(now + RECENT_TTL_MS - 1)).toBe(true);
    expect(r.list()[0]!.stage).toBe(RECENT_STAGES - 1);
    expect(recentStage(now, now - 5000)).toBe(0);
  });

  it('drops markers after the TTL', () => {
    const r = new RecentIncidents();
    const now = 1_000_000;
    r.update([item('a', now)], now);
    r.prune(now + RECENT_TTL_MS - 1);
    expect(r.list()).toHaveLength(1);
    expect(r.prune(now + RECENT_TTL_MS)).toBe(true);
    expect(r.list()).toHaveLength(0);
  });

  it('stays bounded however many incidents come', () => {
    const r = new RecentIncidents();
    let now = 1_000_000;
    for (let i = 0; i < 10_000; i++) {
      now += 10;
      r.update([item(`i${i}`, now), item(`i${i - 1}`, now - 10)], now);
      expect(r.list().length).toBeLessThanOrEqual(RECENT_MAX);
    }
    expect(r.list()[0]!.incident).toBe('i9999');
  });

  it('does not mark again an incident that left the ticker and came back within the TTL', () => {
    const r = new RecentIncidents();
    const now = 1_000_000;
    r.update([item('a', now)], now);
    r.update([item('b', now + 1)], now + 1);
    r.update([item('a', now)], now + 2);
    expect(r.list().filter((m) => m.incident === 'a')).toHaveLength(1);
  });
});

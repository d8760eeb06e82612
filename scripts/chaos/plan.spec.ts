import { describe, expect, it } from 'vitest';
import { planFaults } from './plan.js';

describe('the chaos plan', () => {
  const targets = { apis: 3, workers: 2, walls: 20 };
  it('replays: the same seed gives the same faults at the same offsets, another seed others', () => {
    expect(planFaults(42, 30, targets)).toEqual(planFaults(42, 30, targets));
    expect(planFaults(43, 30, targets)).not.toEqual(planFaults(42, 30, targets));
  });
  it('one fault every 5-20 s, none in the last 10 s; Redis faults 20 s apart, the receiver down once at a time', () => {
    const plan = planFaults(7, 30, targets);
    expect(plan[0]!.at).toBeGreaterThanOrEqual(5_000);
    for (const [i, f] of plan.entries()) {
      if (i > 0) expect(f.at - plan[i - 1]!.at).toBeGreaterThanOrEqual(5_000);
      if (i > 0) expect(f.at - plan[i - 1]!.at).toBeLessThanOrEqual(20_000);
      expect(f.at).toBeLessThan(30 * 60_000 - 10_000);
    }
    const redis = plan.filter((f) => f.kind.startsWith('redis'));
    for (let i = 1; i < redis.length; i++) expect(redis[i]!.at - redis[i - 1]!.at).toBeGreaterThanOrEqual(20_000);
    const receiver = plan.filter((f) => f.kind === 'receiver-down');
    for (let i = 1; i < receiver.length; i++) expect(receiver[i]!.at - receiver[i - 1]!.at).toBeGreaterThanOrEqual(60_000);
    expect(new Set(plan.map((f) => f.kind))).toEqual(new Set(['kill', 'pause', 'redis-kill', 'redis-pause', 'clock', 'receiver-down', 'wall-cut']));
    for (const f of plan.filter((f) => f.kind === 'pause')) expect(f.duration).toBeGreaterThanOrEqual(2_000);
    for (const f of plan.filter((f) => f.kind === 'pause')) expect(f.duration).toBeLessThanOrEqual(15_000);
  });
});

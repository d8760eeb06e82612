import { describe, expect, it } from 'vitest';
import type { StoredEvent } from './events.js';
import { prewarnShares, isPrewarned, warnAt } from './prewarn.js';
import { projectEvents } from './projection.js';
import { DEFAULT_INDEX, DEFAULT_REFERENCE, ReferenceIndex, referenceSchema } from './reference.js';
import { Zone } from './time.js';
import { buildWallSections } from './view.js';

const ZONE = new Zone('Asia/Shanghai');
const MIN = 60_000;
const T0 = Date.parse('2020-10-03T02:00:00Z');
const iso = (t: number) => new Date(t).toISOString();
const events = (limits?: Record<string, number>): StoredEvent[] => [
  { id: 'r', type: 'incident.reported', at: iso(T0 - MIN), t: T0 - MIN, incident: 'i', center: 'ruian', kind: 'alarm', category: '测试' } as StoredEvent,
  { id: 'd', type: 'order.dispatched', at: iso(T0), t: T0, incident: 'i', order: 'o', unit: 'ruian.power', ...(limits ? { deadlines: limits } : {}) } as StoredEvent,
];

describe('pre-warning shares', () => {
  it('default to 80 % of each limit; an admin sets them per limit kind', () => {
    expect(prewarnShares(DEFAULT_REFERENCE)).toEqual({ sign: 0.8, arrive: 0.8, feedback: 0.8 });
    expect(prewarnShares({ prewarnShares: { sign: 0.5 } })).toEqual({ sign: 0.5, arrive: 0.8, feedback: 0.8 });
  });

  it('must be a share between 0 and 1, named by field', () => {
    const bad = referenceSchema.safeParse({ ...DEFAULT_REFERENCE, prewarnShares: { arrive: 1.2 } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path.join('.')).toBe('prewarnShares.arrive');
    expect(referenceSchema.safeParse({ ...DEFAULT_REFERENCE, prewarnShares: { sign: 0.9 } }).success).toBe(true);
  });
});

describe('an order turns yellow at its share of a limit', () => {
  // A sign limit of 5 s: yellow from 4 s, red after 5 s.
  const state = projectEvents(events({ signMinutes: 5 / 60, arriveMinutes: 60, feedbackMinutes: 120 }), DEFAULT_INDEX, ZONE);
  const order = state.orders.get('o')!;

  it('at 80 %, not a millisecond before, until the limit', () => {
    expect(warnAt(order, 'sign', 0.8)).toBe(T0 + 4000);
    expect(isPrewarned(order, undefined, 'sign', T0 + 3999, 0.8)).toBe(false);
    expect(isPrewarned(order, undefined, 'sign', T0 + 4000, 0.8)).toBe(true);
    expect(isPrewarned(order, undefined, 'sign', T0 + 5000, 0.8)).toBe(true);
    expect(isPrewarned(order, undefined, 'sign', T0 + 5001, 0.8)).toBe(false); // red now
  });

  it('on the wall sections at any instant, so replay shows it; red replaces yellow at the limit', () => {
    const at = (t: number) => buildWallSections(state, t, DEFAULT_INDEX, ZONE).overdue;
    expect(at(T0 + 3999).warnings!.items).toEqual([]);
    expect(at(T0 + 4200).warnings!.items).toEqual([
      { order: 'o', incident: 'i', unit: 'ruian.power', unitType: 'power', center: 'ruian', district: 'ruian', limit: 'sign', warnAt: T0 + 4000, dueAt: T0 + 5000, location: null },
    ]);
    expect(at(T0 + 4200).total).toBe(0);
    const late = at(T0 + 5001);
    expect(late.warnings!.total).toBe(0);
    expect(late.items.map((i) => i.limit)).toEqual(['sign']);
  });

  it("follows the admin's share for that limit kind", () => {
    const ref = new ReferenceIndex({ ...DEFAULT_REFERENCE, prewarnShares: { sign: 0.5 } });
    expect(buildWallSections(state, T0 + 2600, ref, ZONE).overdue.warnings!.total).toBe(1);
    expect(buildWallSections(state, T0 + 2600, DEFAULT_INDEX, ZONE).overdue.warnings!.total).toBe(0);
  });

  it('a met limit is never yellow', () => {
    const signed = projectEvents(
      [
        ...events({ signMinutes: 5 / 60, arriveMinutes: 60, feedbackMinutes: 120 }),
        { id: 's', type: 'order.signed', at: iso(T0 + 1000), t: T0 + 1000, incident: 'i', order: 'o' } as StoredEvent,
      ],
      DEFAULT_INDEX,
      ZONE,
    );
    expect(buildWallSections(signed, T0 + 4500, DEFAULT_INDEX, ZONE).overdue.warnings!.total).toBe(0);
  });
});

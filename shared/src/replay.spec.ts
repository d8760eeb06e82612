import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical } from './canonical.js';
import type { StoredEvent } from './events.js';
import { generateMonth } from './generator.js';
import { projectEvents } from './projection.js';
import { DEFAULT_INDEX } from './reference.js';
import { ReplayEngine } from './replay.js';
import { monthlyReport } from './report.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
const FROM = ZONE.startOfMonth('2020-08');
const TO = ZONE.startOfMonth('2020-09');
// A small month (about 12 incidents a day) keeps 100 from-scratch projections fast.
const EVENTS: StoredEvent[] = generateMonth(11, FROM, TO, (t) => ZONE.parts(t).hour, 12).map((e) => ({ ...e, t: Date.parse(e.at) }));

const upTo = (t: number) =>
  projectEvents(
    EVENTS.filter((e) => e.t <= t),
    DEFAULT_INDEX,
    ZONE,
  );

describe('ReplayEngine', () => {
  it('at random times, in random seek order, equals the projection of exactly the events with at <= T', () => {
    const engine = new ReplayEngine([...EVENTS].reverse(), DEFAULT_INDEX, ZONE, 500);
    fc.assert(
      fc.property(fc.integer({ min: FROM - 3600_000, max: TO + 3600_000 }), (t) => {
        const state = engine.seek(t);
        expect(engine.applied).toBe(EVENTS.filter((e) => e.t <= t).length);
        expect(canonical(state)).toEqual(canonical(upTo(t)));
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('seeking back to a checkpoint leaves the checkpoint unchanged for the next seek', () => {
    const engine = new ReplayEngine(EVENTS, DEFAULT_INDEX, ZONE, 500);
    const mid = FROM + 15 * 86_400_000;
    engine.seek(TO);
    const first = canonical(engine.seek(mid));
    engine.seek(mid + 86_400_000);
    expect(canonical(engine.seek(mid))).toEqual(first);
  });

  it('at the end of the month equals the monthly report', () => {
    const engine = new ReplayEngine(EVENTS, DEFAULT_INDEX, ZONE);
    const replayed = monthlyReport(engine.seek(TO + 86_400_000), '2020-08', DEFAULT_INDEX);
    expect(replayed).toEqual(monthlyReport(projectEvents(EVENTS, DEFAULT_INDEX, ZONE), '2020-08', DEFAULT_INDEX));
    expect(replayed.total.incidents).toBeGreaterThan(300);
  });

  it('lists the events of a window and counts up to a time', () => {
    const engine = new ReplayEngine(EVENTS, DEFAULT_INDEX, ZONE);
    const t = FROM + 2 * 86_400_000;
    const window = engine.between(t, t + 3600_000);
    expect(window.every((e) => e.t > t && e.t <= t + 3600_000)).toBe(true);
    expect(window.length).toBe(EVENTS.filter((e) => e.t > t && e.t <= t + 3600_000).length);
    expect(engine.countUntil(FROM - 1)).toBe(0);
    expect(engine.countUntil(TO + 86_400_000)).toBe(EVENTS.length);
  });
});

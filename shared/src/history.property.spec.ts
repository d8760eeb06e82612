import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSESSMENT_RULES, assessmentReport } from './assessment.js';
import type { StoredEvent } from './events.js';
import { artifactState, closeMonth, evictClosed, firstLiveMonth, foldEvictionTime, settleSpan } from './history.js';
import { applyEvent, emptyState, projectEvents, type ProjectionState } from './projection.js';
import { qualityReport } from './quality.js';
import { CENTERS, DEFAULT_INDEX, UNITS } from './reference.js';
import { ReplayEngine } from './replay.js';
import { drillReport, monthlyReport } from './report.js';
import { rng, shuffled } from './seeded-random.js';
import { Zone } from './time.js';
import { buildWallSections } from './view.js';

// Issue 15's property: for random events spread over several months, delivered in any order,
// the live window plus the closed months' artifacts give the same reports, wall sections and
// replay states as one fold of everything. Lifecycles run up to four weeks past their report
// (inside the settle span, the documented rule), cross month edges, have orders before their
// report, and arrive in any order, with duplicates.

const ZONE = new Zone('Asia/Shanghai');
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const MIN = 60_000;
const DAY = 1440 * MIN;
/** 2020-05-01 00:00 in Wenzhou; reports run to late September. */
const START = ZONE.startOfMonth('2020-05');
const SPAN_MINUTES = Math.round((ZONE.startOfMonth('2020-09') + 25 * DAY - START) / MIN);
const iso = (t: number) => new Date(t).toISOString();
const CENTER_IDS = CENTERS.map((c) => c.id);
const UNITS_OF = new Map(CENTER_IDS.map((c) => [c, UNITS.filter((u) => u.center === c).map((u) => u.id)]));

const orderArb = fc.record({
  unit: fc.nat(),
  dispatchOffset: fc.integer({ min: -5 * 60, max: 3600 }),
  sign: fc.option(fc.integer({ min: 0, max: 15 * 60 })),
  arrive: fc.option(fc.integer({ min: 0, max: 40 * 60 })),
  // Feedback up to four weeks late: across a month edge, inside the settle span.
  feedbacks: fc.array(fc.integer({ min: 0, max: 27 * 1440 * 60 }), { maxLength: 2 }),
  returned: fc.option(fc.integer({ min: 0, max: 30 * 60 }), { freq: 4 }),
});

const incidentArb = fc.record({
  center: fc.constantFrom(...CENTER_IDS),
  minute: fc.integer({ min: 0, max: SPAN_MINUTES }),
  drill: fc.integer({ min: 0, max: 8 }).map((x) => x === 0),
  reported: fc.integer({ min: 0, max: 12 }).map((x) => x !== 0),
  mark: fc.option(fc.record({ offset: fc.integer({ min: 1, max: 5 * 1440 }), drill: fc.boolean() }), { freq: 6 }),
  close: fc.option(fc.integer({ min: -10, max: 20 * 1440 }), { freq: 2 }),
  orders: fc.array(orderArb, { maxLength: 3 }),
});
type Spec = typeof incidentArb extends fc.Arbitrary<infer T> ? T : never;

function toEvents(specs: Spec[]): StoredEvent[] {
  const events: StoredEvent[] = [];
  specs.forEach((spec, k) => {
    const incident = `i${k}`;
    const t = START + spec.minute * MIN;
    if (spec.reported) {
      events.push({
        id: `${incident}-r`,
        type: 'incident.reported',
        at: iso(t),
        t,
        incident,
        center: spec.center,
        kind: 'alarm',
        category: '其他',
        ...(spec.drill ? { drill: true } : {}),
      } as StoredEvent);
    }
    if (spec.mark) {
      const tm = t + spec.mark.offset * MIN;
      events.push({ id: `${incident}-m`, type: 'incident.marked', at: iso(tm), t: tm, incident, drill: spec.mark.drill, by: 'admin' } as StoredEvent);
    }
    if (spec.close !== null) events.push({ id: `${incident}-c`, type: 'incident.closed', at: iso(t + spec.close * MIN), t: t + spec.close * MIN, incident });
    spec.orders.forEach((o, j) => {
      const order = `${incident}-o${j}`;
      const units = UNITS_OF.get(spec.center)!;
      const d = t + o.dispatchOffset * 1000;
      const at = (s: number) => ({ at: iso(d + s * 1000), t: d + s * 1000 });
      events.push({ id: `${order}-d`, type: 'order.dispatched', ...at(0), incident, order, unit: units[o.unit % units.length]! } as StoredEvent);
      if (o.sign !== null) events.push({ id: `${order}-s`, type: 'order.signed', ...at(o.sign), incident, order });
      if (o.arrive !== null) events.push({ id: `${order}-a`, type: 'order.arrived', ...at(o.arrive), incident, order });
      o.feedbacks.forEach((f, n) => events.push({ id: `${order}-f${n}`, type: 'order.feedback', ...at(f), incident, order, stage: 'progress' }));
      if (o.returned !== null) events.push({ id: `${order}-x`, type: 'order.returned', ...at(o.returned), incident, order, reason: '退单' });
    });
  });
  return events;
}

/** What the store holds: day partitions in arrival order, an id stored once. */
function partitions(arrivals: StoredEvent[]): Map<string, StoredEvent[]> {
  const seen = new Set<string>();
  const days = new Map<string, StoredEvent[]>();
  for (const e of arrivals) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const day = ZONE.dayKey(e.t);
    let list = days.get(day);
    if (!list) days.set(day, (list = []));
    list.push(e);
  }
  return days;
}

function expectSame(actual: unknown, expected: unknown, name: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, name).toEqual(expected);
}

const project = (events: Iterable<StoredEvent>) => projectEvents(events, DEFAULT_INDEX, ZONE);

/** A start without a checkpoint: every day partition in order, evicting behind the fold (two months back), then at `now`. */
function rebuild(days: Map<string, StoredEvent[]>, now: number): ProjectionState {
  const state = emptyState();
  for (const day of [...days.keys()].sort()) {
    for (const e of days.get(day)!) applyEvent(state, e, DEFAULT_INDEX, ZONE);
    evictClosed(state, foldEvictionTime(day, now, ZONE), ZONE);
  }
  evictClosed(state, now, ZONE);
  return state;
}

describe('a window and closed months give what one fold of everything gives', () => {
  it('reports of closed months from their spans, the wall and live months from the window, replay from the partitions', () => {
    fc.assert(
      fc.property(fc.array(incidentArb, { minLength: 1, maxLength: 40, size: 'max' }), fc.integer(), fc.integer({ min: 0, max: 20 * 1440 }), (specs, seed, nowMinute) => {
        const rand = rng(seed);
        const events = toEvents(specs);
        const now = ZONE.startOfMonth('2020-09') + 10 * DAY + nowMinute * MIN;
        // Any arrival order, some events sent twice.
        const arrivals = shuffled([...events, ...events.filter(() => rand(6) === 0)], rand);
        const full = project(arrivals);
        const days = partitions(arrivals);
        const firstLive = firstLiveMonth(now, ZONE);

        for (const month of ['2020-04', '2020-05', '2020-06', '2020-07']) {
          const span = project(
            shuffled(
              settleSpan(month).flatMap((d) => days.get(d) ?? []),
              rand,
            ),
          );
          const artifact = JSON.parse(JSON.stringify(closeMonth(span, month, DEFAULT_INDEX, ZONE, { now, events: 0 })));
          const state = artifactState(artifact);
          expectSame(monthlyReport(state, month, DEFAULT_INDEX), monthlyReport(full, month, DEFAULT_INDEX), `${month} monthly`);
          expectSame(
            assessmentReport(state, month, DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES),
            assessmentReport(full, month, DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES),
            `${month} assessment`,
          );
          expectSame(artifact.drills, drillReport(full, month, DEFAULT_INDEX, ZONE), `${month} drills`);
          expectSame(artifact.quality, qualityReport(full, month, ZONE, { now }), `${month} quality`);
        }

        const wall = buildWallSections(full, now, DEFAULT_INDEX, ZONE);
        const live = project(arrivals);
        evictClosed(live, now, ZONE);
        const restarted = rebuild(days, now);
        for (const [name, state] of [
          ['live', live],
          ['restarted', restarted],
        ] as const) {
          expectSame(buildWallSections(state, now, DEFAULT_INDEX, ZONE), wall, `${name} wall`);
          for (const month of [firstLive, '2020-09']) {
            expectSame(monthlyReport(state, month, DEFAULT_INDEX), monthlyReport(full, month, DEFAULT_INDEX), `${name} ${month}`);
            expectSame(qualityReport(state, month, ZONE, { now }), qualityReport(full, month, ZONE, { now }), `${name} ${month} quality`);
          }
          expect([...state.open].sort(), `${name} open`).toEqual([...full.open].sort());
          // The window holds its months and what is open, not history.
          for (const incident of state.incidents.values()) {
            const old = incident.report ? ZONE.monthKey(incident.report.t) < firstLive : false;
            if (old && ![...incident.orders].some((o) => state.open.has(o))) expect.fail(`${incident.id} kept, closed and old`);
          }
        }

        // A replay of a day range from the partitions (days in range, at within) is the replay of everything in it.
        const from = START + rand(SPAN_MINUTES) * MIN;
        const to = from + rand(3 * 1440) * MIN;
        const inRange = (e: StoredEvent) => e.t >= from && e.t <= to;
        const fromParts: StoredEvent[] = [];
        for (const [day, list] of days) if (day >= ZONE.dayKey(from) && day <= ZONE.dayKey(to)) fromParts.push(...list.filter(inRange));
        const a = new ReplayEngine(fromParts, DEFAULT_INDEX, ZONE, 16);
        const b = new ReplayEngine(events.filter(inRange), DEFAULT_INDEX, ZONE, 16);
        const at = from + rand(Math.max(1, to - from));
        expectSame(buildWallSections(a.seek(at), at, DEFAULT_INDEX, ZONE), buildWallSections(b.seek(at), at, DEFAULT_INDEX, ZONE), 'replay');
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

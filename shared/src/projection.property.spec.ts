import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseStored, type StoredEvent } from './events.js';
import { applyEvent, cloneState, emptyState, isDrill, projectEvents, type ProjectionState, type Tally } from './projection.js';
import { CENTERS, DEFAULT_INDEX, UNITS } from './reference.js';
import { drillReport, monthlyReport } from './report.js';
import { rng, shuffled } from './seeded-random.js';
import { Zone } from './time.js';
import { buildWallSections } from './view.js';
import { canonical } from './canonical.js';

// Contract: "Final state, counts and reports depend only on the set of events and their `at`,
// never on the order or batching in which they arrived."

const ZONE = new Zone('Asia/Shanghai');
/** PROPERTY_RUNS: fewer under mutation testing (each mutant runs this), more for a long run. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const MIN = 60_000;
/** 2020-08-30 00:00 in Wenzhou: the window spans the August/September edge. */
const WINDOW_START = Date.parse('2020-08-29T16:00:00Z');
const WINDOW_MINUTES = 3 * 24 * 60;
const iso = (t: number) => new Date(t).toISOString();

const CENTER_IDS = CENTERS.map((c) => c.id);
const UNITS_OF = new Map(CENTER_IDS.map((c) => [c, UNITS.filter((u) => u.center === c).map((u) => u.id)]));
const ALL_UNITS = UNITS.map((u) => u.id);

const deadlinesArb = fc.record(
  {
    signMinutes: fc.constantFrom(0.05, 1, 5, 12.5),
    arriveMinutes: fc.constantFrom(0.5, 10, 20, 30),
    feedbackMinutes: fc.constantFrom(0.05, 30, 60, 90),
  },
  { requiredKeys: [] },
);

const orderArb = fc.record({
  unit: fc.nat(),
  dispatchOffset: fc.integer({ min: -5 * 60, max: 60 * 60 }), // seconds after the report
  deadlines: fc.option(deadlinesArb, { freq: 3 }),
  sign: fc.option(fc.integer({ min: 0, max: 15 * 60 })), // seconds after dispatch
  arrive: fc.option(fc.integer({ min: 0, max: 40 * 60 })),
  feedbacks: fc.array(fc.integer({ min: 0, max: 120 * 60 }), { maxLength: 3 }),
  returned: fc.option(fc.integer({ min: 0, max: 30 * 60 }), { freq: 3 }),
  // A conflicting duplicate dispatch: other id, unit, time, maybe another incident.
  alt: fc.option(fc.record({ unit: fc.nat(), offset: fc.constantFrom(-120, -1, 0, 0, 1, 60), incident: fc.nat() }), { freq: 5 }),
});

const incidentArb = fc.record({
  center: fc.constantFrom(...CENTER_IDS),
  district: fc.nat(),
  minute: fc.integer({ min: 0, max: WINDOW_MINUTES }),
  seconds: fc.integer({ min: 0, max: 59 }),
  drill: fc.integer({ min: 0, max: 6 }).map((x) => x === 0),
  reported: fc.integer({ min: 0, max: 9 }).map((x) => x !== 0),
  // A conflicting duplicate report (other id): other time, center, drill flag.
  alt: fc.option(fc.record({ offset: fc.integer({ min: -24 * 60, max: 24 * 60 }), center: fc.constantFrom(...CENTER_IDS), drill: fc.boolean() }), { freq: 6 }),
  // An admin's drill marks (minutes after the report, the mark): the latest by time wins.
  marks: fc.array(fc.record({ offset: fc.integer({ min: -30, max: 24 * 60 }), drill: fc.boolean() }), { maxLength: 2 }),
  close: fc.option(fc.integer({ min: -10, max: 240 })), // minutes after the report
  secondClose: fc.option(fc.integer({ min: 0, max: 300 }), { freq: 5 }),
  orders: fc.array(orderArb, { maxLength: 3 }),
});

type IncidentSpec = typeof incidentArb extends fc.Arbitrary<infer T> ? T : never;

function reported(id: string, incident: string, t: number, center: string, districtPick: number, drill: boolean): StoredEvent {
  const c = CENTERS.find((x) => x.id === center)!;
  const district = c.districts.length > 1 ? { district: c.districts[districtPick % c.districts.length] } : {};
  return {
    id,
    type: 'incident.reported',
    at: iso(t),
    t,
    incident,
    center,
    kind: (['alarm', 'help', 'complaint'] as const)[districtPick % 3]!,
    category: '其他',
    ...district,
    ...(drill ? { drill: true } : districtPick % 2 ? { drill: false } : {}),
  } as StoredEvent;
}

/** Every incident's lifecycle as events, with unique ids. */
function toEvents(specs: IncidentSpec[]): StoredEvent[] {
  const events: StoredEvent[] = [];
  specs.forEach((spec, k) => {
    const incident = `i${k}`;
    const t = WINDOW_START + spec.minute * MIN + spec.seconds * 1000;
    if (spec.reported) events.push(reported(`${incident}-r`, incident, t, spec.center, spec.district, spec.drill));
    if (spec.alt) events.push(reported(`${incident}-r2`, incident, t + spec.alt.offset * MIN, spec.alt.center, spec.district + 1, spec.alt.drill));
    spec.marks.forEach((m, n) => {
      const tm = t + m.offset * MIN;
      events.push({ id: `${incident}-m${n}`, type: 'incident.marked', at: iso(tm), t: tm, incident, drill: m.drill, by: 'admin' } as StoredEvent);
    });
    if (spec.close !== null) {
      events.push({ id: `${incident}-c`, type: 'incident.closed', at: iso(t + spec.close * MIN), t: t + spec.close * MIN, incident });
      if (spec.secondClose !== null) {
        const c2 = t + spec.secondClose * MIN;
        events.push({ id: `${incident}-c2`, type: 'incident.closed', at: iso(c2), t: c2, incident });
      }
    }
    spec.orders.forEach((o, j) => {
      const order = `${incident}-o${j}`;
      const units = UNITS_OF.get(spec.center)!;
      const d = t + o.dispatchOffset * 1000;
      const at = (s: number) => ({ at: iso(d + s * 1000), t: d + s * 1000 });
      events.push({
        id: `${order}-d`,
        type: 'order.dispatched',
        ...at(0),
        incident,
        order,
        unit: units[o.unit % units.length]!,
        ...(o.deadlines ? { deadlines: o.deadlines } : {}),
      } as StoredEvent);
      if (o.alt) {
        events.push({
          id: `${order}-d2`,
          type: 'order.dispatched',
          ...at(o.alt.offset),
          incident: `i${o.alt.incident % specs.length}`,
          order,
          unit: ALL_UNITS[o.alt.unit % ALL_UNITS.length]!,
        } as StoredEvent);
      }
      if (o.sign !== null) events.push({ id: `${order}-s`, type: 'order.signed', ...at(o.sign), incident, order });
      if (o.arrive !== null) events.push({ id: `${order}-a`, type: 'order.arrived', ...at(o.arrive), incident, order });
      o.feedbacks.forEach((f, n) => events.push({ id: `${order}-f${n}`, type: 'order.feedback', ...at(f), incident, order, stage: n ? 'result' : 'progress' }));
      if (o.returned !== null) events.push({ id: `${order}-x`, type: 'order.returned', ...at(o.returned), incident, order, reason: '退单' });
    });
  });
  return events;
}

const chronological = (a: StoredEvent, b: StoredEvent) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Maps and Sets as sorted arrays, undefined fields dropped: insertion order does not matter. */
const canon = canonical;

const project = (events: StoredEvent[]) => projectEvents(events, DEFAULT_INDEX, ZONE);

function inBatches(events: StoredEvent[], rand: (n: number) => number): ProjectionState {
  let state = emptyState();
  let i = 0;
  // Once, at a random point, the batches go on from a checkpoint copy (replay's cloneState).
  const checkpoint = rand(events.length + 1);
  let copied = false;
  while (i < events.length) {
    const size = 1 + rand(12);
    // A batch is applied sorted, as a sender might.
    for (const e of events.slice(i, i + size).sort(chronological)) applyEvent(state, e, DEFAULT_INDEX, ZONE);
    i += size;
    if (i >= checkpoint && !copied) {
      state = cloneState(state);
      copied = true;
    }
  }
  return state;
}

/** Deep equality through the canonical JSON (fast); toEqual only to show the difference. */
function expectSame(actual: unknown, expected: unknown, name: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, name).toEqual(expected);
}

function withDuplicates(events: StoredEvent[], rand: (n: number) => number): StoredEvent[] {
  const out = events.slice();
  // An incident of nothing (never reported, no orders) has no events to send twice.
  if (events.length === 0) return out;
  const copies = 1 + rand(Math.max(1, events.length));
  for (let c = 0; c < copies; c++) {
    const original = events[rand(events.length)]!;
    // Re-sent as stored: through JSON and back.
    const copy = rand(2) ? parseStored(JSON.stringify(original)) : { ...original };
    out.splice(rand(out.length + 1), 0, copy);
  }
  return out;
}

function monthsOf(...states: ProjectionState[]): string[] {
  const months = new Set(['2020-08', '2020-09']);
  for (const s of states) for (const m of s.months.keys()) months.add(m);
  return [...months].sort();
}

/** Reads the same month figures straight off the final facts, as an oracle for the incremental tallies. */
function recount(state: ProjectionState, month: string) {
  const r = { incidents: 0, closed: 0, orders: 0, feedbacks: 0, returned: 0 };
  for (const incident of state.incidents.values()) {
    const report = incident.report;
    if (!report || isDrill(incident) || ZONE.monthKey(report.t) !== month) continue;
    r.incidents++;
    if (incident.closedAt !== undefined) r.closed++;
    for (const id of incident.orders) {
      const order = state.orders.get(id)!;
      if (!order.dispatch) continue;
      r.orders++;
      r.feedbacks += order.feedbacks.size;
      if (order.returned) r.returned++;
    }
  }
  return r;
}

function checkInvariants(state: ProjectionState): void {
  // Plain checks in the loops (expect() per value is slow); expect() reports the first failure.
  const fail = (what: string) => expect.fail(what);
  for (const [month, tallies] of state.months) {
    // Each row counts its own center's incidents only, so the rows together hold each incident once.
    const tops = CENTERS.map((c) => tallies.centers.get(c.id));
    const sum = (rows: Array<Tally | undefined>, key: keyof Tally) => rows.reduce((n, t) => n + (t?.[key] ?? 0), 0);
    const units = [...tallies.units.values()];
    const expected = recount(state, month);
    for (const key of ['incidents', 'closed', 'orders', 'feedbacks', 'returned'] as const) {
      if (sum(tops, key) !== expected[key]) fail(`${month} ${key}: tallies ${sum(tops, key)}, facts ${expected[key]}`);
    }
    for (const key of ['orders', 'signed', 'feedbacks', 'unfed', 'returned', 'overdueFeedback'] as const) {
      if (sum(units, key) !== sum(tops, key)) fail(`${month} ${key}: units ${sum(units, key)}, centers ${sum(tops, key)}`);
    }
    for (const t of [...tallies.centers.values(), ...units]) {
      if (!Object.values(t).every((v) => v >= 0)) fail(`${month}: negative tally ${JSON.stringify(t)}`);
      if (Object.values(t).every((v) => v === 0)) fail(`${month}: zero tally kept`);
    }
  }
  for (const id of state.open) {
    const order = state.orders.get(id)!;
    if (!order.dispatch) fail(`open order ${id} without dispatch`);
    if (isDrill(state.incidents.get(order.dispatch!.incident))) fail(`open order ${id} of a drill`);
  }
}

describe('the projection depends only on the set of events', () => {
  it('chronological, permuted, batched and duplicated arrival give the same state, reports and wall', () => {
    fc.assert(
      fc.property(
        fc.array(incidentArb, { minLength: 1, maxLength: 24, size: 'max' }),
        fc.integer(),
        fc.integer({ min: -6 * 60, max: WINDOW_MINUTES + 6 * 60 }),
        (specs, seed, nowMinute) => {
          const rand = rng(seed);
          const events = toEvents(specs);
          const now = WINDOW_START + nowMinute * MIN;

          const reference = project(events.slice().sort(chronological));
          checkInvariants(reference);
          const variants: Array<[string, ProjectionState]> = [
            ['permuted', project(shuffled(events, rand))],
            ['reversed', project(events.slice().sort(chronological).reverse())],
            ['batched', inBatches(shuffled(events, rand), rand)],
            ['duplicated', project(withDuplicates(shuffled(events, rand), rand))],
          ];
          // Replaying everything once more changes nothing.
          const replayed = cloneState(reference);
          for (const e of shuffled(events, rand)) applyEvent(replayed, e, DEFAULT_INDEX, ZONE);
          variants.push(['replayed', replayed]);

          const expectedState = canon(reference);
          const months = monthsOf(reference, ...variants.map(([, s]) => s));
          const expectedReports = months.map((m) => monthlyReport(reference, m, DEFAULT_INDEX));
          const expectedDrills = months.map((m) => drillReport(reference, m, DEFAULT_INDEX, ZONE));
          const expectedWall = buildWallSections(reference, now, DEFAULT_INDEX, ZONE);
          for (const [name, state] of variants) {
            expectSame(canon(state), expectedState, name);
            expectSame(
              months.map((m) => monthlyReport(state, m, DEFAULT_INDEX)),
              expectedReports,
              name,
            );
            expectSame(
              months.map((m) => drillReport(state, m, DEFAULT_INDEX, ZONE)),
              expectedDrills,
              name,
            );
            expectSame(buildWallSections(state, now, DEFAULT_INDEX, ZONE), expectedWall, name);
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);
});

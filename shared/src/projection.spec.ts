import { describe, it, expect } from 'vitest';
import type { StoredEvent } from './events.js';
import { applyEvent, cloneState, dueAt, emptyState, emptyTally, limitStatus, milestoneAt, projectEvents, type ProjectionState, type Tally } from './projection.js';
import { DEFAULT_INDEX } from './reference.js';
import { monthlyReport } from './report.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
const MIN = 60_000;
/** Dispatch instant of most cases: 2020-08-25 10:00 in Wenzhou. */
const D = Date.parse('2020-08-25T02:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

// Event builders: times are epoch ms, ids explicit so tie-breaks are visible.
const ev = {
  reported: (id: string, incident: string, t: number, center: string, more: Record<string, unknown> = {}): StoredEvent =>
    ({ id, type: 'incident.reported', at: iso(t), t, incident, center, kind: 'alarm', category: '其他', ...more }) as StoredEvent,
  dispatched: (id: string, incident: string, order: string, t: number, unit: string, more: Record<string, unknown> = {}): StoredEvent =>
    ({ id, type: 'order.dispatched', at: iso(t), t, incident, order, unit, ...more }) as StoredEvent,
  signed: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.signed', at: iso(t), t, incident, order }),
  arrived: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.arrived', at: iso(t), t, incident, order }),
  feedback: (id: string, incident: string, order: string, t: number, stage: 'progress' | 'result' = 'result'): StoredEvent => ({
    id,
    type: 'order.feedback',
    at: iso(t),
    t,
    incident,
    order,
    stage,
  }),
  returned: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.returned', at: iso(t), t, incident, order, reason: '非本单位职责' }),
  closed: (id: string, incident: string, t: number): StoredEvent => ({ id, type: 'incident.closed', at: iso(t), t, incident }),
};

const project = (events: StoredEvent[]) => projectEvents(events, DEFAULT_INDEX, ZONE);
const tally = (s: ProjectionState, month: string, kind: 'centers' | 'units', key: string): Tally | undefined => s.months.get(month)?.[kind].get(key);
const T = (fields: Partial<Tally>): Tally => ({ ...emptyTally(), ...fields });

function statuses(s: ProjectionState, order: string, now: number) {
  const o = s.orders.get(order)!;
  const i = s.incidents.get(o.dispatch!.incident);
  return {
    sign: limitStatus(o, i, 'sign', now),
    arrive: limitStatus(o, i, 'arrive', now),
    feedback: limitStatus(o, i, 'feedback', now),
  };
}

describe('a lifecycle against the default limits (sign 5, arrive 20, feedback 60 min from dispatch)', () => {
  it('milestones exactly at the limit are met', () => {
    const s = project([
      ev.reported('r', 'i1', D - MIN, 'yongjia'),
      ev.dispatched('d', 'i1', 'o1', D, 'yongjia.police'),
      ev.signed('s', 'i1', 'o1', D + 5 * MIN),
      ev.arrived('a', 'i1', 'o1', D + 20 * MIN),
      ev.feedback('f', 'i1', 'o1', D + 60 * MIN),
      ev.closed('c', 'i1', D + 61 * MIN),
    ]);
    const o = s.orders.get('o1')!;
    expect(dueAt(o, 'sign')).toBe(D + 5 * MIN);
    expect(dueAt(o, 'arrive')).toBe(D + 20 * MIN);
    expect(dueAt(o, 'feedback')).toBe(D + 60 * MIN);
    expect(statuses(s, 'o1', D + 999 * MIN)).toEqual({ sign: 'met', arrive: 'met', feedback: 'met' });
    const row = T({ incidents: 1, closed: 1, orders: 1, signed: 1, feedbacks: 1, signMet: 1, arriveMet: 1 });
    expect(tally(s, '2020-08', 'centers', 'yongjia')).toEqual(row);
    expect(tally(s, '2020-08', 'units', 'yongjia.police')).toEqual(T({ orders: 1, signed: 1, feedbacks: 1, signMet: 1, arriveMet: 1 }));
    expect(s.open.size).toBe(0);
  });

  it('one second after each limit is late', () => {
    const s = project([
      ev.reported('r', 'i1', D, 'yongjia'),
      ev.dispatched('d', 'i1', 'o1', D, 'yongjia.police'),
      ev.signed('s', 'i1', 'o1', D + 5 * MIN + 1000),
      ev.arrived('a', 'i1', 'o1', D + 20 * MIN + 1000),
      ev.feedback('f', 'i1', 'o1', D + 60 * MIN + 1000),
    ]);
    expect(statuses(s, 'o1', D + 999 * MIN)).toEqual({ sign: 'late', arrive: 'late', feedback: 'late' });
    expect(tally(s, '2020-08', 'centers', 'yongjia')).toEqual(T({ incidents: 1, orders: 1, signed: 1, feedbacks: 1, overdueFeedback: 1, signLate: 1, arriveLate: 1 }));
  });

  it('deadlines in the dispatch override the defaults, fractions included, partially', () => {
    // sign 1 min, arrive 0.5 min = 30 s, feedback 0.05 min = 3 s
    const s = project([
      ev.reported('r', 'i1', D, 'yongjia'),
      ev.dispatched('d1', 'i1', 'o1', D, 'yongjia.police', { deadlines: { signMinutes: 1, arriveMinutes: 0.5, feedbackMinutes: 0.05 } }),
      ev.signed('s1', 'i1', 'o1', D + 60_000),
      ev.arrived('a1', 'i1', 'o1', D + 31_000),
      ev.feedback('f1', 'i1', 'o1', D + 3_000),
      // Only the arrival limit given: sign and feedback stay 5 and 60 min.
      ev.dispatched('d2', 'i1', 'o2', D, 'yongjia.fire', { deadlines: { arriveMinutes: 30 } }),
      ev.arrived('a2', 'i1', 'o2', D + 25 * MIN),
    ]);
    const o1 = s.orders.get('o1')!;
    expect(dueAt(o1, 'sign')).toBe(D + 60_000);
    expect(dueAt(o1, 'arrive')).toBe(D + 30_000);
    expect(dueAt(o1, 'feedback')).toBe(D + 3_000);
    // The feedback at +3 s is the earliest milestone, so it also proves the signing.
    expect(milestoneAt(o1, 'sign')).toBe(D + 3_000);
    expect(statuses(s, 'o1', D + 999 * MIN)).toEqual({ sign: 'met', arrive: 'late', feedback: 'met' });
    const o2 = s.orders.get('o2')!;
    expect(o2.dispatch!.limits).toEqual({ signMinutes: 5, arriveMinutes: 30, feedbackMinutes: 60 });
    // o2 arrived at 25 min: late by default, met with the 30 min override; the arrival proves signing, late (25 > 5).
    expect(statuses(s, 'o2', D + 26 * MIN)).toEqual({ sign: 'late', arrive: 'met', feedback: 'pending' });
  });
});

describe('limitStatus', () => {
  const base = [ev.reported('r', 'i1', D, 'yongjia'), ev.dispatched('d', 'i1', 'o1', D, 'yongjia.police')];

  it('pending until the limit (inclusive), overdue one ms later', () => {
    const s = project(base);
    expect(statuses(s, 'o1', D + 5 * MIN)).toEqual({ sign: 'pending', arrive: 'pending', feedback: 'pending' });
    expect(statuses(s, 'o1', D + 5 * MIN + 1)).toEqual({ sign: 'overdue', arrive: 'pending', feedback: 'pending' });
    expect(statuses(s, 'o1', D + 20 * MIN + 1)).toEqual({ sign: 'overdue', arrive: 'overdue', feedback: 'pending' });
    expect(statuses(s, 'o1', D + 60 * MIN + 1)).toEqual({ sign: 'overdue', arrive: 'overdue', feedback: 'overdue' });
    expect(s.open).toEqual(new Set(['o1']));
  });

  it('void when the order was returned before the limit, missed when the incident closed after it', () => {
    const returned = project([...base, ev.returned('x', 'i1', 'o1', D + 3 * MIN)]);
    // Returning proves the order was received: sign met at +3.
    expect(statuses(returned, 'o1', D + 999 * MIN)).toEqual({ sign: 'met', arrive: 'void', feedback: 'void' });
    expect(returned.open.size).toBe(0);

    const closed = project([...base, ev.closed('c', 'i1', D + 30 * MIN)]);
    expect(statuses(closed, 'o1', D + 999 * MIN)).toEqual({ sign: 'missed', arrive: 'missed', feedback: 'void' });
    expect(closed.open.size).toBe(0);
  });

  it('is undefined for an order whose dispatch has not arrived', () => {
    const s = project([ev.signed('s', 'i1', 'o1', D)]);
    const o = s.orders.get('o1')!;
    expect(limitStatus(o, s.incidents.get('i1'), 'sign', D)).toBeUndefined();
    expect(dueAt(o, 'arrive')).toBeUndefined();
  });
});

describe('month tallies', () => {
  it('count every feedback submission, but only the first decides overdueFeedback', () => {
    const s = project([
      ev.reported('r', 'i1', D, 'yongjia'),
      // o1: first feedback at 50 min (in time), a second at 90 min: 2 submissions, not overdue.
      ev.dispatched('d1', 'i1', 'o1', D, 'yongjia.police'),
      ev.feedback('f1b', 'i1', 'o1', D + 90 * MIN),
      ev.feedback('f1a', 'i1', 'o1', D + 50 * MIN, 'progress'),
      // o2: first at 61 min, second at 62: 2 submissions, overdue.
      ev.dispatched('d2', 'i1', 'o2', D, 'yongjia.fire'),
      ev.feedback('f2a', 'i1', 'o2', D + 61 * MIN, 'progress'),
      ev.feedback('f2b', 'i1', 'o2', D + 62 * MIN),
      // o3: three feedbacks, all in time.
      ev.dispatched('d3', 'i1', 'o3', D, 'yongjia.water'),
      ev.feedback('f3a', 'i1', 'o3', D + 10 * MIN, 'progress'),
      ev.feedback('f3b', 'i1', 'o3', D + 20 * MIN, 'progress'),
      ev.feedback('f3c', 'i1', 'o3', D + 30 * MIN),
    ]);
    const row = tally(s, '2020-08', 'centers', 'yongjia')!;
    expect(row.feedbacks).toBe(7);
    expect(row.overdueFeedback).toBe(1);
    expect(row.unfed).toBe(0);
    expect(tally(s, '2020-08', 'units', 'yongjia.police')!.feedbacks).toBe(2);
    expect(tally(s, '2020-08', 'units', 'yongjia.fire')!.overdueFeedback).toBe(1);
    expect(statuses(s, 'o1', D + 999 * MIN).feedback).toBe('met');
    expect(statuses(s, 'o2', D + 999 * MIN).feedback).toBe('late');
  });

  it('count returned orders as returned and signed, not unfed', () => {
    const s = project([
      ev.reported('r', 'i1', D, 'yongjia'),
      ev.dispatched('d1', 'i1', 'o1', D, 'yongjia.utilities'),
      ev.returned('x1', 'i1', 'o1', D + 3 * MIN),
      // Returned at 10 min without a signing: implied signing is late.
      ev.dispatched('d2', 'i1', 'o2', D, 'yongjia.utilities'),
      ev.returned('x2', 'i1', 'o2', D + 10 * MIN),
    ]);
    expect(tally(s, '2020-08', 'units', 'yongjia.utilities')).toEqual(T({ orders: 2, signed: 2, returned: 2, signMet: 1, signLate: 1 }));
    expect(monthlyReport(s, '2020-08', DEFAULT_INDEX).units.find((u) => u.unit === 'yongjia.utilities')).toMatchObject({
      orders: 2,
      signed: 2,
      unsigned: 0,
      unfed: 0,
      returned: 2,
    });
  });

  it('count an order without feedback as unfed, signed or not', () => {
    const s = project([
      ev.reported('r', 'i1', D, 'city', { district: 'lucheng' }),
      ev.dispatched('d1', 'i1', 'o1', D, 'city.power'),
      ev.signed('s1', 'i1', 'o1', D + MIN),
      ev.dispatched('d2', 'i1', 'o2', D, 'city.power'),
    ]);
    expect(tally(s, '2020-08', 'units', 'city.power')).toEqual(T({ orders: 2, signed: 1, unfed: 2, signMet: 1 }));
    expect(tally(s, '2020-08', 'centers', 'city')).toEqual(T({ incidents: 1, orders: 2, signed: 1, unfed: 2, signMet: 1 }));
  });

  it('ignore an event id seen before, even with other content', () => {
    const s = emptyState();
    const apply = (e: StoredEvent) => applyEvent(s, e, DEFAULT_INDEX, ZONE);
    apply(ev.reported('r', 'i1', D, 'yongjia'));
    apply(ev.dispatched('d', 'i1', 'o1', D, 'yongjia.police'));
    expect(apply(ev.feedback('f', 'i1', 'o1', D + MIN))).toEqual({ incidents: ['i1'], orders: ['o1'] });
    expect(apply(ev.feedback('f', 'i1', 'o1', D + MIN))).toEqual({ incidents: [], orders: [] });
    expect(apply(ev.feedback('f', 'i1', 'o1', D + 2 * MIN))).toEqual({ incidents: [], orders: [] });
    expect(apply(ev.reported('r', 'i1', D, 'yongjia'))).toEqual({ incidents: [], orders: [] });
    expect(tally(s, '2020-08', 'centers', 'yongjia')).toEqual(T({ incidents: 1, orders: 1, signed: 1, feedbacks: 1, signMet: 1 }));
    expect(s.seen.size).toBe(3);
  });
});

describe('arrival order', () => {
  it('an order.signed before its order.dispatched ends as if in order', () => {
    const report = ev.reported('r', 'i1', D, 'yongjia');
    const signed = ev.signed('s', 'i1', 'o1', D + 2 * MIN);
    const dispatched = ev.dispatched('d', 'i1', 'o1', D, 'yongjia.police');

    const s = project([report, signed]);
    // Known only by its signing: listed with the incident, but not counted nor watched.
    expect(s.incidents.get('i1')!.orders).toEqual(new Set(['o1']));
    expect(tally(s, '2020-08', 'centers', 'yongjia')).toEqual(T({ incidents: 1 }));
    expect(s.open.size).toBe(0);

    applyEvent(s, dispatched, DEFAULT_INDEX, ZONE);
    const expected = T({ incidents: 1, orders: 1, signed: 1, unfed: 1, signMet: 1 });
    expect(tally(s, '2020-08', 'centers', 'yongjia')).toEqual(expected);
    expect(s.open).toEqual(new Set(['o1']));
    expect(statuses(s, 'o1', D + 3 * MIN)).toEqual({ sign: 'met', arrive: 'pending', feedback: 'pending' });
    const inOrder = project([report, dispatched, signed]);
    expect(tally(inOrder, '2020-08', 'centers', 'yongjia')).toEqual(expected);
  });

  it('an incident.closed before its incident.reported', () => {
    const s = project([ev.closed('c', 'i1', D + 30 * MIN)]);
    expect(s.months.size).toBe(0);
    applyEvent(s, ev.reported('r', 'i1', D, 'ruian'), DEFAULT_INDEX, ZONE);
    expect(tally(s, '2020-08', 'centers', 'ruian')).toEqual(T({ incidents: 1, closed: 1 }));
    expect(monthlyReport(s, '2020-08', DEFAULT_INDEX).centers.find((c) => c.center === 'ruian')!.closedRate).toBe(100);
  });

  it('conflicting dispatches of one order: the smaller (at, id) wins in either order', () => {
    const report = ev.reported('r', 'i1', D, 'yongjia');
    // Same at: id "d-a" < "d-b" wins.
    const a = ev.dispatched('d-a', 'i1', 'o1', D, 'yongjia.fire');
    const b = ev.dispatched('d-b', 'i1', 'o1', D, 'yongjia.police');
    // Earlier at wins over a smaller id.
    const y = ev.dispatched('d-y', 'i1', 'o2', D, 'yongjia.water');
    const x = ev.dispatched('d-x', 'i1', 'o2', D + MIN, 'yongjia.street');
    for (const events of [
      [report, a, b, y, x],
      [report, b, a, x, y],
      [b, x, report, a, y],
    ]) {
      const s = project(events);
      expect(s.orders.get('o1')!.dispatch).toMatchObject({ eventId: 'd-a', unit: 'yongjia.fire' });
      expect(s.orders.get('o2')!.dispatch).toMatchObject({ eventId: 'd-y', unit: 'yongjia.water', t: D });
      const units = s.months.get('2020-08')!.units;
      expect([...units.keys()].sort()).toEqual(['yongjia.fire', 'yongjia.water']);
      expect(units.get('yongjia.fire')).toEqual(T({ orders: 1, unfed: 1 }));
      expect(tally(s, '2020-08', 'centers', 'yongjia')).toEqual(T({ incidents: 1, orders: 2, unfed: 2 }));
      // The losing units get no row in the report.
      const reportUnits = monthlyReport(s, '2020-08', DEFAULT_INDEX)
        .units.filter((u) => u.center !== 'city')
        .map((u) => u.unit);
      expect(reportUnits.sort()).toEqual(['yongjia.fire', 'yongjia.water']);
    }
  });

  it('a conflicting earlier report moves the incident to its month and center', () => {
    const late = ev.reported('r-late', 'i1', Date.parse('2020-09-01T02:00:00Z'), 'yongjia');
    const early = ev.reported('r-early', 'i1', Date.parse('2020-08-31T02:00:00Z'), 'ruian');
    const order = ev.dispatched('d', 'i1', 'o1', Date.parse('2020-09-01T02:00:00Z'), 'yongjia.police');
    for (const events of [
      [late, order, early],
      [early, order, late],
    ]) {
      const s = project(events);
      expect(s.incidents.get('i1')!.report).toMatchObject({ eventId: 'r-early', center: 'ruian' });
      expect([...s.months.keys()]).toEqual(['2020-08']);
      expect(tally(s, '2020-08', 'centers', 'ruian')).toEqual(T({ incidents: 1, orders: 1, unfed: 1 }));
      expect([...s.days.keys()]).toEqual(['2020-08-31']);
      expect(monthlyReport(s, '2020-09', DEFAULT_INDEX).units.filter((u) => u.center !== 'city')).toEqual([]);
    }
  });
});

describe('drills and urban centers', () => {
  it('drill incidents stay out of months, days and open, and are listed in drills', () => {
    const s = project([
      ev.reported('r1', 'i1', D, 'ouhai', { drill: true }),
      ev.dispatched('d1', 'i1', 'o1', D, 'ouhai.police'),
      ev.reported('r2', 'i2', D, 'ouhai'),
      ev.dispatched('d2', 'i2', 'o2', D, 'ouhai.police'),
    ]);
    expect(s.drills).toEqual(new Set(['i1']));
    expect(s.days.get('2020-08-25')).toEqual(new Set(['i2']));
    expect(s.open).toEqual(new Set(['o2']));
    expect(tally(s, '2020-08', 'centers', 'ouhai')).toEqual(T({ incidents: 1, orders: 1, unfed: 1 }));
    expect(tally(s, '2020-08', 'units', 'ouhai.police')).toEqual(T({ orders: 1, unfed: 1 }));
  });

  it('an order of a drill whose report arrives late is watched only until the report says drill', () => {
    const s = project([ev.dispatched('d1', 'i1', 'o1', D, 'ouhai.police')]);
    expect(s.open).toEqual(new Set(['o1']));
    applyEvent(s, ev.reported('r1', 'i1', D, 'ouhai', { drill: true }), DEFAULT_INDEX, ZONE);
    expect(s.open.size).toBe(0);
    expect(s.months.size).toBe(0);
    expect(s.drills).toEqual(new Set(['i1']));
  });

  it('every center counts only its own incidents: the city row adds nothing of the urban rows', () => {
    const s = project([
      ev.reported('r1', 'i1', D, 'lucheng'),
      ev.dispatched('d1', 'i1', 'o1', D, 'lucheng.police'),
      ev.signed('s1', 'i1', 'o1', D + MIN),
      ev.reported('r2', 'i2', D, 'kaifaqu'),
      ev.closed('c2', 'i2', D + 10 * MIN),
      ev.reported('r3', 'i3', D, 'city', { district: 'ouhai' }),
      ev.reported('r4', 'i4', D, 'dongtou'),
    ]);
    expect(tally(s, '2020-08', 'centers', 'lucheng')).toEqual(T({ incidents: 1, orders: 1, signed: 1, unfed: 1, signMet: 1 }));
    expect(tally(s, '2020-08', 'centers', 'kaifaqu')).toEqual(T({ incidents: 1, closed: 1 }));
    expect(tally(s, '2020-08', 'centers', 'city')).toEqual(T({ incidents: 1 }));
    expect(tally(s, '2020-08', 'centers', 'ouhai')).toBeUndefined();
    expect(tally(s, '2020-08', 'centers', 'dongtou')).toEqual(T({ incidents: 1 }));
    // Map districts: implied for single-district centers, 开发区 lies in 龙湾.
    expect(s.incidents.get('i1')!.report!.district).toBe('lucheng');
    expect(s.incidents.get('i2')!.report!.district).toBe('longwan');
    expect(s.incidents.get('i3')!.report!.district).toBe('ouhai');
  });

  it('months are taken in the report zone: 2020-07-31T16:30Z is August in Wenzhou', () => {
    const s = project([ev.reported('r1', 'i1', Date.parse('2020-07-31T16:30:00Z'), 'yongjia')]);
    expect([...s.months.keys()]).toEqual(['2020-08']);
    expect([...s.days.keys()]).toEqual(['2020-08-01']);
    const utc = projectEvents([ev.reported('r1', 'i1', Date.parse('2020-07-31T16:30:00Z'), 'yongjia')], DEFAULT_INDEX, new Zone('UTC'));
    expect([...utc.months.keys()]).toEqual(['2020-07']);
  });
});

describe('cloneState', () => {
  it('is a deep copy that keeps Maps and Sets working', () => {
    const s = project([ev.reported('r', 'i1', D, 'yongjia'), ev.dispatched('d', 'i1', 'o1', D, 'yongjia.police')]);
    const copy = cloneState(s);
    applyEvent(copy, ev.signed('s', 'i1', 'o1', D + MIN), DEFAULT_INDEX, ZONE);
    expect(tally(copy, '2020-08', 'centers', 'yongjia')!.signed).toBe(1);
    expect(tally(s, '2020-08', 'centers', 'yongjia')!.signed).toBe(0);
    expect(s.seen.has('s')).toBe(false);
  });
});

describe('an admin marks an incident as a drill afterwards', () => {
  const mark = (id: string, incident: string, t: number, drill: boolean): StoredEvent =>
    ({ id, type: 'incident.marked', at: iso(t), t, incident, drill, by: 'admin' }) as StoredEvent;
  const base = [ev.reported('r', 'i1', D, 'ouhai'), ev.dispatched('d', 'i1', 'o1', D + MIN, 'ouhai.health')];

  it('takes the incident and its orders out of the real counts and into the drills', () => {
    const s = project([...base, mark('m1', 'i1', D + 90 * MIN, true)]);
    expect(s.months.get('2020-08')).toBeUndefined();
    expect([...s.drills]).toEqual(['i1']);
    expect(s.open.size).toBe(0);
  });

  it('the latest mark stands, whatever the order the marks arrive in', () => {
    const marks = [mark('m1', 'i1', D + 90 * MIN, true), mark('m2', 'i1', D + 120 * MIN, false)];
    for (const events of [
      [...base, ...marks],
      [marks[1]!, ...base, marks[0]!],
    ]) {
      const s = project(events);
      expect(s.drills.size).toBe(0);
      expect(tally(s, '2020-08', 'centers', 'ouhai')).toEqual(T({ incidents: 1, orders: 1, unfed: 1 }));
    }
  });

  it('can turn a reported drill into a real incident', () => {
    const s = project([ev.reported('r', 'i1', D, 'ouhai', { drill: true }), mark('m1', 'i1', D + MIN, false)]);
    expect(s.drills.size).toBe(0);
    expect(tally(s, '2020-08', 'centers', 'ouhai')).toEqual(T({ incidents: 1 }));
  });
});

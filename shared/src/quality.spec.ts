import { describe, expect, it } from 'vitest';
import type { StoredEvent } from './events.js';
import { projectEvents } from './projection.js';
import { qualityReport } from './quality.js';
import { DEFAULT_INDEX } from './reference.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const D = Date.parse('2020-08-10T02:00:00Z');
const NOW = Date.parse('2020-09-05T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

const ev = {
  reported: (incident: string, t: number, center = 'ruian'): StoredEvent =>
    ({ id: `${incident}-r`, type: 'incident.reported', at: iso(t), t, incident, center, kind: 'alarm', category: '其他' }) as StoredEvent,
  dispatched: (incident: string, order: string, t: number, unit = 'ruian.fire'): StoredEvent =>
    ({ id: `${order}-d`, type: 'order.dispatched', at: iso(t), t, incident, order, unit }) as StoredEvent,
  signed: (incident: string, order: string, t: number): StoredEvent => ({ id: `${order}-s`, type: 'order.signed', at: iso(t), t, incident, order }),
  arrived: (incident: string, order: string, t: number): StoredEvent => ({ id: `${order}-a`, type: 'order.arrived', at: iso(t), t, incident, order }),
  feedback: (incident: string, order: string, t: number): StoredEvent => ({ id: `${order}-f`, type: 'order.feedback', at: iso(t), t, incident, order, stage: 'result' }),
  returned: (incident: string, order: string, t: number): StoredEvent => ({ id: `${order}-x`, type: 'order.returned', at: iso(t), t, incident, order, reason: '非本单位职责' }),
  closed: (incident: string, t: number): StoredEvent => ({ id: `${incident}-c`, type: 'incident.closed', at: iso(t), t, incident }),
};

const clean = (incident: string, t: number): StoredEvent[] => [
  ev.reported(incident, t),
  ev.dispatched(incident, `${incident}-o`, t + MIN),
  ev.signed(incident, `${incident}-o`, t + 2 * MIN),
  ev.arrived(incident, `${incident}-o`, t + 10 * MIN),
  ev.feedback(incident, `${incident}-o`, t + 30 * MIN),
  ev.closed(incident, t + 40 * MIN),
];

const quality = (events: StoredEvent[], options: { now?: number; limit?: number } = {}) =>
  qualityReport(projectEvents(events, DEFAULT_INDEX, ZONE), '2020-08', ZONE, { now: options.now ?? NOW, limit: options.limit });

describe('qualityReport', () => {
  it('finds nothing in consistent lifecycles', () => {
    const r = quality([...clean('a', D), ...clean('b', D + DAY)]);
    expect(r).toEqual({
      month: '2020-08',
      counts: { orderWithoutDispatch: 0, incidentWithoutOrder: 0, missingReport: 0, negativeDuration: 0, conflictingDuplicate: 0 },
      total: 0,
      issues: [],
      truncated: false,
    });
  });

  it('counts and lists each kind of inconsistency, by time', () => {
    const r = quality([
      ...clean('ok', D),
      // i1: reported, nobody ever dispatched
      ev.reported('i1', D + 1 * MIN),
      // i2: a sign-off and a feedback for an order whose dispatch never came
      ev.reported('i2', D + 2 * MIN),
      ev.signed('i2', 'o2', D + 5 * MIN),
      ev.feedback('i2', 'o2', D + 30 * MIN),
      // i3: an order of an incident that was never reported
      ev.dispatched('i3', 'o3', D + 3 * MIN),
      ev.signed('i3', 'o3', D + 4 * MIN),
      // i4: signed 4 minutes and arrived 1 minute before its dispatch
      ev.reported('i4', D + 4 * MIN),
      ev.dispatched('i4', 'o4', D + 10 * MIN, 'ruian.water'),
      ev.signed('i4', 'o4', D + 6 * MIN),
      ev.arrived('i4', 'o4', D + 9 * MIN),
      // i5: closed an hour before it was reported
      ev.reported('i5', D + 60 * MIN),
      ev.dispatched('i5', 'o5', D + 61 * MIN),
      ev.closed('i5', D),
    ]);
    expect(r.counts).toEqual({ orderWithoutDispatch: 1, incidentWithoutOrder: 1, missingReport: 1, negativeDuration: 2, conflictingDuplicate: 0 });
    expect(r.total).toBe(5);
    expect(r.truncated).toBe(false);
    expect(r.issues).toEqual([
      { kind: 'negativeDuration', incident: 'i5', order: null, unit: null, at: iso(D), detail: '办结早于接警60分' },
      { kind: 'incidentWithoutOrder', incident: 'i1', order: null, unit: null, at: iso(D + MIN), detail: '接警后没有向任何联动单位派单' },
      { kind: 'missingReport', incident: 'i3', order: 'o3', unit: 'ruian.fire', at: iso(D + 3 * MIN), detail: '指令所属警情无接警记录' },
      { kind: 'orderWithoutDispatch', incident: 'i2', order: 'o2', unit: null, at: iso(D + 5 * MIN), detail: '有签收、反馈记录但无派单记录' },
      { kind: 'negativeDuration', incident: 'i4', order: 'o4', unit: 'ruian.water', at: iso(D + 6 * MIN), detail: '签收早于派单4分；到场早于派单1分' },
    ]);
  });

  it('flags a dispatch before the report and a return before the dispatch with their lead time', () => {
    const r = quality([ev.reported('i', D + 10 * MIN), ev.dispatched('i', 'o', D + 9 * MIN + 30_000), ev.returned('i', 'o', D + 9 * MIN)]);
    expect(r.issues.map((i) => i.detail)).toEqual(['派单早于接警30秒；退单早于派单30秒']);
  });

  it('waits a day before calling a dispatch, report or order missing: it may still arrive', () => {
    const events = [ev.reported('i1', D), ev.signed('i2', 'o2', D), ev.reported('i2', D)];
    expect(quality(events, { now: D + DAY - 1 }).total).toBe(0);
    expect(quality(events, { now: D + DAY }).counts).toMatchObject({ incidentWithoutOrder: 1, orderWithoutDispatch: 1 });
  });

  it('bounds the list but counts everything', () => {
    const events = Array.from({ length: 5 }, (_, i) => ev.reported(`i${i}`, D + i * MIN));
    const r = quality(events, { limit: 2 });
    expect(r.total).toBe(5);
    expect(r.counts.incidentWithoutOrder).toBe(5);
    expect(r.issues.map((i) => i.incident)).toEqual(['i0', 'i1']);
    expect(r.truncated).toBe(true);
  });

  it('puts an incident in the month of its report in the report zone, else of its earliest event', () => {
    // 16:30Z on July 31 is already August 1 in Shanghai.
    const edge = Date.parse('2020-07-31T16:30:00Z');
    const july = Date.parse('2020-07-31T15:00:00Z');
    const r = quality([
      ev.reported('aug', edge),
      ev.reported('jul', july),
      // never reported: its earliest event (the sign-off, July) decides, not the dispatch (August)
      ev.signed('x', 'ox', july),
      ev.dispatched('x', 'ox', edge),
    ]);
    expect(r.issues.map((i) => [i.incident, i.kind])).toEqual([['aug', 'incidentWithoutOrder']]);
  });
});

describe('conflicting duplicates', () => {
  it('lists each in the month of its incident, with what was sent and how often', () => {
    const state = projectEvents(clean('a', D), DEFAULT_INDEX, ZONE);
    const conflicts = [
      { id: 'a-o-d', type: 'order.dispatched', incident: 'a', at: '2020-09-02T00:00:00Z', receivedAt: '2020-09-02T00:00:01Z', count: 3 },
      // An incident the log does not know: the month of the copy's own time.
      { id: 'z-r', type: 'incident.reported', incident: 'z', at: '2020-07-30T00:00:00Z', receivedAt: '2020-09-02T00:00:01Z' },
    ];
    const august = qualityReport(state, '2020-08', ZONE, { now: NOW, conflicts });
    expect(august.counts.conflictingDuplicate).toBe(1);
    const issue = august.issues.find((i) => i.kind === 'conflictingDuplicate')!;
    expect(issue).toMatchObject({ incident: 'a', at: iso(D) });
    expect(issue.detail).toContain('a-o-d');
    expect(issue.detail).toContain('3次');
    expect(qualityReport(state, '2020-07', ZONE, { now: NOW, conflicts }).counts.conflictingDuplicate).toBe(1);
  });
});

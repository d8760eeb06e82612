import { describe, expect, it } from 'vitest';
import type { StoredEvent } from './events.js';
import { projectEvents } from './projection.js';
import { QUALITY_KINDS, QUALITY_LABELS, qualityReport } from './quality.js';
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

describe('qualityReport: each check at its edges', () => {
  const details = (events: StoredEvent[], month = '2020-08') =>
    qualityReport(projectEvents(events, DEFAULT_INDEX, ZONE), month, ZONE, { now: NOW }).issues.map((i) => [i.kind, i.incident, i.order, i.detail]);

  it('events at the same instant are not out of order', () => {
    // Dispatched, signed, on scene, fed back and closed at the report's own instant.
    const events = [ev.reported('s', D), ev.dispatched('s', 'so', D), ev.signed('s', 'so', D), ev.arrived('s', 'so', D), ev.feedback('s', 'so', D), ev.closed('s', D)];
    expect(details(events)).toEqual([]);
  });

  it('names a feedback before the dispatch', () => {
    expect(details([ev.reported('f', D), ev.dispatched('f', 'fo', D + 2 * MIN), ev.feedback('f', 'fo', D + MIN)])).toEqual([['negativeDuration', 'f', 'fo', '反馈早于派单1分']]);
  });

  it('an incident closed but never reported, with no order: missing report, after the grace period', () => {
    expect(details([ev.closed('z', D)])).toEqual([['missingReport', 'z', null, '有办结记录但无接警记录']]);
    const fresh = qualityReport(projectEvents([ev.closed('z', NOW - 1000)], DEFAULT_INDEX, ZONE), '2020-09', ZONE, { now: NOW });
    expect(fresh.total).toBe(0);
    // Reported and closed, nobody dispatched: without an order only, not a missing report.
    expect(details([ev.reported('c', D), ev.closed('c', D + MIN)])).toEqual([['incidentWithoutOrder', 'c', null, '接警后没有向任何联动单位派单']]);
  });

  it('an order without a dispatch names what it has: on scene only, returned only', () => {
    expect(details([ev.reported('a', D), ev.arrived('a', 'ao', D + MIN)])).toEqual([['orderWithoutDispatch', 'a', 'ao', '有到场记录但无派单记录']]);
    expect(details([ev.reported('r', D), ev.returned('r', 'ro', D + MIN)])).toEqual([['orderWithoutDispatch', 'r', 'ro', '有退单记录但无派单记录']]);
  });

  it('a never-reported incident belongs to the month of its earliest order, not its last one nor its closing', () => {
    // The closing and the second order are in August (Shanghai), the first order's sign-off on July 31.
    const july = Date.parse('2020-07-31T15:00:00Z');
    const events = [ev.signed('n', 'n1', july), ev.dispatched('n', 'n2', Date.parse('2020-08-01T02:00:00Z')), ev.closed('n', Date.parse('2020-08-02T02:00:00Z'))];
    expect(details(events, '2020-07')).toEqual([
      ['orderWithoutDispatch', 'n', 'n1', '有签收记录但无派单记录'],
      ['missingReport', 'n', 'n2', '指令所属警情无接警记录'],
    ]);
    expect(details(events, '2020-08')).toEqual([]);
  });

  it('issues of one incident at one instant: the incident itself first, then by order', () => {
    // m: closed (D) an hour before its report; its order a1 signed at D, dispatched after the report.
    const events = [ev.reported('m', D + 60 * MIN), ev.closed('m', D), ev.signed('m', 'a1', D), ev.dispatched('m', 'a1', D + 61 * MIN)];
    expect(details(events)).toEqual([
      ['negativeDuration', 'm', null, '办结早于接警60分'],
      ['negativeDuration', 'm', 'a1', '签收早于派单61分'],
    ]);
    // k: a sign-off at its report's instant before the dispatch, and a conflicting copy of the report.
    const k = projectEvents([ev.reported('k', D), ev.signed('k', 'a1', D), ev.dispatched('k', 'a1', D + 5 * MIN)], DEFAULT_INDEX, ZONE);
    const conflicts = [{ id: 'k-r', type: 'incident.reported', incident: 'k', at: '2020-08-10T02:00:00Z', receivedAt: '2020-08-10T03:00:00Z' }];
    expect(qualityReport(k, '2020-08', ZONE, { now: NOW, conflicts }).issues.map((i) => [i.kind, i.order])).toEqual([
      ['conflictingDuplicate', null],
      ['negativeDuration', 'a1'],
    ]);
  });

  it('truncated only when there are more issues than the limit', () => {
    const events = Array.from({ length: 2 }, (_, i) => ev.reported(`i${i}`, D + i * MIN));
    expect(quality(events, { limit: 2 })).toMatchObject({ total: 2, truncated: false });
    expect(quality(events, { limit: 1 })).toMatchObject({ total: 2, truncated: true });
  });
});

describe('conflicting duplicates: the detail', () => {
  const state = projectEvents(clean('a', D), DEFAULT_INDEX, ZONE);
  const conflict = { id: 'a-o-d', type: 'order.dispatched', incident: 'a', at: '2020-09-02T00:00:00Z', receivedAt: '2020-09-02T00:00:01Z' };
  const detail = (count?: number) => qualityReport(state, '2020-08', ZONE, { now: NOW, conflicts: [{ ...conflict, ...(count === undefined ? {} : { count }) }] }).issues[0]!.detail;

  it('says how often only when it came more than once', () => {
    const base = '事件a-o-d（order.dispatched）重复发送且内容不同，重发时间2020-09-02T00:00:00Z';
    const tail = '；已保留先收到的记录，请核对发送系统';
    expect(detail()).toBe(`${base}${tail}`);
    expect(detail(1)).toBe(`${base}${tail}`);
    expect(detail(2)).toBe(`${base}（共收到2次）${tail}`);
  });
});

describe('QUALITY_LABELS', () => {
  it("names each kind in the bulletin's words", () => {
    expect(Object.keys(QUALITY_LABELS)).toEqual([...QUALITY_KINDS]);
    expect(QUALITY_LABELS.orderWithoutDispatch).toBe('有签收/到场/反馈/退单但无派单');
    expect(QUALITY_LABELS.incidentWithoutOrder).toBe('警情无联动指令');
    expect(QUALITY_LABELS.missingReport).toBe('指令或办结所属警情无接警记录');
    expect(QUALITY_LABELS.negativeDuration).toBe('时间倒挂（早于派单或接警）');
    expect(QUALITY_LABELS.conflictingDuplicate).toBe('重复编号但内容不同（以先收到的为准）');
  });
});

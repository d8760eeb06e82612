import { describe, expect, it } from 'vitest';
import { DEFAULT_INDEX, LIMIT_NAMES, Zone, dueAt, generateMonth, limitStatus, projectEvents, type FeedEvent, type StoredEvent } from '@wall/shared';
import { binCount, incidentsPerHour, marksPerColumn, overdueMarks, timeAtX, xAtTime } from './timeline';

const zone = new Zone('Asia/Shanghai');
const H = 3_600_000;
const M = 60_000;
const start = Date.parse('2020-08-01T00:00:00+08:00');
const end = Date.parse('2020-08-03T00:00:00+08:00') - 1;

const stored = (e: FeedEvent): StoredEvent => ({ ...e, t: Date.parse(e.at) });
const iso = (t: number) => new Date(t).toISOString();

function incident(id: string, t: number, extra: Partial<FeedEvent> = {}): StoredEvent {
  return stored({ id: `${id}-r`, type: 'incident.reported', at: iso(t), incident: id, center: 'lucheng', kind: 'alarm', category: '测试', ...extra } as FeedEvent);
}
function dispatch(incidentId: string, order: string, t: number): StoredEvent {
  return stored({ id: `${order}-d`, type: 'order.dispatched', at: iso(t), incident: incidentId, order, unit: 'lucheng.transport' } as FeedEvent);
}
function step(order: string, type: 'order.signed' | 'order.arrived', t: number): StoredEvent {
  return stored({ id: `${order}-${type}`, type, at: iso(t), order } as FeedEvent);
}

describe('incidentsPerHour', () => {
  it('bins reported incidents per hour of the range, leaving out drills and the month before', () => {
    const events = [
      incident('before', start - 30 * M),
      incident('a', start + 5 * M),
      incident('b', start + 59 * M),
      incident('c', start + H),
      incident('drill', start + H, { drill: true } as Partial<FeedEvent>),
      incident('last', end),
    ];
    const bins = incidentsPerHour(projectEvents(events, DEFAULT_INDEX, zone), start, end);
    expect(bins).toHaveLength(48);
    expect(binCount(start, end)).toBe(48);
    expect(bins.slice(0, 2)).toEqual([2, 1]);
    expect(bins[47]).toBe(1);
    expect(bins.reduce((a, b) => a + b, 0)).toBe(4);
  });
});

describe('overdueMarks', () => {
  it('marks late, missed and still overdue limits at their due time, not met or pending ones', () => {
    const t0 = start + 10 * H;
    const events = [
      incident('i1', t0),
      dispatch('i1', 'met', t0), // sign within 5 min, arrival within 20: met
      step('met', 'order.signed', t0 + 2 * M),
      step('met', 'order.arrived', t0 + 10 * M),
      dispatch('i1', 'late', t0),
      step('late', 'order.signed', t0 + 7 * M), // sign late
      dispatch('i1', 'open', end - 2 * M), // still pending at the end
    ];
    const state = projectEvents(events, DEFAULT_INDEX, zone);
    const marks = overdueMarks(state, start, end);
    const keys = marks.map((m) => `${m.order}/${m.limit}/${m.status}`);
    expect(keys).toContain('late/sign/late');
    expect(keys).toContain('late/arrive/overdue');
    expect(keys).toContain('met/feedback/overdue');
    expect(keys.some((k) => k.startsWith('met/sign') || k.startsWith('met/arrive'))).toBe(false);
    expect(keys.some((k) => k.startsWith('open/'))).toBe(false);
    expect(marks.find((m) => m.order === 'late' && m.limit === 'sign')!.t).toBe(t0 + 5 * M);
    expect(marks.map((m) => m.t)).toEqual([...marks.map((m) => m.t)].sort((a, b) => a - b));
  });

  it('equals a brute-force count on a generated month', () => {
    const from = Date.parse('2020-08-01T00:00:00+08:00');
    const to = Date.parse('2020-08-04T00:00:00+08:00') - 1;
    const events = generateMonth(7, from, to, (t) => zone.parts(t).hour, 60).map(stored);
    const state = projectEvents(events, DEFAULT_INDEX, zone);
    let expected = 0;
    for (const order of state.orders.values()) {
      if (!order.dispatch) continue;
      const inc = state.incidents.get(order.dispatch.incident);
      if (inc?.report?.drill) continue;
      for (const l of LIMIT_NAMES) {
        const due = dueAt(order, l)!;
        const s = limitStatus(order, inc, l, to);
        if (due >= from && due <= to && (s === 'late' || s === 'missed' || s === 'overdue')) expected++;
      }
    }
    expect(expected).toBeGreaterThan(0);
    expect(overdueMarks(state, from, to)).toHaveLength(expected);
    const cols = marksPerColumn(overdueMarks(state, from, to), from, to, 300);
    expect(cols).toHaveLength(300);
    expect(cols.reduce((a, b) => a + b, 0)).toBe(expected);
  });
});

describe('scrubber mapping', () => {
  it('maps time to x and back, snapping to the minute and clamping', () => {
    expect(xAtTime(start, 1000, start, end)).toBe(0);
    expect(xAtTime(end, 1000, start, end)).toBe(1000);
    expect(xAtTime(start - H, 1000, start, end)).toBe(0);
    const t = Date.parse('2020-08-02T02:10:00+08:00');
    expect(timeAtX(xAtTime(t, 1000, start, end), 1000, start, end)).toBe(t);
    expect(timeAtX(-5, 1000, start, end)).toBe(start);
    expect(timeAtX(2000, 1000, start, end)).toBe(end);
    expect((timeAtX(333.3, 1000, start, end) - start) % M).toBe(0);
  });
});

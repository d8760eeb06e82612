import { describe, expect, it } from 'vitest';
import type { StoredEvent } from './events.js';
import {
  addMonths,
  retentionStart,
  artifactState,
  closeMonth,
  daysBetween,
  evictClosed,
  firstLiveMonth,
  isLiveMonth,
  nextDay,
  partitionDay,
  settleSpan,
  spanMonths,
} from './history.js';
import { projectEvents } from './projection.js';
import { DEFAULT_INDEX } from './reference.js';
import { monthlyReport } from './report.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
const t = (local: string) => Date.parse(`${local}+08:00`);
const report = (id: string, at: string): StoredEvent =>
  ({ id: `${id}-r`, type: 'incident.reported', at, t: Date.parse(at), incident: id, center: 'yongjia', kind: 'alarm', category: '其他' }) as StoredEvent;
const dispatch = (id: string, at: string): StoredEvent =>
  ({ id: `${id}-d`, type: 'order.dispatched', at, t: Date.parse(at), incident: id, order: `${id}-o`, unit: 'yongjia.police' }) as StoredEvent;
const arrived = (id: string, at: string): StoredEvent => ({ id: `${id}-a`, type: 'order.arrived', at, t: Date.parse(at), incident: id, order: `${id}-o` }) as StoredEvent;
const feedback = (id: string, at: string): StoredEvent =>
  ({ id: `${id}-f`, type: 'order.feedback', at, t: Date.parse(at), incident: id, order: `${id}-o`, stage: 'result' }) as StoredEvent;

describe('months and days', () => {
  it('adds months across years both ways', () => {
    expect(addMonths('2020-12', 1)).toBe('2021-01');
    expect(addMonths('2020-01', -1)).toBe('2019-12');
    expect(addMonths('2020-08', -13)).toBe('2019-07');
    expect(nextDay('2020-02-28')).toBe('2020-02-29');
    expect(daysBetween('2020-02-28', '2020-03-01')).toEqual(['2020-02-28', '2020-02-29', '2020-03-01']);
  });

  it('settles a month over the month before it to the end of the month after it', () => {
    const span = settleSpan('2020-08');
    expect(span[0]).toBe('2020-07-01');
    expect(span[span.length - 1]).toBe('2020-09-30');
    expect(span).toHaveLength(31 + 31 + 30);
    expect(spanMonths('2020-01')).toEqual(['2019-12', '2020-01', '2020-02']);
  });

  it('keeps the current and the previous month live, in the report zone', () => {
    // 2020-09-01 00:30 in Wenzhou is still August in UTC.
    const now = t('2020-09-01T00:30:00');
    expect(firstLiveMonth(now, ZONE)).toBe('2020-08');
    expect(isLiveMonth('2020-08', now, ZONE)).toBe(true);
    expect(isLiveMonth('2020-07', now, ZONE)).toBe(false);
    expect(firstLiveMonth(now, new Zone('UTC'))).toBe('2020-07');
  });

  it('keeps the retention months in Redis, never archiving a live one', () => {
    const now = t('2021-03-15T12:00:00');
    expect(retentionStart(now, ZONE, 13)).toBe('2020-03');
    expect(retentionStart(now, ZONE, 2)).toBe('2021-02');
    expect(retentionStart(now, ZONE, 1)).toBe('2021-02');
  });

  it('stores a mark under its incident report day when told, else under its own', () => {
    const mark = { id: 'm', type: 'incident.marked', at: '2020-12-01T02:00:00Z', t: Date.parse('2020-12-01T02:00:00Z'), incident: 'i', drill: true, by: 'a' } as StoredEvent;
    expect(partitionDay(mark, ZONE)).toBe('2020-12-01');
    expect(partitionDay(mark, ZONE, t('2020-08-03T10:00:00'))).toBe('2020-08-03');
  });
});

describe('evictClosed', () => {
  it('keeps the window and what is open, drops closed history and its tallies', () => {
    const state = projectEvents(
      [
        report('old', '2020-06-10T02:00:00Z'),
        dispatch('old', '2020-06-10T02:01:00Z'),
        arrived('old', '2020-06-10T02:20:00Z'),
        feedback('old', '2020-06-10T03:00:00Z'),
        // Never fed back: open, whatever its age.
        report('open', '2020-06-11T02:00:00Z'),
        dispatch('open', '2020-06-11T02:01:00Z'),
        report('new', '2020-08-02T02:00:00Z'),
      ],
      DEFAULT_INDEX,
      ZONE,
    );
    const removed = evictClosed(state, t('2020-09-05T12:00:00'), ZONE);
    expect(removed).toBe(1);
    expect([...state.incidents.keys()].sort()).toEqual(['new', 'open']);
    expect([...state.orders.keys()]).toEqual(['open-o']);
    expect([...state.months.keys()]).toEqual(['2020-08']);
    expect([...state.open]).toEqual(['open-o']);
  });
});

describe('closeMonth', () => {
  it('stores the tallies as JSON and gives the same report back', () => {
    const state = projectEvents([report('a', '2020-07-10T02:00:00Z'), dispatch('a', '2020-07-10T02:01:00Z'), feedback('a', '2020-07-12T03:00:00Z')], DEFAULT_INDEX, ZONE);
    const artifact = JSON.parse(JSON.stringify(closeMonth(state, '2020-07', DEFAULT_INDEX, ZONE, { now: t('2020-10-01T00:00:00'), events: 3 })));
    expect(monthlyReport(artifactState(artifact), '2020-07', DEFAULT_INDEX)).toEqual(monthlyReport(state, '2020-07', DEFAULT_INDEX));
    expect(artifact.events).toBe(3);
  });

  it('leaves out what is dated past its settle span: the documented rule, a month settles when the next one ends', () => {
    const events = [report('a', '2020-07-10T02:00:00Z'), dispatch('a', '2020-07-10T02:01:00Z'), feedback('a', '2020-09-02T03:00:00Z')];
    const span = new Set(settleSpan('2020-07'));
    const folded = projectEvents(
      events.filter((e) => span.has(ZONE.dayKey(e.t))),
      DEFAULT_INDEX,
      ZONE,
    );
    const artifact = closeMonth(folded, '2020-07', DEFAULT_INDEX, ZONE, { now: t('2020-10-01T00:00:00'), events: 2 });
    expect(monthlyReport(artifactState(artifact), '2020-07', DEFAULT_INDEX).total.unfed).toBe(1);
    expect(monthlyReport(projectEvents(events, DEFAULT_INDEX, ZONE), '2020-07', DEFAULT_INDEX).total.unfed).toBe(0);
  });
});

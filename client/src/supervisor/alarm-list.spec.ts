import { describe, expect, it } from 'vitest';
import { alarm } from './fixtures';
import { applyAlarm, applyChange, EMPTY, fromSnapshot, newlyAddressed, sortedAlarms } from './alarm-list';

describe('the open alarm list', () => {
  it('takes a full list, leaving out resolved alarms', () => {
    const open = fromSnapshot([alarm('a'), alarm('b', { resolvedAt: '2020-10-03T02:01:00Z' })]);
    expect([...open.keys()]).toEqual(['a']);
  });

  it('adds raised alarms, updates escalated and acknowledged ones, drops resolved ones', () => {
    let open = applyChange(EMPTY, { kind: 'raised', alarm: alarm('a') });
    open = applyChange(open, { kind: 'raised', alarm: alarm('b') });
    expect(open.size).toBe(2);
    open = applyChange(open, { kind: 'escalated', alarm: alarm('a', { level: 1, recipients: ['leader'] }) });
    expect(open.get('a')!.level).toBe(1);
    open = applyChange(open, { kind: 'acknowledged', alarm: alarm('a', { level: 1, acknowledgedBy: 'sup1', acknowledgedAt: '2020-10-03T02:02:00Z', note: '已督促' }) });
    expect(open.get('a')).toMatchObject({ acknowledgedBy: 'sup1', note: '已督促' });
    open = applyChange(open, { kind: 'resolved', alarm: alarm('b', { resolvedAt: '2020-10-03T02:03:00Z', lateSeconds: 180 }) });
    expect([...open.keys()]).toEqual(['a']);
  });

  it('never lets a stale copy undo an acknowledgement or an escalation', () => {
    let open = applyChange(EMPTY, { kind: 'raised', alarm: alarm('a') });
    open = applyAlarm(open, alarm('a', { level: 1, acknowledgedBy: 'sup1', acknowledgedAt: 'x', note: 'n' }));
    open = applyChange(open, { kind: 'escalated', alarm: alarm('a', { level: 0 }) });
    expect(open.get('a')).toMatchObject({ acknowledgedBy: 'sup1', acknowledgedAt: 'x', note: 'n', level: 1 });
  });

  it('returns the same map when a resolved alarm was not in it, and ignores our own answer for an unknown alarm', () => {
    const open = fromSnapshot([alarm('a')]);
    expect(applyChange(open, { kind: 'resolved', alarm: alarm('z', { resolvedAt: 'x' }) })).toBe(open);
    expect(applyAlarm(open, alarm('z', { acknowledgedBy: 'sup1' }))).toBe(open);
  });

  it('sorts unacknowledged first, then the most overdue first', () => {
    const open = fromSnapshot([
      alarm('late', { dueAt: '2020-10-03T02:05:00Z' }),
      alarm('acked', { dueAt: '2020-10-03T01:00:00Z', acknowledgedBy: 'sup1' }),
      alarm('early', { dueAt: '2020-10-03T02:01:00Z' }),
    ]);
    expect(sortedAlarms(open).map((a) => a.id)).toEqual(['early', 'late', 'acked']);
  });

  it('finds alarms addressed to us that a fresh list brings (raised while the link was down)', () => {
    const before = fromSnapshot([alarm('a')]);
    const after = fromSnapshot([alarm('a'), alarm('b'), alarm('c', { recipients: ['other'] }), alarm('d', { acknowledgedBy: 'x' })]);
    expect(newlyAddressed(before, after, 'sup1').map((a) => a.id)).toEqual(['b']);
    expect(newlyAddressed(before, after, null)).toEqual([]);
  });
});

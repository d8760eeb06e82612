import { describe, expect, it } from 'vitest';
import { Zone } from '@wall/shared';
import { dayBeforeMonth, parseLocalTime, parseReplayParams, speedChoices, speedLabel } from './params';

const zone = new Zone('Asia/Shanghai');
const now = Date.parse('2026-03-17T10:00:00+08:00');

describe('parseReplayParams', () => {
  it('reads the range, speed and start, in Shanghai time', () => {
    const r = parseReplayParams('?from=2020-08-01&to=2020-08-31&speed=3600', now, zone);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.params.start).toBe(Date.parse('2020-08-01T00:00:00+08:00'));
    expect(r.params.end).toBe(Date.parse('2020-09-01T00:00:00+08:00') - 1);
    expect(r.params.speed).toBe(3600);
    expect(r.params.initial).toBe(r.params.start);
    expect(r.params.downloadFrom).toBe('2020-07-31');
    expect(r.params.downloadTo).toBe('2020-08-31');
    expect(r.params.play).toBe(false);
  });

  it('downloads from the day before the month of `from`', () => {
    const r = parseReplayParams('?from=2020-08-14&to=2020-08-15', now, zone);
    expect(r.ok && r.params.downloadFrom).toBe('2020-07-31');
    expect(dayBeforeMonth('2021-01-05')).toBe('2020-12-31');
    expect(dayBeforeMonth('2020-03-31')).toBe('2020-02-29');
  });

  it('starts at `at`, clamped into the range', () => {
    const r = parseReplayParams('?from=2020-08-01&to=2020-08-31&at=2020-08-14T02:10', now, zone);
    expect(r.ok && r.params.initial).toBe(Date.parse('2020-08-14T02:10:00+08:00'));
    const before = parseReplayParams('?from=2020-08-01&to=2020-08-31&at=2020-07-14T02:10', now, zone);
    expect(before.ok && before.params.initial).toBe(Date.parse('2020-08-01T00:00:00+08:00'));
    const after = parseReplayParams('?from=2020-08-01&to=2020-08-31&at=2020-09-14 02:10:30', now, zone);
    expect(after.ok && after.params.initial).toBe(Date.parse('2020-09-01T00:00:00+08:00') - 1);
  });

  it('defaults to this month up to today, and `to` to `from`', () => {
    const r = parseReplayParams('', now, zone);
    expect(r.ok && [r.params.from, r.params.to]).toEqual(['2026-03-01', '2026-03-17']);
    const one = parseReplayParams('?from=2020-08-14', now, zone);
    expect(one.ok && [one.params.from, one.params.to]).toEqual(['2020-08-14', '2020-08-14']);
  });

  it('clamps the speed to 1..100000 and rejects nonsense, naming the parameter', () => {
    const fast = parseReplayParams('?from=2020-08-01&speed=1e9', now, zone);
    expect(fast.ok && fast.params.speed).toBe(100_000);
    const slow = parseReplayParams('?from=2020-08-01&speed=0.1', now, zone);
    expect(slow.ok && slow.params.speed).toBe(1);
    for (const [q, name] of [
      ['?from=2020-08-01&speed=fast', 'speed'],
      ['?from=2020-02-30', 'from'],
      ['?from=2020-08-01&to=08/31', 'to'],
      ['?from=2020-08-01&at=2020-08-14T25:00', 'at'],
    ] as const) {
      const r = parseReplayParams(q, now, zone);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.startsWith(name)).toBe(true);
    }
    expect(parseReplayParams('?from=2020-08-02&to=2020-08-01', now, zone).ok).toBe(false);
    expect(parseReplayParams('?from=2020-01-01&to=2020-12-31', now, zone).ok).toBe(false);
  });

  it('takes play=1', () => {
    const r = parseReplayParams('?from=2020-08-01&play=1', now, zone);
    expect(r.ok && r.params.play).toBe(true);
  });
});

describe('parseLocalTime', () => {
  it('reads minutes and optional seconds as Shanghai time', () => {
    expect(parseLocalTime('2020-08-14T02:10', zone)).toBe(Date.parse('2020-08-14T02:10:00+08:00'));
    expect(parseLocalTime('2020-08-14 23:59:59', zone)).toBe(Date.parse('2020-08-14T23:59:59+08:00'));
    expect(parseLocalTime('2020-08-14', zone)).toBeUndefined();
    expect(parseLocalTime('2020-08-14T02:60', zone)).toBeUndefined();
  });
});

describe('speeds', () => {
  it('lists 1x to 100,000x and keeps an odd URL speed', () => {
    expect(speedChoices(3600)[0]).toBe(1);
    expect(speedChoices(3600).at(-1)).toBe(100_000);
    expect(speedChoices(7200)).toContain(7200);
    expect(speedLabel(100_000)).toBe('100,000x');
    expect(speedLabel(1)).toBe('1x');
  });
});

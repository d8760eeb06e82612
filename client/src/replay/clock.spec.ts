import { describe, expect, it } from 'vitest';
import { RecomputeGate, VirtualClock } from './clock';

const H = 3_600_000;

describe('VirtualClock', () => {
  it('advances speed x real elapsed time while playing, not while paused', () => {
    const c = new VirtualClock(0, 100 * H, 10 * H, 3600);
    expect(c.at(5000)).toBe(10 * H);
    c.play(1000);
    expect(c.at(2000)).toBe(11 * H); // 1 s real = 1 h virtual
    c.pause(3000);
    expect(c.at(60_000)).toBe(12 * H);
    expect(c.playing).toBe(false);
  });

  it('clamps to the range and reports the end', () => {
    const c = new VirtualClock(0, 10 * H, 9 * H, 100_000);
    c.play(0);
    expect(c.at(1000)).toBe(10 * H);
    expect(c.ended(1000)).toBe(true);
    c.pause(1000);
    c.play(2000); // from the end: starts over
    expect(c.at(2000)).toBe(0);
  });

  it('keeps the virtual time across a speed change and re-anchors on seek and step', () => {
    const c = new VirtualClock(0, 100 * H, 0, 3600);
    c.play(0);
    c.setSpeed(7200, 1000); // at 1 h
    expect(c.at(2000)).toBe(3 * H);
    c.seek(50 * H, 2000);
    expect(c.at(3000)).toBe(52 * H);
    c.pause(3000);
    c.step(-H, 9999);
    expect(c.at(10_000)).toBe(51 * H);
    c.step(-1000 * H, 10_000);
    expect(c.at(10_000)).toBe(0);
  });

  it('at 100,000x a month passes in under half a minute', () => {
    const c = new VirtualClock(0, 31 * 24 * H, 0, 100_000);
    c.play(0);
    expect(c.ended(26_784)).toBe(true);
    expect(c.ended(26_000)).toBe(false);
  });
});

describe('RecomputeGate', () => {
  it('passes at most once per interval unless forced', () => {
    const g = new RecomputeGate(100);
    const passed = [0, 16, 33, 99, 100, 150, 201, 202].filter((t) => g.due(t));
    expect(passed).toEqual([0, 100, 201]);
    expect(g.due(210, true)).toBe(true);
    expect(g.due(250)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { RIPPLE_PERIOD_MS, RIPPLE_RADIUS, RIPPLE_REACH, drawRipples, ringAt, ringsAt, type RippleCanvas } from './ripple';

/** Records what drawRipples asks of a canvas. */
function recorder() {
  const calls: string[] = [];
  const ctx: RippleCanvas = {
    strokeStyle: '',
    lineWidth: 0,
    clearRect: (x, y, w, h) => calls.push(`clear ${x},${y} ${w}x${h}`),
    beginPath: () => calls.push('begin'),
    moveTo: (x, y) => calls.push(`move ${x},${y}`),
    arc: (x, y, r) => calls.push(`arc ${x},${y} r${r}`),
    stroke: () => calls.push(`stroke ${ctx.strokeStyle as string}`),
    setTransform: (a, _b, _c, d) => calls.push(`scale ${a},${d}`),
  };
  return { ctx, calls };
}

describe('ringAt', () => {
  it('starts at the rest radius, nearly opaque, and ends 3.5 times wider, gone', () => {
    expect(ringAt(0)).toEqual({ r: RIPPLE_RADIUS, alpha: 0.9 });
    expect(ringAt(0.999).r).toBeCloseTo(RIPPLE_RADIUS * 3.5, 1);
    expect(ringAt(0.999).alpha).toBeCloseTo(0, 2);
  });

  it('grows fast then slowly (ease-out), and only fades', () => {
    const steps = Array.from({ length: 20 }, (_, i) => ringAt(i / 20));
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]!.r).toBeGreaterThan(steps[i - 1]!.r);
      expect(steps[i]!.alpha).toBeLessThan(steps[i - 1]!.alpha);
    }
    expect(ringAt(0.25).r - ringAt(0).r).toBeGreaterThan(ringAt(1 - 1e-9).r - ringAt(0.75).r);
  });

  it('repeats every period', () => {
    for (const phase of [1.3, -0.7, 7.3]) {
      expect(ringAt(phase).r).toBeCloseTo(ringAt(0.3).r, 9);
      expect(ringAt(phase).alpha).toBeCloseTo(ringAt(0.3).alpha, 9);
    }
  });
});

describe('ringsAt', () => {
  it('gives two rings half a period apart', () => {
    const t = 0.2 * RIPPLE_PERIOD_MS;
    expect(ringsAt(t)).toEqual([ringAt(0.2), ringAt(0.7)]);
  });
});

describe('drawRipples', () => {
  it('clears what the last draw covered, then strokes each ring size once around every point', () => {
    const { ctx, calls } = recorder();
    const last = [{ x: 50, y: 60 }];
    const points = [
      { x: 10, y: 20 },
      { x: 100, y: 200 },
    ];
    const covered = drawRipples(ctx, points, 0, 2, last);
    expect(covered).toBe(points);
    const reach = RIPPLE_REACH + 1;
    expect(calls.slice(0, 2)).toEqual(['scale 2,2', `clear ${50 - reach},${60 - reach} ${reach * 2}x${reach * 2}`]);
    const strokes = calls.filter((c) => c.startsWith('stroke'));
    expect(strokes).toHaveLength(2);
    expect(calls.filter((c) => c.startsWith('arc'))).toHaveLength(4);
    // The pen lifts before each circle: no line joins two points.
    expect(calls.filter((c) => c.startsWith('move'))).toHaveLength(4);
  });

  it('reaches no further than it clears', () => {
    const widest = Math.max(...Array.from({ length: 100 }, (_, i) => ringAt(i / 100).r));
    expect(widest + 1).toBeLessThanOrEqual(RIPPLE_REACH);
  });

  it('draws nothing for no points, but still clears the last', () => {
    const { ctx, calls } = recorder();
    drawRipples(ctx, [], 0, 1, [{ x: 1, y: 1 }]);
    expect(calls.filter((c) => c.startsWith('clear'))).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith('arc'))).toHaveLength(0);
  });
});

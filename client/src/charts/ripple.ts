// The overdue ripples, drawn on one canvas over the map. As DOM elements each ring was a
// compositor layer of its own (a running transform animation): up to 48 of them, which every
// frame of the wall then had to layerize against, about 1 ms of each update's frame and a
// third of the idle wall's main-thread time. One canvas is one layer whatever the count.

export const RIPPLE_PERIOD_MS = 3000;
/** Redraws per second: a ring grows a few pixels a step; smoother costs the wall more. */
export const RIPPLE_FPS = 12;
/** The ring's radius at rest, CSS pixels. */
export const RIPPLE_RADIUS = 6;
const RING_WIDTH = 1.5;
const RING_COLOUR = '255, 77, 94';

/** Scale and opacity along one period: quick growth, slow fade (ease-out). */
const KEYFRAMES: ReadonlyArray<readonly [phase: number, scale: number, alpha: number]> = [
  [0, 1, 0.9],
  [0.25, 2.2, 0.6],
  [0.5, 2.9, 0.35],
  [0.75, 3.3, 0.15],
  [1, 3.5, 0],
];

/** A ring at `phase` (0..1) of its period: radius in CSS pixels and opacity. */
export function ringAt(phase: number): { r: number; alpha: number } {
  const p = phase - Math.floor(phase);
  let i = 1;
  while (i < KEYFRAMES.length - 1 && KEYFRAMES[i]![0] <= p) i++;
  const [p0, s0, a0] = KEYFRAMES[i - 1]!;
  const [p1, s1, a1] = KEYFRAMES[i]!;
  const f = (p - p0) / (p1 - p0);
  return { r: RIPPLE_RADIUS * (s0 + (s1 - s0) * f), alpha: a0 + (a1 - a0) * f };
}

/** Two rings per point, half a period apart. `t` in ms; every point pulses in step. */
export function ringsAt(t: number): Array<{ r: number; alpha: number }> {
  const phase = t / RIPPLE_PERIOD_MS;
  return [ringAt(phase), ringAt(phase + 0.5)];
}

/** The box (CSS pixels) a point's rings can reach, to clear it and nothing else. */
export const RIPPLE_REACH = RIPPLE_RADIUS * 3.5 + RING_WIDTH;

export interface RippleCanvas {
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  stroke(): void;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
}

/**
 * Draws the rings of every point at time `t` (ms), after clearing what the last draw covered
 * (`last`); returns what this one covers. `ratio` is the canvas' pixels per CSS pixel.
 */
export function drawRipples(
  ctx: RippleCanvas,
  points: ReadonlyArray<{ x: number; y: number }>,
  t: number,
  ratio: number,
  last: ReadonlyArray<{ x: number; y: number }>,
): ReadonlyArray<{ x: number; y: number }> {
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const reach = RIPPLE_REACH + 1;
  for (const p of last) ctx.clearRect(p.x - reach, p.y - reach, reach * 2, reach * 2);
  ctx.lineWidth = RING_WIDTH;
  for (const ring of ringsAt(t)) {
    if (ring.alpha <= 0.01) continue;
    ctx.strokeStyle = `rgba(${RING_COLOUR}, ${ring.alpha.toFixed(3)})`;
    ctx.beginPath();
    for (const p of points) {
      // One path, one stroke per ring size: the pen lifts between circles.
      const r = ring.r - RING_WIDTH / 2;
      ctx.moveTo(p.x + r, p.y);
      ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    }
    ctx.stroke();
  }
  return points;
}

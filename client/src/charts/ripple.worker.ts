// Draws the overdue ripples on the map's OffscreenCanvas, off the page's main thread: an
// animation that runs around the clock then costs the wall's main thread nothing per frame
// (on the main thread, each redraw of a 2D canvas cost about 2 ms, most of it handing the
// canvas to the compositor).
import { RIPPLE_FPS, drawRipples } from './ripple';

export type RippleMessage =
  | { kind: 'canvas'; canvas: OffscreenCanvas }
  | { kind: 'size'; width: number; height: number; ratio: number }
  | { kind: 'points'; points: Array<{ x: number; y: number }> }
  | { kind: 'visible'; visible: boolean };

let ctx: OffscreenCanvasRenderingContext2D | null = null;
let canvas: OffscreenCanvas | null = null;
let ratio = 1;
let points: ReadonlyArray<{ x: number; y: number }> = [];
let last: ReadonlyArray<{ x: number; y: number }> = [];
let visible = true;
let timer: ReturnType<typeof setTimeout> | null = null;

const draw = () => {
  timer = null;
  if (!ctx) return;
  last = drawRipples(ctx, points, performance.now(), ratio, last);
  schedule();
};
const schedule = () => {
  if (timer !== null || !ctx || !visible || (!points.length && !last.length)) return;
  timer = setTimeout(draw, 1000 / RIPPLE_FPS);
};

self.onmessage = (e: MessageEvent<RippleMessage>) => {
  const m = e.data;
  if (m.kind === 'canvas') {
    canvas = m.canvas;
    ctx = canvas.getContext('2d');
  } else if (m.kind === 'size' && canvas) {
    // A new size clears the canvas.
    canvas.width = m.width;
    canvas.height = m.height;
    ratio = m.ratio;
    last = [];
  } else if (m.kind === 'points') {
    points = m.points;
  } else if (m.kind === 'visible') {
    visible = m.visible;
  }
  schedule();
};

import { DESIGN_HEIGHT } from './scale';

// Which arrangement of panels a wall gets, and how a tile of a splice wall finds its part.
// Every layout is 1080 design pixels tall; its width follows the wall's aspect within the
// layout's range, so a screen is filled edge to edge instead of letterboxed, and a wider wall
// gets a layout that shows more rather than the same panels larger.

export type LayoutId = '4x3' | '16x9' | '32x9' | '48x9';

export interface LayoutSpec {
  id: LayoutId;
  /** Design width range (px at 1080 tall): the canvas is 1080 × aspect, clamped to it. */
  minWidth: number;
  maxWidth: number;
}

export const LAYOUTS: Readonly<Record<LayoutId, LayoutSpec>> = {
  '4x3': { id: '4x3', minWidth: 1440, maxWidth: 1440 },
  '16x9': { id: '16x9', minWidth: 1920, maxWidth: 1920 },
  '32x9': { id: '32x9', minWidth: 3200, maxWidth: 4400 },
  '48x9': { id: '48x9', minWidth: 4800, maxWidth: 6400 },
};

export function isLayoutId(v: unknown): v is LayoutId {
  return typeof v === 'string' && Object.hasOwn(LAYOUTS, v);
}

/** The layout for a wall of this aspect (width / height): the nearest design aspect. */
export function layoutForAspect(aspect: number): LayoutId {
  if (!(aspect > 0)) return '16x9';
  // Boundaries at the geometric means of neighbouring aspects (4:3, 16:9, 32:9, 48:9).
  if (aspect < Math.sqrt((4 / 3) * (16 / 9))) return '4x3';
  if (aspect < Math.sqrt((16 / 9) * (32 / 9))) return '16x9';
  if (aspect < Math.sqrt((32 / 9) * (48 / 9))) return '32x9';
  return '48x9';
}

/** The design canvas of a layout on a wall of this aspect. */
export function designSize(layout: LayoutId, aspect: number): { width: number; height: number } {
  const spec = LAYOUTS[layout];
  const ideal = Math.round(DESIGN_HEIGHT * (aspect > 0 ? aspect : 16 / 9));
  return { width: Math.min(spec.maxWidth, Math.max(spec.minWidth, ideal)), height: DESIGN_HEIGHT };
}

/** A splice wall: `cols`×`rows` screens, this PC's screen at (`col`, `row`), 0-based from the top left. */
export interface TileSpec {
  cols: number;
  rows: number;
  col: number;
  row: number;
  /** Bezel width between two screens, in this screen's CSS pixels (horizontal, vertical). */
  bezelX: number;
  bezelY: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const GRID_RE = /^([1-9]\d?)x([1-9]\d?)$/;
const TILE_RE = /^(\d{1,2}),(\d{1,2})$/;
const BEZEL_RE = /^(\d{1,3}(?:\.\d+)?)(?:,(\d{1,3}(?:\.\d+)?))?$/;

/**
 * `?grid=4x2&tile=3,1[&bezel=12,10]`: null without `grid`; an error naming the parameter when
 * malformed or when the tile lies outside the grid.
 */
export function parseTile(search: string): Parsed<TileSpec | null> {
  const q = new URLSearchParams(search);
  const grid = q.get('grid');
  if (grid === null) return { ok: true, value: null };
  const g = GRID_RE.exec(grid);
  if (!g) return { ok: false, error: `grid: 应为 列x行，如 4x2（收到 "${grid}"）` };
  const cols = Number(g[1]);
  const rows = Number(g[2]);
  const tileText = q.get('tile') ?? '0,0';
  const t = TILE_RE.exec(tileText);
  if (!t) return { ok: false, error: `tile: 应为 列,行，从 0 起，如 3,1（收到 "${tileText}"）` };
  const col = Number(t[1]);
  const row = Number(t[2]);
  if (col >= cols || row >= rows) return { ok: false, error: `tile: ${col},${row} 不在 ${cols}x${rows} 的屏幕墙内` };
  const bezelText = q.get('bezel') ?? '0';
  const b = BEZEL_RE.exec(bezelText);
  if (!b) return { ok: false, error: `bezel: 应为 横向像素[,纵向像素]，如 12,10（收到 "${bezelText}"）` };
  const bezelX = Number(b[1]);
  const bezelY = b[2] === undefined ? bezelX : Number(b[2]);
  return { ok: true, value: { cols, rows, col, row, bezelX, bezelY } };
}

/** `?layout=`: null when absent (chosen by aspect), an error when it names no layout. */
export function parseLayout(search: string): Parsed<LayoutId | null> {
  const v = new URLSearchParams(search).get('layout');
  if (v === null || v === 'auto') return { ok: true, value: null };
  if (isLayoutId(v)) return { ok: true, value: v };
  return { ok: false, error: `layout: 应为 ${Object.keys(LAYOUTS).join(' / ')} 或 auto（收到 "${v}"）` };
}

/**
 * The whole wall as this PC sees it: the screens' area and the bezels between them, in this
 * screen's CSS pixels, and where this screen's top left lies in it. Every PC lays out the same
 * canvas on that area and shows its own window of it, so content hidden behind a bezel is
 * the width of the bezel: a line crossing two screens stays straight.
 */
export function wallViewport(view: { width: number; height: number }, tile: TileSpec | null): { width: number; height: number; offsetX: number; offsetY: number } {
  if (!tile) return { width: view.width, height: view.height, offsetX: 0, offsetY: 0 };
  return {
    width: tile.cols * view.width + (tile.cols - 1) * tile.bezelX,
    height: tile.rows * view.height + (tile.rows - 1) * tile.bezelY,
    offsetX: tile.col * (view.width + tile.bezelX),
    offsetY: tile.row * (view.height + tile.bezelY),
  };
}

/** Each screen's rectangle in design pixels, for what must appear on every screen (the banners). */
export function tileRects(
  tile: TileSpec,
  view: { width: number; height: number },
  scale: number,
  origin: { x: number; y: number },
): Array<{ col: number; row: number; left: number; top: number; width: number; height: number }> {
  const out = [];
  for (let row = 0; row < tile.rows; row++) {
    for (let col = 0; col < tile.cols; col++) {
      const x = col * (view.width + tile.bezelX) - origin.x;
      const y = row * (view.height + tile.bezelY) - origin.y;
      out.push({ col, row, left: x / scale, top: y / scale, width: view.width / scale, height: view.height / scale });
    }
  }
  return out;
}

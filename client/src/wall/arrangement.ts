import type { LayoutId } from '../lib/layouts';

// Which panels each layout shows, where, and how much of each: columns of stacked panels on the
// 1080-tall canvas (header 80 + 12, a 972 px grid, 16 px margins and gaps between columns, 14 px
// between panels). Sizes are fixed per layout and canvas width, never from content: each panel
// is a relayout boundary (see style.css), and the charts keep their size between updates.

export type PanelId = 'kpi' | 'trend' | 'ticker' | 'map' | 'units' | 'overdue' | 'centers' | 'week' | 'drills';

export interface PlacedPanel {
  id: PanelId;
  height: number;
  /** Overdue board, drill table: rows that fit. */
  rows?: number;
  /** Unit board: columns × perColumn. */
  columns?: number;
  perColumn?: number;
  /** District map: the urban core at full size beside the city. */
  coreFull?: boolean;
}

export interface PlacedColumn {
  width: number;
  panels: PlacedPanel[];
}

export const GRID_TOP = 92;
export const GRID_HEIGHT = 972;
const MARGIN = 16;
const COLUMN_GAP = 16;
const PANEL_GAP = 14;
const PANEL_HEAD = 44;
const OVERDUE_ROW = 42;
const DRILL_ROW = 36;
const UNIT_ROW = 27;
const UNIT_COLUMN_MIN = 500;

type Spec = { id: PanelId; height: number | 'fill'; coreFull?: boolean };
type ColumnSpec = { width: number | 'fill'; panels: Spec[] };

const SPECS: Record<LayoutId, ColumnSpec[]> = {
  '16x9': [
    {
      width: 460,
      panels: [
        { id: 'kpi', height: 384 },
        { id: 'trend', height: 256 },
        { id: 'ticker', height: 'fill' },
      ],
    },
    {
      width: 'fill',
      panels: [
        { id: 'map', height: 612 },
        { id: 'units', height: 'fill' },
      ],
    },
    {
      width: 480,
      panels: [
        { id: 'overdue', height: 352 },
        { id: 'centers', height: 'fill' },
      ],
    },
  ],
  // An old projector: what a duty officer must see at once, larger rather than more.
  '4x3': [
    {
      width: 460,
      panels: [
        { id: 'kpi', height: 384 },
        { id: 'overdue', height: 'fill' },
      ],
    },
    {
      width: 'fill',
      panels: [
        { id: 'map', height: 612 },
        { id: 'trend', height: 'fill' },
      ],
    },
  ],
  '32x9': [
    {
      width: 460,
      panels: [
        { id: 'kpi', height: 384 },
        { id: 'trend', height: 256 },
        { id: 'ticker', height: 'fill' },
      ],
    },
    {
      width: 'fill',
      panels: [
        { id: 'map', height: 612, coreFull: true },
        { id: 'units', height: 'fill' },
      ],
    },
    { width: 560, panels: [{ id: 'overdue', height: 'fill' }] },
    {
      width: 640,
      panels: [
        { id: 'week', height: 352 },
        { id: 'centers', height: 'fill' },
      ],
    },
  ],
  '48x9': [
    {
      width: 460,
      panels: [
        { id: 'kpi', height: 384 },
        { id: 'ticker', height: 'fill' },
      ],
    },
    {
      width: 'fill',
      panels: [
        { id: 'map', height: 612, coreFull: true },
        { id: 'units', height: 'fill' },
      ],
    },
    { width: 560, panels: [{ id: 'overdue', height: 'fill' }] },
    {
      width: 900,
      panels: [
        { id: 'week', height: 352 },
        { id: 'drills', height: 'fill' },
      ],
    },
    {
      width: 560,
      panels: [
        { id: 'trend', height: 352 },
        { id: 'centers', height: 'fill' },
      ],
    },
  ],
};

/** The columns of a layout on a canvas `canvasWidth` wide, every size resolved. */
export function arrange(layout: LayoutId, canvasWidth: number): PlacedColumn[] {
  const specs = SPECS[layout];
  const fixed = specs.reduce((sum, c) => sum + (c.width === 'fill' ? 0 : c.width), 0);
  const fillWidth = Math.max(0, canvasWidth - 2 * MARGIN - (specs.length - 1) * COLUMN_GAP - fixed);
  return specs.map((c) => {
    const width = c.width === 'fill' ? fillWidth : c.width;
    const fixedHeight = c.panels.reduce((sum, p) => sum + (p.height === 'fill' ? 0 : p.height), 0);
    const fillHeight = GRID_HEIGHT - (c.panels.length - 1) * PANEL_GAP - fixedHeight;
    const panels = c.panels.map((p): PlacedPanel => {
      const height = p.height === 'fill' ? fillHeight : p.height;
      const body = height - PANEL_HEAD;
      const placed: PlacedPanel = { id: p.id, height };
      if (p.coreFull) placed.coreFull = true;
      // Rows of 36 px with 6 px gaps, 20 px kept for the line "另有 N 条" under them.
      if (p.id === 'overdue') placed.rows = Math.max(1, Math.floor((body + 6 - 20) / OVERDUE_ROW));
      if (p.id === 'drills') placed.rows = Math.max(1, Math.floor((body - 34) / DRILL_ROW));
      if (p.id === 'units') {
        // The 16:9 wall keeps its two columns of ten; a wide one as many columns as fit.
        placed.columns = layout === '16x9' ? 2 : Math.max(2, Math.floor((width - 14 * 2 + 24) / (UNIT_COLUMN_MIN + 24)));
        placed.perColumn = Math.max(1, Math.floor((body - 22) / UNIT_ROW));
      }
      return placed;
    });
    return { width, panels };
  });
}

export const GRID_MARGIN = MARGIN;
export const GRID_COLUMN_GAP = COLUMN_GAP;
export const GRID_PANEL_GAP = PANEL_GAP;

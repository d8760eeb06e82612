import { describe, expect, it } from 'vitest';
import { GRID_COLUMN_GAP, GRID_HEIGHT, GRID_MARGIN, GRID_PANEL_GAP, arrange, type PanelId } from './arrangement';
import { LAYOUTS, designSize, type LayoutId } from '../lib/layouts';

const ids = (layout: LayoutId, width: number) => new Set(arrange(layout, width).flatMap((c) => c.panels.map((p) => p.id)));

describe('arrange', () => {
  it('keeps the 16:9 wall as it was: 460 | map | 480, seven overdue rows, two columns of ten units', () => {
    const cols = arrange('16x9', 1920);
    expect(cols.map((c) => c.width)).toEqual([460, 1920 - 32 - 32 - 460 - 480, 480]);
    const overdue = cols[2]!.panels[0]!;
    expect(overdue).toMatchObject({ id: 'overdue', height: 352, rows: 7 });
    expect(cols[1]!.panels[1]).toMatchObject({ id: 'units', columns: 2, perColumn: 10 });
  });

  it('fills every column exactly, at every width a layout allows', () => {
    for (const spec of Object.values(LAYOUTS)) {
      for (const width of [spec.minWidth, spec.maxWidth]) {
        const cols = arrange(spec.id, width);
        expect(cols.reduce((s, c) => s + c.width, 0) + 2 * GRID_MARGIN + (cols.length - 1) * GRID_COLUMN_GAP, `${spec.id} ${width}`).toBe(width);
        for (const c of cols) expect(c.panels.reduce((s, p) => s + p.height, 0) + (c.panels.length - 1) * GRID_PANEL_GAP).toBe(GRID_HEIGHT);
        for (const c of cols) expect(c.width, `${spec.id} ${width}: a column too narrow`).toBeGreaterThanOrEqual(440);
      }
    }
  });

  it('shows more on a wider wall: the urban core full size, the week, the drills, the whole unit ranking, a longer overdue board', () => {
    const base: PanelId[] = ['kpi', 'trend', 'ticker', 'map', 'units', 'overdue', 'centers'];
    for (const id of base) expect(ids('16x9', 1920).has(id)).toBe(true);
    for (const id of [...base, 'week'] as PanelId[]) expect(ids('32x9', 3840).has(id), id).toBe(true);
    for (const id of [...base, 'week', 'drills'] as PanelId[]) expect(ids('48x9', 5760).has(id), id).toBe(true);
    const panel = (layout: LayoutId, width: number, id: PanelId) =>
      arrange(layout, width)
        .flatMap((c) => c.panels)
        .find((p) => p.id === id)!;
    expect(panel('32x9', 3840, 'map').coreFull).toBe(true);
    expect(panel('16x9', 1920, 'map').coreFull).toBeUndefined();
    expect(panel('32x9', 3840, 'overdue').rows).toBeGreaterThan(panel('16x9', 1920, 'overdue').rows! * 2);
    const units = (l: LayoutId, w: number) => panel(l, w, 'units').columns! * panel(l, w, 'units').perColumn!;
    expect(units('16x9', 1920)).toBe(20);
    expect(units('32x9', 3840)).toBeGreaterThanOrEqual(40);
    // 48:9 shows the server's whole list (UNIT_BOARD_SIZE).
    expect(units('48x9', 5760)).toBeGreaterThanOrEqual(60);
  });

  it('fits the 6656×1792 LED wall with the 32:9 layout, wider', () => {
    const { width } = designSize('32x9', 6656 / 1792);
    expect(width).toBe(Math.round(1080 * (6656 / 1792)));
    expect(arrange('32x9', width)[1]!.width).toBeGreaterThan(arrange('32x9', 3840)[1]!.width);
  });
});

import { describe, expect, it } from 'vitest';
import type { OverdueItem } from '@wall/shared';
import wenzhou from '../map/wenzhou.json';
import type { DistrictCollection } from '../lib/geo';
import { RIPPLE_MAX, overdueMarks, prepareGeometry, ripplePositions, rippleMarks, samePositions, type OverdueMark } from './map';

const g = prepareGeometry(wenzhou as unknown as DistrictCollection);

const item = (order: string, district: string | null, extra: Partial<OverdueItem> = {}): OverdueItem => ({
  order,
  incident: `i-${order}`,
  unit: 'city.police',
  center: null,
  district,
  limit: 'sign',
  dueAt: 0,
  location: null,
  acknowledgedBy: null,
  ...extra,
});

describe('overdueMarks', () => {
  it('puts an urban item on both maps and a county item on the whole-city map only', () => {
    const marks = overdueMarks(g, [item('a', 'lucheng'), item('b', 'taishun')]);
    expect(marks.map((m) => m.key)).toEqual(['main/a/sign', 'core/a/sign', 'main/b/sign']);
  });

  it('places by the reported location when there is one, on the inset only when it lies there', () => {
    const inLucheng = { lng: 120.65, lat: 28.01 };
    const [main, core] = overdueMarks(g, [item('a', 'taishun', { location: inLucheng })]);
    expect(main?.coord).toEqual([120.65, 28.01]);
    expect(core?.geo).toBe('core');
  });

  it('leaves out an item that has no place at all', () => {
    expect(overdueMarks(g, [item('a', null)])).toEqual([]);
  });

  it('keys each limit of an order apart, and keeps the acknowledgement', () => {
    const marks = overdueMarks(g, [item('a', 'taishun'), item('a', 'taishun', { limit: 'arrive', acknowledgedBy: 'zhang' })]);
    expect(marks.map((m) => [m.key, m.acknowledged])).toEqual([
      ['main/a/sign', false],
      ['main/a/arrive', true],
    ]);
  });
});

describe('rippleMarks', () => {
  it(`ripples the ${RIPPLE_MAX} newest unacknowledged items, on every map each appears on`, () => {
    const items = Array.from({ length: RIPPLE_MAX + 5 }, (_, i) => item(`o${i}`, i % 2 ? 'lucheng' : 'taishun', { acknowledgedBy: i === 0 ? 'zhang' : null }));
    const chosen = rippleMarks(overdueMarks(g, items));
    const orders = [...new Set(chosen.map((m) => m.order))];
    expect(orders).toEqual(items.slice(1, RIPPLE_MAX + 1).map((i) => i.order));
    expect(chosen.filter((m) => m.order === 'o1').map((m) => m.geo)).toEqual(['main', 'core']);
  });

  it('ripples nothing when every overdue item was acknowledged', () => {
    expect(rippleMarks(overdueMarks(g, [item('a', 'lucheng', { acknowledgedBy: 'li' })]))).toEqual([]);
  });
});

describe('ripplePositions', () => {
  const marks: OverdueMark[] = overdueMarks(g, [item('a', 'lucheng'), item('b', 'taishun')]);

  it('converts each mark on its own map to whole pixels and skips what has no pixel', () => {
    const positions = ripplePositions(marks, (geo, [lng, lat]) => (geo === 'core' ? undefined : [lng * 10 + 0.4, lat * 10 + 0.6]));
    expect(positions.map((p) => p.key)).toEqual(['main/a/sign', 'main/b/sign']);
    expect(positions.every((p) => Number.isInteger(p.x) && Number.isInteger(p.y))).toBe(true);
    expect(ripplePositions(marks, () => [Number.NaN, 1])).toEqual([]);
  });

  it('tells an unchanged layout from a moved or a different set', () => {
    const a = [{ key: 'k', x: 1, y: 2 }];
    expect(samePositions(a, [{ key: 'k', x: 1, y: 2 }])).toBe(true);
    expect(samePositions(a, [{ key: 'k', x: 1, y: 3 }])).toBe(false);
    expect(samePositions(a, [{ key: 'j', x: 1, y: 2 }])).toBe(false);
    expect(samePositions(a, [])).toBe(false);
  });
});

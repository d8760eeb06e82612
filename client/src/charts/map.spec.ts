import { describe, expect, it } from 'vitest';
import type { OverdueItem } from '@wall/shared';
import wenzhou from '../map/wenzhou.json';
import type { DistrictCollection } from '../lib/geo';
import type { RecentMarker } from '../lib/recent';
import { RIPPLE_MAX, districtLabels, mapOption, overdueMarks, placeOnMap, prepareGeometry, recentMarks, rippleMarks, type OverdueMark } from './map';

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

describe('recentMarks', () => {
  const marker = (incident: string, district: string | null, location: RecentMarker['location'] = null): RecentMarker => ({ incident, t: 0, district, location, seenAt: 0, stage: 1 });

  it('spreads markers without a location below their district label, the same way every time', () => {
    const [a, b] = recentMarks(g, [marker('x', 'taishun'), marker('x', 'taishun')]);
    expect(a).toEqual(b);
    expect(a!.coord[1]).toBeLessThan(g.anchors.get('taishun')![1]);
  });

  it('shows an urban incident on both maps, keyed by incident', () => {
    expect(recentMarks(g, [marker('x', 'ouhai'), marker('y', null)]).map((m) => [m.key, m.stage])).toEqual([
      ['main/x', 1],
      ['core/x', 1],
    ]);
  });
});

describe('districtLabels', () => {
  const figures = [{ id: 'lucheng', today: 12, open: 3, overdue: 2 }, { id: 'taishun', today: 4, open: 1, overdue: 0 }];

  it('labels every district once, the urban ones on the inset in larger type', () => {
    const labels = districtLabels(g, figures, 'today');
    expect(labels).toHaveLength(11);
    expect(labels.find((l) => l.key === 'core/lucheng')).toMatchObject({ name: '鹿城区', value: 12, big: true, alert: false });
    expect(labels.find((l) => l.key === 'main/taishun')).toMatchObject({ value: 4, big: false });
    expect(labels.find((l) => l.key === 'main/cangnan')?.value).toBe(0);
  });

  it('shows the chosen measure, and non-zero overdue counts as an alert', () => {
    const labels = districtLabels(g, figures, 'overdue');
    expect(labels.find((l) => l.key === 'core/lucheng')).toMatchObject({ value: 2, alert: true });
    expect(labels.find((l) => l.key === 'main/taishun')).toMatchObject({ value: 0, alert: false });
  });
});

describe('mapOption', () => {
  it('colours both maps by the chosen measure, on a scale that starts at 0', () => {
    const option = mapOption(g, { districts: [{ id: 'lucheng', today: 40, open: 2, overdue: 1 }], measure: 'today' });
    const series = option.series as Array<{ id: string; data: Array<{ id: string; value: number }> }>;
    expect(series.map((s) => s.id)).toEqual(['districts', 'districts-core']);
    expect(series[0]!.data.find((d) => d.id === 'lucheng')?.value).toBe(40);
    expect(series[1]!.data.map((d) => d.id).sort()).toEqual(['longwan', 'lucheng', 'ouhai']);
    expect((option.visualMap as Array<{ min: number; max: number }>)[0]).toMatchObject({ min: 0, max: 40 });
  });
});

describe('placeOnMap', () => {
  const marks: OverdueMark[] = overdueMarks(g, [item('a', 'lucheng'), item('b', 'taishun')]);

  it('converts each point on its own map to whole pixels and leaves out what does not project', () => {
    const placed = placeOnMap(marks, (geo, [lng, lat]) => (geo === 'core' ? undefined : [lng * 10 + 0.4, lat * 10 + 0.6]));
    expect(placed.map((p) => p.key)).toEqual(['main/a/sign', 'main/b/sign']);
    expect(placed.every((p) => Number.isInteger(p.x) && Number.isInteger(p.y))).toBe(true);
    expect(placed[0]).toMatchObject({ order: 'a', limit: 'sign' });
    expect(placeOnMap(marks, () => [Number.NaN, 1])).toEqual([]);
  });
});

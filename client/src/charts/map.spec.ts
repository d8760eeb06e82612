import { describe, expect, it } from 'vitest';
import type { OverdueItem } from '@wall/shared';
import wenzhou from '../map/wenzhou.json';
import type { DistrictCollection } from '../lib/geo';
import type { RecentMarker } from '../lib/recent';
import * as echarts from 'echarts';
import {
  MAP_CORE,
  MAP_MAIN,
  RIPPLE_MAX,
  choropleth,
  districtLabels,
  districtPaths,
  fitProjection,
  mapOption,
  overdueMarks,
  placeOnMap,
  prepareGeometry,
  projectionSamples,
  rampColour,
  recentMarks,
  rippleMarks,
  type MapGeoId,
  type OverdueMark,
} from './map';

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
  unreached: false,
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
  const marker = (incident: string, district: string | null, location: RecentMarker['location'] = null): RecentMarker => ({
    incident,
    t: 0,
    district,
    location,
    seenAt: 0,
    stage: 1,
  });

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
  const figures = [
    { id: 'lucheng', today: 12, open: 3, overdue: 2 },
    { id: 'taishun', today: 4, open: 1, overdue: 0 },
  ];

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

describe('choropleth', () => {
  it('colours every district by the chosen measure, on a scale from 0 to the largest figure', () => {
    const { scale, fills } = choropleth(g, {
      districts: [
        { id: 'lucheng', today: 40, open: 2, overdue: 1 },
        { id: 'ouhai', today: 20, open: 0, overdue: 0 },
      ],
      measure: 'today',
    });
    expect(scale.max).toBe(40);
    expect(fills.size).toBe(11);
    expect(fills.get('lucheng')).toEqual({ id: 'lucheng', value: 40, colour: 'rgb(76,195,239)' });
    expect(fills.get('ouhai')?.colour).toBe('rgb(26,127,196)');
    expect(fills.get('taishun')).toEqual({ id: 'taishun', value: 0, colour: 'rgb(13,53,104)' });
  });

  it('keeps a floor under the scale, so one incident is not the darkest red of the wall', () => {
    const overdue = choropleth(g, { districts: [{ id: 'lucheng', today: 1, open: 1, overdue: 1 }], measure: 'overdue' });
    expect(overdue.scale.max).toBe(3);
    expect(overdue.fills.get('lucheng')?.colour).not.toBe(rampColour(overdue.scale.ramp, 1));
    expect(choropleth(g, { districts: [], measure: 'today' }).scale.max).toBe(10);
  });
});

describe('rampColour', () => {
  const stops = ['#000000', '#ff0000', '#ffffff'];
  it('mixes the two stops around t in RGB, and clamps outside 0..1', () => {
    expect(rampColour(stops, 0)).toBe('rgb(0,0,0)');
    expect(rampColour(stops, 0.25)).toBe('rgb(128,0,0)');
    expect(rampColour(stops, 0.5)).toBe('rgb(255,0,0)');
    expect(rampColour(stops, 0.75)).toBe('rgb(255,128,128)');
    expect(rampColour(stops, 1)).toBe('rgb(255,255,255)');
    expect(rampColour(stops, 7)).toBe('rgb(255,255,255)');
    expect(rampColour(stops, -1)).toBe('rgb(0,0,0)');
    expect(rampColour(stops, Number.NaN)).toBe('rgb(0,0,0)');
  });
});

describe('districtPaths', () => {
  const toPixel = (geo: MapGeoId, [lng, lat]: [number, number]) => (geo === 'main' ? [lng * 10, -lat * 10] : [lng * 20, -lat * 20]);

  it('draws every district on the whole-city map and the urban three on the inset, one ring per subpath', () => {
    const paths = districtPaths(g, toPixel);
    expect(paths.filter((p) => p.geo === 'main')).toHaveLength(11);
    expect(
      paths
        .filter((p) => p.geo === 'core')
        .map((p) => p.id)
        .sort(),
    ).toEqual(['longwan', 'lucheng', 'ouhai']);
    const dongtou = paths.find((p) => p.key === 'main/dongtou')!;
    // 洞头 is 14 islands: 14 closed subpaths.
    expect(dongtou.d.match(/M/g)).toHaveLength(14);
    expect(dongtou.d.match(/Z/g)).toHaveLength(14);
    const [lng, lat] = (wenzhou as unknown as DistrictCollection).features.find((f) => f.properties.id === 'lucheng')!.geometry.coordinates[0]![0]! as number[];
    expect(paths.find((p) => p.key === 'core/lucheng')!.d.startsWith(`M${(lng! * 20).toFixed(1)} ${(-lat! * 20).toFixed(1)}L`)).toBe(true);
  });

  it('skips points that do not project, and a district none of whose points do', () => {
    const paths = districtPaths(g, (geo, c) => (geo === 'core' ? undefined : toPixel(geo, c)));
    expect(paths.every((p) => p.geo === 'main')).toBe(true);
    expect(districtPaths(g, () => [Number.NaN, 0])).toEqual([]);
  });
});

describe('mapOption', () => {
  it('gives ECharts the two geos to lay out and outline, unfilled, and nothing that changes with the figures', () => {
    const option = mapOption(g);
    const geos = option.geo as Array<{ id: string; itemStyle: { areaColor: string } }>;
    expect(geos.map((x) => x.id)).toEqual(['main', 'core']);
    expect(geos.every((x) => x.itemStyle.areaColor === 'transparent')).toBe(true);
    expect(option.series).toBeUndefined();
    expect(option.visualMap).toBeUndefined();
    expect(mapOption(g)).toEqual(option);
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

describe('fitProjection', () => {
  // The real ECharts, rendering server-side: the fit must agree with its own convertToPixel.
  const chart = () => {
    echarts.registerMap(MAP_MAIN, g.main as never);
    echarts.registerMap(MAP_CORE, g.core as never);
    const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 914, height: 566 });
    c.setOption(mapOption(g));
    return c;
  };

  it("agrees with ECharts' convertToPixel within half a pixel, asking it only for the samples", () => {
    const c = chart();
    let asked = 0;
    const ask = (geo: MapGeoId, coord: [number, number]) => {
      asked++;
      return c.convertToPixel({ geoId: geo }, coord) as number[] | undefined;
    };
    const samples = projectionSamples(g);
    const fitted = fitProjection(ask, samples);
    const afterFit = asked;
    expect(afterFit).toBe(samples.main.length + samples.core.length);
    const [x0, y0, x1, y1] = g.urbanBox;
    for (let i = 0; i <= 20; i++) {
      for (const [geo, coord] of [
        ['main', [119.6 + i * 0.08, 27.3 + i * 0.05]],
        ['core', [x0 + ((x1 - x0) * i) / 20, y1 - ((y1 - y0) * i) / 20]],
      ] as Array<[MapGeoId, [number, number]]>) {
        const want = c.convertToPixel({ geoId: geo }, coord) as number[];
        const got = fitted(geo, coord)!;
        expect(Math.abs(got[0]! - want[0]!), `${geo} x at ${coord.join(',')}`).toBeLessThan(0.5);
        expect(Math.abs(got[1]! - want[1]!), `${geo} y at ${coord.join(',')}`).toBeLessThan(0.5);
      }
    }
    expect(asked).toBe(afterFit);
    c.dispose();
  });

  it('keeps asking for a geo whose projection is not a scale and shift per axis', () => {
    let asked = 0;
    const bent = (geo: MapGeoId, [lng, lat]: [number, number]) => {
      asked++;
      return geo === 'main' ? [lng * lng, lat * 10] : [lng * 20, -lat * 20];
    };
    const fitted = fitProjection(bent, projectionSamples(g));
    asked = 0;
    expect(fitted('main', [120, 28])).toEqual([14400, 280]);
    expect(asked).toBe(1);
    // The inset's is one: fitted, not asked.
    const [x, y] = fitted('core', [120.7, 28])!;
    expect(x).toBeCloseTo(2414, 9);
    expect(y).toBeCloseTo(-560, 9);
    expect(asked).toBe(1);
  });

  it('keeps asking when a sample does not project', () => {
    const calls: string[] = [];
    const fitted = fitProjection((geo, c) => (calls.push(geo), geo === 'core' ? undefined : [c[0], c[1]]), projectionSamples(g));
    calls.length = 0;
    expect(fitted('core', [120.7, 28])).toBeUndefined();
    expect(fitted('main', [120, 28])).toEqual([120, 28]);
    expect(calls).toEqual(['core']);
  });
});

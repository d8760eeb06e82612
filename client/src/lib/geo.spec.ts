import { describe, expect, it } from 'vitest';
import wenzhou from '../map/wenzhou.json';
import { bbox, centroid, jitter, pointInFeature, type DistrictCollection } from './geo';
import { KAIFAQU_POINT, URBAN_DISTRICTS } from '../charts/map';

const geo = wenzhou as unknown as DistrictCollection;
const byId = new Map(geo.features.map((f) => [f.properties.id, f]));

describe('the simplified Wenzhou map', () => {
  it('has the 11 districts with their adcodes', () => {
    expect(geo.features.map((f) => [f.properties.id, f.properties.name, f.properties.adcode]).sort()).toEqual(
      [
        ['cangnan', '苍南县', 330327],
        ['dongtou', '洞头区', 330305],
        ['longwan', '龙湾区', 330303],
        ['lucheng', '鹿城区', 330302],
        ['ouhai', '瓯海区', 330304],
        ['pingyang', '平阳县', 330326],
        ['ruian', '瑞安市', 330381],
        ['taishun', '泰顺县', 330329],
        ['wencheng', '文成县', 330328],
        ['yongjia', '永嘉县', 330324],
        ['yueqing', '乐清市', 330382],
      ].sort(),
    );
  });
  it('is small enough for a browser', () => {
    expect(JSON.stringify(wenzhou).length).toBeLessThan(150 * 1024);
  });
  it('has label anchors inside each mainland district', () => {
    for (const id of ['lucheng', 'longwan', 'ouhai', 'yongjia', 'pingyang', 'cangnan', 'wencheng', 'taishun', 'ruian', 'yueqing']) {
      expect(pointInFeature(centroid(byId.get(id)!), byId.get(id)!), id).toBe(true);
    }
  });
  it('tests a point against the outer ring and its holes, edges half-open', () => {
    const square = (x0: number, y0: number, x1: number, y1: number) => [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ];
    const f = {
      type: 'Feature' as const,
      properties: { id: 'x', name: 'x', adcode: 0 },
      geometry: { type: 'MultiPolygon' as const, coordinates: [[square(0, 0, 10, 10), square(4, 4, 6, 6)], [square(20, 0, 30, 10)]] },
    };
    expect(pointInFeature([1, 1], f)).toBe(true);
    expect(pointInFeature([5, 5], f)).toBe(false); // in the hole
    expect(pointInFeature([25, 5], f)).toBe(true); // the second part
    expect(pointInFeature([15, 5], f)).toBe(false);
    expect(pointInFeature([-1, 5], f)).toBe(false);
  });
  it('places 开发区 inside 龙湾', () => {
    expect(pointInFeature(KAIFAQU_POINT, byId.get('longwan')!)).toBe(true);
  });
  it('urban core box is around Wenzhou city', () => {
    const b = bbox(URBAN_DISTRICTS.map((id) => byId.get(id)!));
    expect(b[0]).toBeGreaterThan(120.2);
    expect(b[2]).toBeLessThan(121.1);
  });
});

describe('jitter', () => {
  it('is deterministic and bounded', () => {
    expect(jitter('o1', 0.02)).toEqual(jitter('o1', 0.02));
    for (let i = 0; i < 100; i++) {
      const [x, y] = jitter(`o${i}`, 0.02);
      expect(Math.hypot(x, y)).toBeLessThanOrEqual(0.02 + 1e-12);
    }
  });
});

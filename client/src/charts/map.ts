import type { EChartsOption } from 'echarts';
import type { DistrictFigure, OverdueItem } from '@wall/shared';
import { bbox, centroid, jitter, pointInFeature, type DistrictCollection, type DistrictFeature } from '../lib/geo';
import { RecentIncidents, type RecentMarker } from '../lib/recent';
import { C, MONO, SANS } from './theme';

// The district map: the whole city on the left, the urban core (鹿城, 瓯海, 龙湾: small, and
// where most incidents are) enlarged on the right, so their labels never collide. 开发区 is a
// marked point inside 龙湾 with its own month count.

export const MAP_MAIN = 'wenzhou';
export const MAP_CORE = 'wenzhou-core';
export const URBAN_DISTRICTS = ['lucheng', 'ouhai', 'longwan'];
/** Inside 龙湾 (温州经济技术开发区, 滨海园区 side). */
export const KAIFAQU_POINT: [number, number] = [120.86, 27.87];

export type Measure = 'today' | 'open' | 'overdue';
export const MEASURES: Array<{ id: Measure; label: string }> = [
  { id: 'today', label: '今日警情' },
  { id: 'open', label: '处置中工单' },
  { id: 'overdue', label: '当前逾期' },
];

export function isMeasure(v: unknown): v is Measure {
  return v === 'today' || v === 'open' || v === 'overdue';
}

export interface MapGeometry {
  main: DistrictCollection;
  core: DistrictCollection;
  anchors: Map<string, [number, number]>;
  names: Map<string, string>;
  urbanBox: [number, number, number, number];
  /** Where the "市区" pointer sits on the whole-city map. */
  urbanTag: [number, number];
}

/** Anchors (label points) and the urban-core sub-map, computed once from the GeoJSON. */
export function prepareGeometry(geo: DistrictCollection): MapGeometry {
  const anchors = new Map<string, [number, number]>();
  const names = new Map<string, string>();
  for (const f of geo.features) {
    names.set(f.properties.id, f.properties.name);
    // 洞头 is islands: its largest island's centroid is fine; keep the source's anchor otherwise.
    anchors.set(f.properties.id, centroid(f));
  }
  // Hand-tuned nudges where the centroid sits awkwardly for a label.
  const nudge: Record<string, [number, number]> = { longwan: [-0.01, 0.02], dongtou: [0.02, 0.0] };
  for (const [id, [dx, dy]] of Object.entries(nudge)) {
    const a = anchors.get(id);
    if (a) anchors.set(id, [a[0] + dx, a[1] + dy]);
  }
  const urban = geo.features.filter((f) => URBAN_DISTRICTS.includes(f.properties.id));
  const box = bbox(urban);
  const urbanAnchors = URBAN_DISTRICTS.map((id) => anchors.get(id)).filter((a): a is [number, number] => !!a);
  const urbanTag: [number, number] = urbanAnchors.length
    ? [urbanAnchors.reduce((s, a) => s + a[0], 0) / urbanAnchors.length, urbanAnchors.reduce((s, a) => s + a[1], 0) / urbanAnchors.length]
    : [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
  return {
    main: geo,
    core: { type: 'FeatureCollection', features: urban as DistrictFeature[] },
    anchors,
    names,
    urbanBox: [box[0] - 0.01, box[1] - 0.01, box[2] + 0.01, box[3] + 0.01],
    urbanTag,
  };
}

// One canvas layer (zlevel) for the whole map: nothing on it animates between updates, and an
// update changes the fills, the numbers and the markers together, so one repaint of one canvas
// is cheaper than repainting and compositing several. Stacking is by z.
const Z = { recent: 3, overdue: 4, labels: 6 } as const;

const RAMP = ['#0d3568', '#1459a0', '#1a7fc4', '#2a9fd8', '#4cc3ef'];
const RAMP_OVERDUE = ['#12335e', '#5b2a4f', '#a3324c', '#e23e55', '#ff6b78'];

export interface MapInput {
  districts: DistrictFigure[];
  measure: Measure;
  /** From overdueMarks. */
  overdue: readonly OverdueMark[];
  recent: readonly RecentMarker[];
  /** 开发区's incidents this month (from the centers table), null when unknown. */
  kaifaquMonth: number | null;
  now: number;
}

function markerPoint(g: MapGeometry, id: string, district: string | null, location: { lng: number; lat: number } | null): [number, number] | null {
  if (location && Number.isFinite(location.lng) && Number.isFinite(location.lat)) return [location.lng, location.lat];
  const a = district ? g.anchors.get(district) : undefined;
  if (!a) return null;
  // Labels sit above their anchor (see labelOffset): markers spread below it.
  const [dx, dy] = jitter(id, URBAN_DISTRICTS.includes(district!) ? 0.022 : 0.05);
  return [a[0] + dx, a[1] - Math.abs(dy) - 0.006];
}

/** A marker goes on the urban inset too when its district is urban or its point lies in one. */
function inCoreMap(g: MapGeometry, district: string | null, p: [number, number], hasLocation: boolean): boolean {
  if (!hasLocation) return district !== null && URBAN_DISTRICTS.includes(district);
  return g.core.features.some((f) => pointInFeature(p, f));
}

export type MapGeoId = 'main' | 'core';

export interface OverdueMark {
  /** Stable across updates (a ripple keeps its animation phase while the map redraws). */
  key: string;
  geo: MapGeoId;
  coord: [number, number];
  order: string;
  limit: OverdueItem['limit'];
  unit: string;
  acknowledged: boolean;
}

/** Every overdue item's point on the whole-city map, and again on the inset when it lies there. */
export function overdueMarks(g: MapGeometry, overdue: readonly OverdueItem[]): OverdueMark[] {
  const out: OverdueMark[] = [];
  for (const o of overdue) {
    const p = markerPoint(g, o.order + o.limit, o.district, o.location);
    if (!p) continue;
    const base = { coord: p, order: o.order, limit: o.limit, unit: o.unit, acknowledged: o.acknowledgedBy !== null };
    out.push({ key: `main/${o.order}/${o.limit}`, geo: 'main', ...base });
    if (inCoreMap(g, o.district, p, o.location !== null)) out.push({ key: `core/${o.order}/${o.limit}`, geo: 'core', ...base });
  }
  return out;
}

/** How many overdue items ripple at once; the rest are still red dots. */
export const RIPPLE_MAX = 12;

/**
 * The few overdue marks that ripple: not yet acknowledged by a supervisor, newest first (the
 * list comes sorted by due time, latest first), at most RIPPLE_MAX items, each on every map it
 * appears on. A wall where everything pulses draws the eye to nothing.
 */
export function rippleMarks(marks: readonly OverdueMark[]): OverdueMark[] {
  const chosen = new Set<string>();
  for (const m of marks) {
    if (m.acknowledged) continue;
    const item = `${m.order}/${m.limit}`;
    if (!chosen.has(item) && chosen.size >= RIPPLE_MAX) continue;
    chosen.add(item);
  }
  return marks.filter((m) => chosen.has(`${m.order}/${m.limit}`));
}

export interface RipplePosition {
  key: string;
  x: number;
  y: number;
}

/**
 * Chart pixels of the rippling marks (`toPixel` is ECharts' convertToPixel on a geo). Whole
 * pixels, so an unchanged layout yields equal positions and the overlay is left alone.
 */
export function ripplePositions(marks: readonly OverdueMark[], toPixel: (geo: MapGeoId, coord: [number, number]) => number[] | undefined): RipplePosition[] {
  const out: RipplePosition[] = [];
  for (const m of marks) {
    const [x, y] = toPixel(m.geo, m.coord) ?? [];
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    out.push({ key: m.key, x: Math.round(x), y: Math.round(y) });
  }
  return out;
}

export function samePositions(a: readonly RipplePosition[], b: readonly RipplePosition[]): boolean {
  return a.length === b.length && a.every((p, i) => p.key === b[i]?.key && p.x === b[i]?.x && p.y === b[i]?.y);
}

export function mapOption(g: MapGeometry, input: MapInput): EChartsOption {
  const value = (d: DistrictFigure) => d[input.measure];
  const figures = new Map(input.districts.map((d) => [d.id, d]));
  const data = [...g.names].map(([id, name]) => {
    const f = figures.get(id);
    return { name, id, value: f ? value(f) : 0 };
  });
  const max = Math.max(input.measure === 'overdue' ? 3 : 10, ...data.map((d) => d.value));
  const ramp = input.measure === 'overdue' ? RAMP_OVERDUE : RAMP;

  const label = (id: string, core: boolean) => {
    const a = g.anchors.get(id)!;
    const d = data.find((x) => x.id === id)!;
    return { name: d.name, id, value: [a[0], a[1], d.value], core };
  };
  const outerLabels = data.filter((d) => !URBAN_DISTRICTS.includes(d.id)).map((d) => label(d.id, false));
  const coreLabels = URBAN_DISTRICTS.filter((id) => g.anchors.has(id)).map((id) => label(id, true));

  const overdueData = (geo: MapGeoId) =>
    input.overdue.filter((m) => m.geo === geo).map((m) => ({ name: m.order, value: m.coord, limit: m.limit, unit: m.unit }));

  const recent = input.recent
    .map((m) => ({ m, p: markerPoint(g, m.incident, m.district, m.location) }))
    .filter((x): x is { m: RecentMarker; p: [number, number] } => x.p !== null);
  const recentData = (inCore: boolean) =>
    recent
      .filter((x) => !inCore || inCoreMap(g, x.m.district, x.p, x.m.location !== null))
      .map((x) => {
        const fresh = RecentIncidents.freshness(x.m, input.now);
        return { name: x.m.incident, value: [x.p[0], x.p[1]], itemStyle: { opacity: 0.25 + 0.75 * fresh }, symbolSize: 6 + 8 * fresh };
      });

  const geoCommon = {
    roam: false,
    silent: true,
    label: { show: false },
    itemStyle: { areaColor: RAMP[0], borderColor: 'rgba(130, 200, 255, 0.75)', borderWidth: 1 },
    emphasis: { disabled: true },
    select: { disabled: true },
  };
  // A dark outline keeps labels readable on any fill colour.
  const outline = { textBorderColor: 'rgba(2, 12, 34, 0.9)', textBorderWidth: 3 };
  const labelRich = (big: boolean) => ({
    n: { color: '#e8f4ff', fontSize: big ? 17 : 15, fontFamily: SANS, lineHeight: big ? 22 : 20, ...outline },
    v: { color: '#ffffff', fontSize: big ? 24 : 20, fontFamily: MONO, fontWeight: 700 as const, lineHeight: big ? 28 : 24, ...outline },
    r: { color: '#ff8b96', fontSize: big ? 24 : 20, fontFamily: MONO, fontWeight: 700 as const, lineHeight: big ? 28 : 24, ...outline },
  });
  const labelFormatter = (p: { name: string; value: unknown }) => {
    const v = (p.value as number[])[2] ?? 0;
    return `{n|${p.name}}\n{${input.measure === 'overdue' && v > 0 ? 'r' : 'v'}|${v}}`;
  };

  return {
    // No ECharts animation at all: any tween (a marker appearing, a fill changing) repaints
    // the whole map layer with its outlined labels every frame until it ends, the largest cost
    // of an update in a profile of the wall under load. Colours and numbers change in place;
    // the overdue ripples move on the compositor (see DistrictMap.vue).
    animation: false,
    textStyle: { fontFamily: SANS },
    geo: [
      {
        id: 'main',
        map: MAP_MAIN,
        layoutCenter: ['31%', '52%'],
        layoutSize: '100%',
        ...geoCommon,
        // The urban core is outlined here and shown enlarged on the right.
        regions: URBAN_DISTRICTS.map((id) => ({ name: g.names.get(id) ?? id, itemStyle: { borderColor: C.cyan, borderWidth: 1.6 } })),
      },
      { id: 'core', map: MAP_CORE, layoutCenter: ['80.5%', '50%'], layoutSize: '68%', ...geoCommon, itemStyle: { ...geoCommon.itemStyle, borderColor: C.cyan, borderWidth: 1.4 } },
    ],
    visualMap: [
      {
        id: 'scale',
        type: 'continuous',
        seriesId: ['districts', 'districts-core'],
        min: 0,
        max,
        calculable: false,
        realtime: false,
        orient: 'vertical',
        left: 0,
        bottom: 6,
        itemWidth: 12,
        itemHeight: 110,
        text: ['多', '少'],
        textStyle: { color: C.muted, fontSize: 13 },
        inRange: { color: ramp },
      },
    ],
    series: [
      { id: 'districts', name: 'districts', type: 'map', geoIndex: 0, data },
      { id: 'districts-core', name: 'districts-core', type: 'map', geoIndex: 1, data: data.filter((d) => URBAN_DISTRICTS.includes(d.id)) },
      {
        id: 'urban-tag',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        silent: true,
        z: Z.labels, // above the markers, so a busy district keeps its number readable
        symbolSize: 0,
        data: [{ name: '市区', value: g.urbanTag }],
        label: {
          show: true,
          position: 'inside',
          formatter: '市区 ▶',
          color: '#ffffff',
          fontSize: 15,
          fontWeight: 700,
          padding: [2, 6],
          backgroundColor: 'rgba(4, 16, 42, 0.65)',
          borderColor: C.cyan,
          borderWidth: 1,
        },
      },
      {
        id: 'labels',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        silent: true,
        z: Z.labels, // above the markers, so a busy district keeps its number readable
        symbolSize: 0,
        data: outerLabels,
        label: { show: true, position: 'inside', offset: [0, -20], formatter: labelFormatter as never, rich: labelRich(false) },
        labelLayout: { hideOverlap: false },
      },
      {
        id: 'labels-core',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 1,
        silent: true,
        z: Z.labels, // above the markers, so a busy district keeps its number readable
        symbolSize: 0,
        data: coreLabels,
        label: { show: true, position: 'inside', offset: [0, -24], formatter: labelFormatter as never, rich: labelRich(true) },
      },
      {
        id: 'kaifaqu',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 1,
        silent: true,
        z: Z.labels, // above the markers, so a busy district keeps its number readable
        symbol: 'circle',
        symbolSize: 10,
        itemStyle: { color: 'transparent', borderColor: C.amber, borderWidth: 2 },
        data: [{ name: '开发区', value: [...KAIFAQU_POINT, input.kaifaquMonth ?? 0] }],
        label: {
          show: true,
          position: 'bottom',
          distance: 4,
          color: C.amber,
          fontSize: 14,
          ...outline,
          formatter: input.kaifaquMonth === null ? '开发区' : `开发区 本月${input.kaifaquMonth}`,
        },
      },
      {
        id: 'recent',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        silent: true,
        z: Z.recent,
        itemStyle: { color: C.cyan, borderColor: '#ffffff', borderWidth: 1 },
        data: recentData(false),
      },
      {
        id: 'recent-core',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 1,
        silent: true,
        z: Z.recent,
        itemStyle: { color: C.cyan, borderColor: '#ffffff', borderWidth: 1 },
        data: recentData(true),
      },
      // Static red dots: the ripples of the newest ones are CSS animations over the map (see
      // rippleMarks), so no canvas layer repaints every animation frame.
      {
        id: 'overdue',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        silent: true,
        z: Z.overdue,
        symbolSize: 10,
        itemStyle: { color: C.red, borderColor: '#ffd0d5', borderWidth: 1.5 },
        data: overdueData('main'),
      },
      {
        id: 'overdue-core',
        type: 'scatter',
        coordinateSystem: 'geo',
        geoIndex: 1,
        silent: true,
        z: Z.overdue,
        symbolSize: 12,
        itemStyle: { color: C.red, borderColor: '#ffd0d5', borderWidth: 1.5 },
        data: overdueData('core'),
      },
    ],
  };
}

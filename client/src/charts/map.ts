import type { EChartsOption } from 'echarts';
import type { DistrictFigure, OverdueItem, WarningItem } from '@wall/shared';
import { bbox, centroid, jitter, pointInFeature, polygons, type DistrictCollection, type DistrictFeature } from '../lib/geo';
import type { RecentMarker } from '../lib/recent';
import { C } from './theme';

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

const RAMP = ['#0d3568', '#1459a0', '#1a7fc4', '#2a9fd8', '#4cc3ef'];
const RAMP_OVERDUE = ['#12335e', '#5b2a4f', '#a3324c', '#e23e55', '#ff6b78'];

export interface MapInput {
  districts: DistrictFigure[];
  measure: Measure;
}

function markerPoint(g: MapGeometry, id: string, district: string | null, location: { lng: number; lat: number } | null): [number, number] | null {
  if (location && Number.isFinite(location.lng) && Number.isFinite(location.lat)) return [location.lng, location.lat];
  const a = district ? g.anchors.get(district) : undefined;
  if (!a) return null;
  // Labels sit above their anchor: markers spread below it.
  const [dx, dy] = jitter(id, URBAN_DISTRICTS.includes(district!) ? 0.022 : 0.05);
  return [a[0] + dx, a[1] - Math.abs(dy) - 0.006];
}

type CoreTest = (p: [number, number]) => boolean;

/** Point-in-urban-core answers of the last call, per geometry and list. */
const lastCoreHits = new WeakMap<MapGeometry, Partial<Record<'recent' | 'overdue', Map<string, boolean>>>>();

/**
 * Every update places every marker again: a point's answer is kept from the list's last call,
 * and only for the points still in it, so the memo never outgrows the markers on the wall.
 */
function coreTest(g: MapGeometry, list: 'recent' | 'overdue'): CoreTest {
  let lists = lastCoreHits.get(g);
  if (!lists) lastCoreHits.set(g, (lists = {}));
  const prev = lists[list];
  const next = new Map<string, boolean>();
  lists[list] = next;
  return (p) => {
    const key = `${p[0]},${p[1]}`;
    const hit = next.get(key) ?? prev?.get(key) ?? g.core.features.some((f) => pointInFeature(p, f));
    next.set(key, hit);
    return hit;
  };
}

/** A marker goes on the urban inset too when its district is urban or its point lies in one. */
function inCoreMap(inCore: CoreTest, district: string | null, p: [number, number], hasLocation: boolean): boolean {
  if (!hasLocation) return district !== null && URBAN_DISTRICTS.includes(district);
  return inCore(p);
}

// The map is drawn in three layers. ECharts lays out the two geos (the projection) and draws
// their outlines once: its map series rebuilt every region's shapes on each setOption, the
// largest part of an update. Under its transparent canvas the districts' fills are SVG paths
// projected once per layout (districtPaths), so a changed figure is a changed `fill`. Over it,
// the labels, the markers and the overdue ripples are a few absolutely placed elements, at
// pixels from the same projection: a number or a marker is a text or style change.

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
  /** Pre-warned (预警, yellow): not overdue yet, so it never ripples. */
  warning: boolean;
}

/** Every overdue item's point on the whole-city map, and again on the inset when it lies there. */
export function overdueMarks(g: MapGeometry, overdue: readonly OverdueItem[], warnings: readonly WarningItem[] = []): OverdueMark[] {
  const out: OverdueMark[] = [];
  const inCore = coreTest(g, 'overdue');
  const all = [...overdue.map((o) => ({ ...o, warning: false })), ...warnings.map((w) => ({ ...w, acknowledgedBy: null, warning: true }))];
  for (const o of all) {
    const p = markerPoint(g, o.order + o.limit, o.district, o.location);
    if (!p) continue;
    const base = { coord: p, order: o.order, limit: o.limit, unit: o.unit, acknowledged: o.acknowledgedBy !== null, warning: o.warning };
    out.push({ key: `main/${o.order}/${o.limit}`, geo: 'main', ...base });
    if (inCoreMap(inCore, o.district, p, o.location !== null)) out.push({ key: `core/${o.order}/${o.limit}`, geo: 'core', ...base });
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
    if (m.acknowledged || m.warning) continue;
    const item = `${m.order}/${m.limit}`;
    if (!chosen.has(item) && chosen.size >= RIPPLE_MAX) continue;
    chosen.add(item);
  }
  return marks.filter((m) => chosen.has(`${m.order}/${m.limit}`));
}

/** Where a marker or a label goes on the map, before projection. */
export interface MapPoint {
  /** Stable across updates, so an element (and its animation) is kept. */
  key: string;
  geo: MapGeoId;
  coord: [number, number];
}

export interface RecentMark extends MapPoint {
  incident: string;
  /** Its fade step (RecentMarker.stage). */
  stage: number;
}

/** The new-incident markers, on the whole-city map and again on the inset when they lie there. */
export function recentMarks(g: MapGeometry, recent: readonly RecentMarker[]): RecentMark[] {
  const out: RecentMark[] = [];
  const inCore = coreTest(g, 'recent');
  for (const m of recent) {
    const p = markerPoint(g, m.incident, m.district, m.location);
    if (!p) continue;
    out.push({ key: `main/${m.incident}`, geo: 'main', coord: p, incident: m.incident, stage: m.stage });
    if (inCoreMap(inCore, m.district, p, m.location !== null)) out.push({ key: `core/${m.incident}`, geo: 'core', coord: p, incident: m.incident, stage: m.stage });
  }
  return out;
}

export interface DistrictLabel extends MapPoint {
  name: string;
  value: number;
  /** On the enlarged inset: the larger type. */
  big: boolean;
  /** A non-zero count of overdue orders: shown in red. */
  alert: boolean;
}

/** One label per district: the urban ones on the inset, the others on the whole-city map. */
export function districtLabels(g: MapGeometry, districts: readonly DistrictFigure[], measure: Measure): DistrictLabel[] {
  const figures = new Map(districts.map((d) => [d.id, d]));
  const out: DistrictLabel[] = [];
  for (const [id, name] of g.names) {
    const anchor = g.anchors.get(id);
    if (!anchor) continue;
    const f = figures.get(id);
    const value = f ? f[measure] : 0;
    const big = URBAN_DISTRICTS.includes(id);
    out.push({ key: `${big ? 'core' : 'main'}/${id}`, geo: big ? 'core' : 'main', coord: anchor, name, value, big, alert: measure === 'overdue' && value > 0 });
  }
  return out;
}

export type Placed<T> = T & { x: number; y: number };

/**
 * Chart pixels of map points (`toPixel`: the geos' projection, see fitProjection), whole
 * pixels; a point that does not project is left out.
 */
export function placeOnMap<T extends MapPoint>(points: readonly T[], toPixel: ToPixel): Array<Placed<T>> {
  const out: Array<Placed<T>> = [];
  for (const p of points) {
    const xy = project(toPixel, p.geo, p.coord);
    if (xy) out.push({ ...p, x: Math.round(xy[0]), y: Math.round(xy[1]) });
  }
  return out;
}

/** The projection of a point on one of the geos (ECharts' convertToPixel, or its fit). */
export type ToPixel = (geo: MapGeoId, coord: [number, number]) => number[] | undefined;

/**
 * ECharts' projection of a geo with no `projection` option is a scale and a shift on each axis
 * (x from longitude, y from latitude). Fitted from ECharts' own answers for a geo's `samples`,
 * a point then costs two multiply-adds, where convertToPixel parses a finder and queries the
 * model each time (a seventh of the wall's allocation per update, for a few hundred markers).
 * A geo whose samples do not fit within half a pixel keeps asking ECharts.
 */
export function fitProjection(toPixel: ToPixel, samples: Readonly<Record<MapGeoId, ReadonlyArray<[number, number]>>>): ToPixel {
  const fits = new Map<MapGeoId, (coord: [number, number]) => number[]>();
  for (const geo of Object.keys(samples) as MapGeoId[]) {
    const fit = fitAxes(samples[geo].map((c) => ({ c, xy: project(toPixel, geo, c) })));
    if (fit) fits.set(geo, fit);
  }
  return (geo, coord) => {
    const fit = fits.get(geo);
    return fit ? fit(coord) : toPixel(geo, coord);
  };
}

/** Points to fit each geo's projection on: its box's corners and its districts' anchors. */
export function projectionSamples(g: MapGeometry): Record<MapGeoId, Array<[number, number]>> {
  const corners = ([x0, y0, x1, y1]: readonly number[]): Array<[number, number]> => [
    [x0!, y0!],
    [x1!, y0!],
    [x0!, y1!],
    [x1!, y1!],
  ];
  const urban = URBAN_DISTRICTS.map((id) => g.anchors.get(id)).filter((a): a is [number, number] => !!a);
  return { main: [...corners(bbox(g.main.features)), ...g.anchors.values()], core: [...corners(g.urbanBox), ...urban] };
}

function fitAxes(points: ReadonlyArray<{ c: [number, number]; xy: [number, number] | null }>): ((coord: [number, number]) => number[]) | null {
  const known = points.filter((p): p is { c: [number, number]; xy: [number, number] } => p.xy !== null);
  const [first] = known;
  if (!first || known.length !== points.length) return null;
  // The sample farthest from the first on both axes gives the steadiest fit.
  const spread = (p: (typeof known)[number]) => Math.min(Math.abs(p.c[0] - first.c[0]), Math.abs(p.c[1] - first.c[1]));
  const far = known.reduce((a, b) => (spread(b) > spread(a) ? b : a));
  const dLng = far.c[0] - first.c[0];
  const dLat = far.c[1] - first.c[1];
  if (dLng === 0 || dLat === 0) return null;
  const ax = (far.xy[0] - first.xy[0]) / dLng;
  const bx = first.xy[0] - ax * first.c[0];
  const ay = (far.xy[1] - first.xy[1]) / dLat;
  const by = first.xy[1] - ay * first.c[1];
  const fit = (c: [number, number]) => [ax * c[0] + bx, ay * c[1] + by];
  for (const p of known) {
    const [x, y] = fit(p.c) as [number, number];
    if (Math.abs(x - p.xy[0]) > 0.5 || Math.abs(y - p.xy[1]) > 0.5) return null;
  }
  return fit;
}

/** A point's chart pixels, or null when it does not project to finite ones. */
function project(toPixel: ToPixel, geo: MapGeoId, coord: [number, number]): [number, number] | null {
  const [x, y] = toPixel(geo, coord) ?? [];
  return x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y) ? null : [x, y];
}

/** The choropleth's scale: 0 to the largest figure (at least a few), one ramp per measure. */
export interface MapScale {
  max: number;
  ramp: readonly string[];
}

export interface DistrictFill {
  id: string;
  value: number;
  colour: string;
}

/** Each district's figure for the measure and its colour on the scale (0 when it has none). */
export function choropleth(g: MapGeometry, input: MapInput): { scale: MapScale; fills: Map<string, DistrictFill> } {
  const figures = new Map(input.districts.map((d) => [d.id, d]));
  const values = [...g.names.keys()].map((id) => ({ id, value: figures.get(id)?.[input.measure] ?? 0 }));
  const max = Math.max(input.measure === 'overdue' ? 3 : 10, ...values.map((d) => d.value));
  const ramp = input.measure === 'overdue' ? RAMP_OVERDUE : RAMP;
  const fills = new Map(values.map((d) => [d.id, { ...d, colour: rampColour(ramp, d.value / max) }]));
  return { scale: { max, ramp }, fills };
}

/** The fill of a district with no figures yet (before the first snapshot). */
export const NO_DATA_FILL = RAMP[0]!;

/** The colour at `t` (0..1, clamped) along evenly spaced stops, mixed in RGB as ECharts' visualMap does. */
export function rampColour(stops: readonly string[], t: number): string {
  const at = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(at));
  const [a, b] = [hexRgb(stops[i]!), hexRgb(stops[i + 1]!)];
  const f = at - i;
  return `rgb(${a.map((v, k) => Math.round(v + (b[k]! - v) * f)).join(',')})`;
}

function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export interface DistrictPath {
  /** `main/<id>` or `core/<id>`. */
  key: string;
  geo: MapGeoId;
  id: string;
  /** SVG path data in the chart's pixels: every ring of every polygon, even-odd filled. */
  d: string;
}

/**
 * The districts' outlines as SVG paths in chart pixels, through `toPixel` (the geos'
 * projection): computed once per layout, since the geos never move.
 */
export function districtPaths(g: MapGeometry, toPixel: ToPixel): DistrictPath[] {
  const out: DistrictPath[] = [];
  for (const [geo, collection] of [
    ['main', g.main],
    ['core', g.core],
  ] as const) {
    for (const f of collection.features) {
      let d = '';
      for (const polygon of polygons(f)) {
        for (const ring of polygon) {
          let first = true;
          for (const coord of ring) {
            const xy = project(toPixel, geo, coord as [number, number]);
            if (!xy) continue;
            d += `${first ? 'M' : 'L'}${xy[0].toFixed(1)} ${xy[1].toFixed(1)}`;
            first = false;
          }
          if (!first) d += 'Z';
        }
      }
      if (d) out.push({ key: `${geo}/${f.properties.id}`, geo, id: f.properties.id, d });
    }
  }
  return out;
}

/**
 * ECharts' part: both geos, laid out and outlined, with no fill (the SVG paths under the
 * canvas are the fill). Static: set once per chart instance.
 */
export function mapOption(g: MapGeometry, coreFull = false): EChartsOption {
  const geoCommon = {
    roam: false,
    silent: true,
    label: { show: false },
    itemStyle: { areaColor: 'transparent', borderColor: 'rgba(130, 200, 255, 0.75)', borderWidth: 1 },
    emphasis: { disabled: true },
    select: { disabled: true },
  };
  return {
    animation: false,
    // No text is drawn by ECharts here; its 12 px default would be below the wall's 14.
    textStyle: { fontSize: 14 },
    geo: [
      {
        id: 'main',
        map: MAP_MAIN,
        // A wide panel (coreFull) puts the urban core at full size beside the city, not as an inset.
        layoutCenter: coreFull ? ['26%', '52%'] : ['31%', '52%'],
        layoutSize: '100%',
        ...geoCommon,
        // The urban core is outlined here and shown enlarged on the right.
        regions: URBAN_DISTRICTS.map((id) => ({ name: g.names.get(id) ?? id, itemStyle: { borderColor: C.cyan, borderWidth: 1.6 } })),
      },
      {
        id: 'core',
        map: MAP_CORE,
        layoutCenter: coreFull ? ['74%', '51%'] : ['80.5%', '50%'],
        layoutSize: coreFull ? '96%' : '68%',
        ...geoCommon,
        itemStyle: { ...geoCommon.itemStyle, borderColor: C.cyan, borderWidth: 1.4 },
      },
    ],
  };
}

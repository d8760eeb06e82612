// Geometry helpers for the district map: label anchors and marker positions.

export type Ring = number[][];
export type PolygonCoords = Ring[];

export interface DistrictFeature {
  type: 'Feature';
  id?: string;
  properties: { name: string; id: string; adcode: number; cp?: [number, number] };
  geometry: { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };
}

export interface DistrictCollection {
  type: 'FeatureCollection';
  features: DistrictFeature[];
}

function signedArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  }
  return a / 2;
}

export function polygons(f: DistrictFeature): PolygonCoords[] {
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

/** Even-odd point in ring test. */
export function pointInRing(p: [number, number], ring: Ring): boolean {
  let inside = false;
  // Indexed, not destructured: this runs for every vertex of a district for every new marker,
  // and array destructuring allocates an iterator whenever V8 has not optimized the loop yet.
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    const xi = a[0]!;
    const yi = a[1]!;
    const xj = b[0]!;
    const yj = b[1]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInFeature(p: [number, number], f: DistrictFeature): boolean {
  return polygons(f).some((poly) => pointInRing(p, poly[0]!) && !poly.slice(1).some((hole) => pointInRing(p, hole)));
}

/** Area centroid of the largest part; falls back to a vertex average for degenerate rings. */
export function centroid(f: DistrictFeature): [number, number] {
  let best: Ring | null = null;
  let bestArea = -1;
  for (const poly of polygons(f)) {
    const a = Math.abs(signedArea(poly[0]!));
    if (a > bestArea) {
      bestArea = a;
      best = poly[0]!;
    }
  }
  const ring = best!;
  const a = signedArea(ring);
  if (Math.abs(a) < 1e-12) {
    const n = ring.length;
    return [ring.reduce((s, p) => s + p[0]!, 0) / n, ring.reduce((s, p) => s + p[1]!, 0) / n];
  }
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j] as [number, number];
    const [x1, y1] = ring[i] as [number, number];
    const k = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * k;
    cy += (y0 + y1) * k;
  }
  return [cx / (6 * a), cy / (6 * a)];
}

/** A small deterministic offset (degrees) from an id, so markers of one district do not stack. */
export function jitter(id: string, radius: number): [number, number] {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  const angle = (((h >>> 0) % 3600) / 3600) * 2 * Math.PI;
  const r = (((h >>> 12) % 1000) / 1000) * radius;
  return [Math.cos(angle) * r, Math.sin(angle) * r];
}

/** Bounding box [minLng, minLat, maxLng, maxLat] of some features. */
export function bbox(features: DistrictFeature[]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    for (const poly of polygons(f)) {
      for (const [x, y] of poly[0]! as Array<[number, number]>) {
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
    }
  }
  return b;
}

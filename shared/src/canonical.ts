/**
 * A canonical, order-free form of a projection state (Maps and Sets sorted, undefined fields
 * dropped), so two states built from the same events in different orders compare equal.
 */
export function canonical(x: unknown): unknown {
  const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  if (x instanceof Map) return [...x.entries()].map(([k, v]) => [String(k), canonical(v)] as [string, unknown]).sort(byKey);
  if (x instanceof Set) return [...x].map((v) => JSON.stringify(canonical(v))).sort();
  if (Array.isArray(x)) return x.map(canonical);
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return x;
}

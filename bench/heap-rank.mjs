// @ts-check
// Ranks a V8 heap snapshot's retained size by constructor (node name for objects, the node
// type for strings, arrays, code and the rest): dominators by Cooper, Harvey and Kennedy's
// iterative algorithm over the snapshot's graph, weak edges left out as DevTools does.
import { readFileSync } from 'node:fs';

/** @param {string} file @param {number} top */
export function rank(file, top = 20) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const meta = snap.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const typeOff = meta.node_fields.indexOf('type');
  const nameOff = meta.node_fields.indexOf('name');
  const sizeOff = meta.node_fields.indexOf('self_size');
  const ecOff = meta.node_fields.indexOf('edge_count');
  const etOff = meta.edge_fields.indexOf('type');
  const toOff = meta.edge_fields.indexOf('to_node');
  const weak = edgeTypes.indexOf('weak');
  const nodes = snap.nodes;
  const edges = snap.edges;
  const strings = snap.strings;
  const n = nodes.length / nf;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0, e = 0; i < n; i++) {
    firstEdge[i] = e;
    e += nodes[i * nf + ecOff] * ef;
    firstEdge[i + 1] = e;
  }
  // Post-order from the root (node 0), iteratively.
  const order = new Int32Array(n).fill(-1);
  const post = new Uint32Array(n);
  let count = 0;
  const stack = [0];
  const cursor = new Uint32Array(n);
  const visited = new Uint8Array(n);
  visited[0] = 1;
  cursor[0] = firstEdge[0];
  while (stack.length) {
    const v = stack[stack.length - 1];
    let pushed = false;
    while (cursor[v] < firstEdge[v + 1]) {
      const e = cursor[v];
      cursor[v] += ef;
      if (edges[e + etOff] === weak) continue;
      const w = edges[e + toOff] / nf;
      if (!visited[w]) {
        visited[w] = 1;
        cursor[w] = firstEdge[w];
        stack.push(w);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      order[v] = count;
      post[count++] = v;
    }
  }
  // Predecessors.
  const predCount = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) {
    if (!visited[v]) continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += ef) if (edges[e + etOff] !== weak) predCount[edges[e + toOff] / nf]++;
  }
  const predStart = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) predStart[v + 1] = predStart[v] + predCount[v];
  const preds = new Uint32Array(predStart[n]);
  const fill = predStart.slice(0, n);
  for (let v = 0; v < n; v++) {
    if (!visited[v]) continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += ef) {
      if (edges[e + etOff] === weak) continue;
      const w = edges[e + toOff] / nf;
      preds[fill[w]++] = v;
    }
  }
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a, b) => {
    while (a !== b) {
      while (order[a] < order[b]) a = idom[a];
      while (order[b] < order[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = count - 2; i >= 0; i--) {
      const v = post[i];
      let d = -1;
      for (let p = predStart[v]; p < predStart[v + 1]; p++) {
        const u = preds[p];
        if (!visited[u] || idom[u] === -1) continue;
        d = d === -1 ? u : intersect(u, d);
      }
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(n);
  for (let v = 0; v < n; v++) retained[v] = nodes[v * nf + sizeOff];
  for (let i = 0; i < count - 1; i++) {
    const v = post[i];
    if (idom[v] >= 0 && idom[v] !== v) retained[idom[v]] += retained[v];
  }
  const label = (v) => {
    const type = nodeTypes[nodes[v * nf + typeOff]];
    return type === 'object' || type === 'closure' || type === 'native' ? `${type}:${strings[nodes[v * nf + nameOff]]}`.slice(0, 80) : type;
  };
  // Per constructor: the self size of all its objects, and the retained size of those not
  // dominated by another of the same constructor (so a Map of Maps is not counted twice).
  /** @type {Map<string, { count: number, self: number, retained: number }>} */
  const by = new Map();
  for (let v = 0; v < n; v++) {
    if (!visited[v]) continue;
    const l = label(v);
    const g = by.get(l) ?? { count: 0, self: 0, retained: 0 };
    g.count++;
    g.self += nodes[v * nf + sizeOff];
    let outer = true;
    for (let d = idom[v]; d > 0 && d !== idom[d]; d = idom[d]) {
      if (label(d) === l) {
        outer = false;
        break;
      }
    }
    if (outer && v !== 0) g.retained += retained[v];
    by.set(l, g);
  }
  let total = 0;
  for (let v = 0; v < n; v++) if (visited[v]) total += nodes[v * nf + sizeOff];
  const MB = (x) => +(x / 1048576).toFixed(2);
  return {
    totalMB: MB(total),
    nodes: n,
    byRetained: [...by.entries()]
      .sort((a, b) => b[1].retained - a[1].retained)
      .slice(0, top)
      .map(([k, g]) => ({ constructor: k, count: g.count, selfMB: MB(g.self), retainedMB: MB(g.retained) })),
    bySelf: [...by.entries()]
      .sort((a, b) => b[1].self - a[1].self)
      .slice(0, top)
      .map(([k, g]) => ({ constructor: k, count: g.count, selfMB: MB(g.self) })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(JSON.stringify(rank(process.argv[2], Number(process.argv[3] ?? 25)), null, 2) + '\n');

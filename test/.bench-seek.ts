import { DEFAULT_INDEX, ReplayEngine, Zone, buildWallSections, cloneState, generateMonth } from '@wall/shared';
const zone = new Zone('Asia/Shanghai');
const from = zone.startOfMonth('2020-08'), to = zone.startOfMonth('2020-09');
const events = generateMonth(2020, from, to, (t) => zone.parts(t).hour, 303).map((e) => ({ ...e, t: Date.parse(e.at) }));
for (const every of [4000, 2000, 1000]) {
  const e = new ReplayEngine(events as never, DEFAULT_INDEX, zone, every);
  let t0 = performance.now(); const end = e.seek(to); console.log('every', every, 'full fold', (performance.now() - t0).toFixed(0), 'ms; open', end.open.size, 'orders', end.orders.size);
  t0 = performance.now(); for (let i = 0; i < 5; i++) cloneState(end); console.log('clone', ((performance.now() - t0) / 5).toFixed(1));
  const s: number[] = [], b: number[] = [];
  for (let i = 0; i < 40; i++) {
    const T = from + Math.random() * (to - from);
    let a = performance.now(); const st = e.seek(T); s.push(performance.now() - a);
    a = performance.now(); buildWallSections(st, T, DEFAULT_INDEX, zone); b.push(performance.now() - a);
  }
  const q = (x: number[]) => { x.sort((p, q) => p - q); return `p50 ${x[20]!.toFixed(1)} max ${x.at(-1)!.toFixed(1)}`; };
  console.log(' seek', q(s), ' build', q(b));
}

// @ts-check
// seek: the replay engine the replay page runs (shared ReplayEngine: sorted events, a copy of
// the state every 8,000 events) seeking to random instants of the month in random order, plus
// building the wall's sections at that instant, as the page does. Baseline from the same run:
// folding every event with at <= T from an empty state (no checkpoints).
import { DEFAULT_INDEX, ReplayEngine, Zone, buildWallSections, projectEvents, seededRng } from '@wall/shared';
import { now, percentile, round } from './lib.mjs';

/**
 * @param {{ events: import('@wall/shared').FeedEvent[], samples: number }} ctx
 */
export function measureSeek({ events, samples }) {
  const zone = new Zone('Asia/Shanghai');
  const stored = events.map((e) => ({ ...e, t: Date.parse(e.at) })).sort((a, b) => a.t - b.t);
  const from = stored[0].t;
  const to = stored[stored.length - 1].t;
  const rng = seededRng(3);
  const instants = Array.from({ length: samples }, () => from + rng() * (to - from));

  const t0 = now();
  const engine = new ReplayEngine(/** @type {any} */ (stored), DEFAULT_INDEX, zone);
  engine.seek(to); // the page's first pass: every checkpoint made once
  const loadMs = now() - t0;
  /** @type {number[]} */
  const times = [];
  for (const T of instants) {
    const s = now();
    buildWallSections(engine.seek(T), T, DEFAULT_INDEX, zone);
    times.push(now() - s);
  }

  /** @type {number[]} */
  const scratch = [];
  for (const T of instants.slice(0, Math.min(10, samples))) {
    const s = now();
    projectEvents(
      stored.filter((e) => e.t <= T),
      DEFAULT_INDEX,
      zone,
    );
    scratch.push(now() - s);
  }
  return {
    seek: { events: stored.length, p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)), samples, firstPassMs: round(loadMs, 0) },
    baseline: { events: stored.length, samples: scratch.length, p50Ms: round(percentile(scratch, 50)), p99Ms: round(percentile(scratch, 99)) },
  };
}

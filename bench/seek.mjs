// @ts-check
// seek: replay is not built yet. What can be measured honestly is the no-checkpoint baseline a
// replay would have to beat: folding every event with at <= T from an empty state with the
// shared projection, for random instants T of the month.
import { DEFAULT_INDEX, Zone, projectEvents, seededRng } from '@wall/shared';
import { now, percentile, round } from './lib.mjs';

/**
 * @param {{ events: import('@wall/shared').FeedEvent[], samples: number, replayBuilt: boolean }} ctx
 */
export function measureSeekBaseline({ events, samples, replayBuilt }) {
  const zone = new Zone('Asia/Shanghai');
  // Stored form (`t` added) and time order, as a replay would hold them in memory.
  const stored = events.map((e) => ({ ...e, t: Date.parse(e.at) })).sort((a, b) => a.t - b.t);
  const from = stored[0].t;
  const to = stored[stored.length - 1].t;
  const rng = seededRng(3);
  /** @type {number[]} */
  const times = [];
  for (let i = 0; i < samples; i++) {
    const T = from + rng() * (to - from);
    let n = 0;
    while (n < stored.length && stored[n].t <= T) n++;
    const t0 = now();
    projectEvents(stored.slice(0, n), DEFAULT_INDEX, zone);
    times.push(now() - t0);
  }
  return {
    seek: null,
    baseline: { events: stored.length, samples, p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)) },
    reason: replayBuilt
      ? 'a replay endpoint exists but this bench does not drive it yet; seekBaseline is the from-scratch projection it must beat'
      : 'replay is not built yet; seekBaselineFromScratchMs is the p99 of projecting the events with at <= T from scratch (shared projectEvents) for random T, the no-checkpoint baseline',
  };
}

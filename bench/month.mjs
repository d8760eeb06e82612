// @ts-check
// The benchmark's month: the generator's August 2020 (the bulletin's mix of centers, units,
// returns and feedbacks, each center its own incidents: the urban centers' come on top of
// 市本级's, as in the seed), scaled in volume so a full run carries >= 80,000 events as issue 7
// asks (the bulletin's own volume makes about 77,000).
import { Zone, generateMonth } from '@wall/shared';

export const MONTH = '2020-08';
const BULLETIN_PER_DAY = 9410 / 31;

/**
 * @param {number} volume factor on the bulletin's incidents per day (1.1 -> ~85,000 events)
 * @param {number} [limit] keep only the first `limit` events (quick mode)
 * @returns {import('@wall/shared').FeedEvent[]}
 */
export function monthEvents(volume, limit) {
  const zone = new Zone('Asia/Shanghai');
  const from = zone.startOfMonth(MONTH);
  const to = zone.startOfMonth('2020-09');
  const events = generateMonth(7, from, to, (t) => zone.parts(t).hour, BULLETIN_PER_DAY * volume);
  return limit === undefined ? events : events.slice(0, limit);
}

/**
 * JSON array bodies of `size` events each, serialised once up front so the timed loops measure
 * the server and Redis, not JSON.stringify in the bench process.
 * @param {unknown[]} events @param {number} size
 */
export function batches(events, size) {
  /** @type {{ body: string, items: string[] }[]} */
  const out = [];
  for (let i = 0; i < events.length; i += size) {
    const items = events.slice(i, i + size).map((e) => JSON.stringify(e));
    out.push({ body: `[${items.join(',')}]`, items });
  }
  return out;
}

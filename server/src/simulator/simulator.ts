import { Logger } from '@nestjs/common';
import { Zone, incidentLifecycle, incidentTimes, seededRng, type FeedEvent } from '@wall/shared';

// The simulated live feed of the embedded setup: it posts through the public feed API, so a
// new install exercises the real path and shows a live wall at once. It first backfills
// yesterday and today so far (same seed, same ids: a restart only re-sends duplicates), then
// keeps incidents coming at the bulletin's rate times `speed`.

const PER_DAY = 9410 / 31;
const TICK_MS = 500;
const BATCH = 2000;
const MAX_QUEUE = 50_000;

export interface SimulatorOptions {
  url: string;
  feedToken: string;
  speed: number;
  tz: string;
}

export function startSimulator(options: SimulatorOptions): () => void {
  const logger = new Logger('Simulator');
  const zone = new Zone(options.tz);
  const hourOf = (t: number) => zone.parts(t).hour;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const queue: FeedEvent[] = [];

  const post = async (events: FeedEvent[]): Promise<void> => {
    for (let i = 0; i < events.length && !stopped; i += BATCH) {
      const res = await fetch(`${options.url}/api/feed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.feedToken}` },
        body: JSON.stringify(events.slice(i, i + BATCH)),
      });
      if (res.status !== 200) logger.warn(`feed answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    }
  };

  const backfill = async (now: number): Promise<void> => {
    const from = zone.startOfDay(Zone.previousDay(zone.dayKey(now)));
    const rng = seededRng(from / 60_000);
    const events: FeedEvent[] = [];
    incidentTimes(rng, from, now, PER_DAY, hourOf).forEach((t, i) => {
      events.push(...incidentLifecycle(rng, `sim-${from}-${i}`, t, { until: now }));
    });
    events.sort((a, b) => a.at.localeCompare(b.at));
    await post(events);
    logger.log(`backfilled ${events.length} events since ${new Date(from).toISOString()}`);
  };

  const live = (start: number) => {
    const rng = seededRng(start);
    let next = start;
    let n = 0;
    const tick = async () => {
      if (stopped) return;
      const now = Date.now();
      // Plan incidents a little ahead, then post each event when its time has come.
      for (const t of incidentTimes(rng, next, now + TICK_MS, PER_DAY * options.speed, hourOf)) {
        queue.push(...incidentLifecycle(rng, `live-${start}-${n++}`, t, { timeScale: options.speed }));
      }
      next = now + TICK_MS;
      queue.sort((a, b) => a.at.localeCompare(b.at));
      const due = queue.findIndex((e) => Date.parse(e.at) > now);
      const ready = queue.splice(0, due === -1 ? queue.length : due);
      try {
        if (ready.length) await post(ready);
      } catch (e) {
        logger.warn(`feed unreachable: ${e instanceof Error ? e.message : String(e)}`);
        queue.unshift(...ready);
        // A feed down for hours must not grow the simulator without bound: the oldest go.
        if (queue.length > MAX_QUEUE) queue.splice(0, queue.length - MAX_QUEUE);
      }
      if (!stopped) timer = setTimeout(() => void tick(), TICK_MS);
    };
    void tick();
  };

  void (async () => {
    const now = Date.now();
    try {
      await backfill(now);
    } catch (e) {
      logger.warn(`backfill failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!stopped) live(now);
  })();

  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

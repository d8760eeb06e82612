import { Logger } from '@nestjs/common';
import { BULLETIN_INCIDENTS_PER_DAY, Zone, incidentLifecycle, incidentTimes, seededRng, type FeedEvent } from '@wall/shared';

// The simulated live feed of the embedded setup: it posts through the public feed API, so a
// new install exercises the real path and shows a live wall at once. It posts with its own
// token, so the server marks every event it sends as simulated (`sim` in the log) and keeps
// the store a demo store. It first backfills yesterday and today so far, then keeps incidents
// coming at the bulletin's rate times `speed`, and on a demo cadence one order that goes
// overdue within a minute.
//
// A restart backfills again, so the backfill must re-send exactly what it sent before: each day
// draws its report times from a generator of its own (a later `now` only extends them), and
// each incident its lifecycle from one seeded by its id's day and number (not from whatever the
// shared generator was left at after a longer or shorter run of times). Events past `now` are
// cut off, never changed, so a later start only adds the rest of each lifecycle.

const PER_DAY = BULLETIN_INCIDENTS_PER_DAY;
const TICK_MS = 500;
const BATCH = 2000;
const MAX_QUEUE = 50_000;

/**
 * The demo cadence: the first order right after the backfill, then one every 10 minutes. Its
 * own `deadlines` (feed-contract.md: a dispatch may set its limits) are short, so a new user
 * sees an overdue order, its alarm and the supervisor's popup within the first minute; no
 * unit's real limits change. Signed, on scene and fed back late, then closed: each demo
 * order raises and resolves its alarms within four minutes.
 */
export const DEMO_EVERY_MS = 10 * 60_000;
export const DEMO_LIMITS = { signMinutes: 0.5, arriveMinutes: 1, feedbackMinutes: 2 } as const;

export function demoIncident(n: number, t0: number): FeedEvent[] {
  const incident = `demo-${t0}-${n}`;
  const order = `${incident}-o`;
  const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
  return [
    {
      id: `${incident}-r`,
      type: 'incident.reported',
      at: at(0),
      incident,
      center: 'city',
      district: 'lucheng',
      kind: 'alarm',
      category: '演示',
      summary: '演示节奏：本指令单独设定30秒签收时限，将超时并报警',
      location: { lng: 120.655, lat: 28.016 },
    },
    { id: `${order}-d`, type: 'order.dispatched', at: at(2), incident, order, unit: 'city.emergency', deadlines: { ...DEMO_LIMITS } },
    { id: `${order}-s`, type: 'order.signed', at: at(90), incident, order },
    { id: `${order}-a`, type: 'order.arrived', at: at(150), incident, order },
    { id: `${order}-f`, type: 'order.feedback', at: at(200), incident, order, stage: 'result', text: '演示：已处置' },
    { id: `${incident}-c`, type: 'incident.closed', at: at(220), incident },
  ];
}

/**
 * The simulated incidents of the day [dayStart, dayEnd) reported before `now`, their events up
 * to `now`: the same ids with the same content whenever it is asked again, `now` only adding.
 */
export function backfillDay(zone: Zone, dayStart: number, dayEnd: number, now: number): FeedEvent[] {
  const hourOf = (t: number) => zone.parts(t).hour;
  const events: FeedEvent[] = [];
  incidentTimes(seededRng(dayStart / 60_000), dayStart, Math.min(dayEnd, now), PER_DAY, hourOf).forEach((t, i) => {
    events.push(...incidentLifecycle(seededRng(incidentSeed(dayStart, i)), `sim-${dayStart}-${i}`, t, { until: now }));
  });
  return events;
}

/** One incident's seed from its day and number (FNV-1a over both). */
function incidentSeed(dayStart: number, n: number): number {
  let h = 0x811c9dc5;
  for (const c of `${dayStart}:${n}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

export interface SimulatorOptions {
  url: string;
  /** The simulator's own token (AuthService.simulatorTokenValue), not FEED_TOKEN. */
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
      if (res.status === 409) {
        // The store holds real data: the simulator must not add to it.
        logger.error(`stopped: ${(await res.text()).slice(0, 300)}`);
        stopped = true;
        return;
      }
      if (res.status !== 200) logger.warn(`feed answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    }
  };

  const backfill = async (now: number): Promise<void> => {
    const today = zone.dayKey(now);
    const from = zone.startOfDay(Zone.previousDay(today));
    const events = [...backfillDay(zone, from, zone.startOfDay(today), now), ...backfillDay(zone, zone.startOfDay(today), now, now)];
    events.sort((a, b) => a.at.localeCompare(b.at));
    await post(events);
    logger.log(`backfilled ${events.length} simulated events since ${new Date(from).toISOString()} (marked sim in the log)`);
  };

  const live = (start: number) => {
    const rng = seededRng(start);
    let next = start;
    let n = 0;
    let demos = 0;
    let nextDemo = start;
    const tick = async () => {
      if (stopped) return;
      const now = Date.now();
      if (now >= nextDemo) {
        queue.push(...demoIncident(demos++, now));
        nextDemo = now + DEMO_EVERY_MS;
      }
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

// @ts-check
// deadlines, the engine's side, through the public contract only (the engine's code is still
// moving):
// - pending: orders dispatched now with long limits (3 limits each: sign, arrive, feedback)
//   until the queue holds >= `pending` delayed jobs; scheduleRatePerSec = limits scheduled per
//   second from the first POST to the last job in the queue (so it includes the feed itself);
// - redisBytesPerPending: MEMORY USAGE of the queue's keys, after less before, per limit;
// - lateness: while those are pending, probe orders with limits of a few seconds that are never
//   met; each alarm's raisedAt - dueAt from GET /api/alarms.
import { Redis } from 'ioredis';
import { keyBytes } from './redis-memory.mjs';
import { login, now, percentile, postFeed, round, sleep } from './lib.mjs';

const QUEUE_KEYS = 'wall:bull:deadlines:*';
const DELAYED = 'wall:bull:deadlines:delayed';
const BATCH = 5000;
/** Far enough that none falls due during the run (its alarms would disturb later measures). */
const LONG = { signMinutes: 600, arriveMinutes: 700, feedbackMinutes: 800 };
/** Due 3, 4.8 and 6 s after dispatch. */
const SHORT = { signMinutes: 0.05, arriveMinutes: 0.08, feedbackMinutes: 0.1 };

/** @param {string} prefix @param {number} count @param {typeof LONG} deadlines */
function orders(prefix, count, deadlines) {
  const at = new Date().toISOString();
  /** @type {unknown[]} */
  const events = [];
  for (let i = 0; i < count; i++) {
    const incident = `${prefix}-i${i}`;
    events.push(
      { id: `${incident}-r`, type: 'incident.reported', at, incident, center: 'ouhai', kind: 'help', category: '急救' },
      { id: `${incident}-d`, type: 'order.dispatched', at, incident, order: `${prefix}-o${i}`, unit: 'ouhai.health', deadlines },
    );
  }
  return events;
}

/** @param {string} url @param {unknown[]} events */
async function postAll(url, events) {
  for (let i = 0; i < events.length; i += BATCH) await postFeed(url, JSON.stringify(events.slice(i, i + BATCH)));
}

/**
 * @param {{ serverUrl: string, redisUrl: string, pending: number, probes: number, runId: string }} ctx
 */
export async function measureDeadlineEngine({ serverUrl, redisUrl, pending, probes, runId }) {
  const redis = new Redis(redisUrl);
  try {
    const token = await login(serverUrl);
    const check = await fetch(`${serverUrl}/api/alarms?state=open`, { headers: { authorization: `Bearer ${token}` } });
    if (check.status !== 200) throw new Error(`GET /api/alarms answers ${check.status}: no alarm API to read lateness from`);

    const count = Math.ceil(pending / 3);
    const before = await keyBytes(redis, QUEUE_KEYS);
    const delayedBefore = await redis.zcard(DELAYED);
    // The engine keeps one delayed job per order, woken at its next undecided limit: each order
    // here holds three pending limits behind one job.
    const target = delayedBefore + count;
    const t0 = now();
    await postAll(serverUrl, orders(`dl-${runId}`, count, LONG));
    const answeredMs = now() - t0;
    const deadline = Date.now() + 180_000;
    while ((await redis.zcard(DELAYED)) < target) {
      if (Date.now() > deadline) throw new Error(`only ${(await redis.zcard(DELAYED)) - delayedBefore} of ${count} order wake-ups scheduled in 180 s`);
      await sleep(20);
    }
    const scheduledMs = now() - t0;
    const after = await keyBytes(redis, QUEUE_KEYS);

    const since = new Date(Date.now() - 1000).toISOString();
    const prefix = `late-${runId}`;
    await postAll(serverUrl, orders(prefix, probes, SHORT));
    /** @type {Array<{ order: string, dueAt: string, raisedAt: string }>} */
    let alarms = [];
    const until = Date.now() + 6000 + 30_000;
    while (Date.now() < until) {
      await sleep(1000);
      const res = await fetch(`${serverUrl}/api/alarms?state=all&since=${encodeURIComponent(since)}`, { headers: { authorization: `Bearer ${token}` } });
      alarms = /** @type {typeof alarms} */ (await res.json()).filter((a) => a.order.startsWith(`${prefix}-`));
      if (alarms.length >= probes * 3) break;
    }
    const late = alarms.map((a) => Date.parse(a.raisedAt) - Date.parse(a.dueAt));
    const reason = late.length
      ? alarms.length < probes * 3
        ? `only ${alarms.length} of ${probes * 3} probe alarms were raised within 36 s; lateness is over those`
        : null
      : `none of the ${probes * 3} probe limits raised an alarm within 36 s`;
    const result = {
      pending: count * 3,
      pendingJobs: count,
      lateP50Ms: round(percentile(late, 50)),
      lateP99Ms: round(percentile(late, 99)),
      redisBytesPerPending: round((after.bytes - before.bytes) / (count * 3), 0),
      scheduleRatePerSec: round((count * 3) / (scheduledMs / 1000), 0),
      alarmsExpected: probes * 3,
      alarmsRaised: alarms.length,
      lateMaxMs: round(percentile(late, 100)),
      feedAnsweredMs: round(answeredMs, 0),
      scheduledMs: round(scheduledMs, 0),
      queueKeys: after.keys,
    };
    return { result, reason };
  } finally {
    redis.disconnect();
  }
}

// @ts-check
// loginStorm: what an unauthenticated login storm costs the command center. Two spells of the
// same length on the same server: a quiet one (baseline) and one with 200 logins kept in flight
// (wrong passwords for made-up users from made-up addresses, so no throttle turns them away:
// only the cap on logins in flight and the hashing threads' lower priority protect the rest).
// In each spell: /api/health timed every 20 ms from a worker thread (its own event loop, so the
// load this process sends does not delay the clock), and probe orders whose limits fall due
// within the spell, each alarm's raisedAt - dueAt from GET /api/alarms.
import { Worker } from 'node:worker_threads';
import { login, percentile, postFeed, round, sleep } from './lib.mjs';

const IN_FLIGHT = 200;
const SPELL_MS = 6000;
/** Due 2, 3 and 4 s after dispatch. */
const SHORT = { signMinutes: 2 / 60, arriveMinutes: 3 / 60, feedbackMinutes: 4 / 60 };

/** @param {string} url */
function probeHealth(url) {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
    let done = false;
    const out = [];
    parentPort.on('message', () => (done = true));
    (async () => {
      while (!done) {
        const t = performance.now();
        const res = await fetch(workerData + '/api/health');
        await res.arrayBuffer();
        out.push(res.status === 200 ? performance.now() - t : 1e9);
        await new Promise((r) => setTimeout(r, 20));
      }
      parentPort.postMessage(out);
    })();`,
    { eval: true, workerData: url },
  );
  return {
    /** @returns {Promise<number[]>} */
    stop: async () => {
      const result = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const out = /** @type {number[]} */ (await result);
      await worker.terminate();
      return out;
    },
  };
}

/** @param {string} prefix @param {number} count */
function probeOrders(prefix, count) {
  const at = new Date().toISOString();
  /** @type {unknown[]} */
  const events = [];
  for (let i = 0; i < count; i++) {
    const incident = `${prefix}-i${i}`;
    events.push(
      { id: `${incident}-r`, type: 'incident.reported', at, incident, center: 'dongtou', kind: 'help', category: '急救' },
      { id: `${incident}-d`, type: 'order.dispatched', at, incident, order: `${prefix}-o${i}`, unit: 'dongtou.health', deadlines: SHORT },
    );
  }
  return events;
}

/**
 * One spell: health probes and probe alarms, with `storm` logins in flight if asked.
 * @param {string} url @param {string} token @param {string} prefix @param {number} probes @param {boolean} storm
 */
async function spell(url, token, prefix, probes, storm) {
  const since = new Date(Date.now() - 1000).toISOString();
  const health = probeHealth(url);
  const statuses = { checked: 0, shed: 0, other: 0 };
  let stop = false;
  let n = 0;
  const loop = async () => {
    while (!stop) {
      const i = n++;
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
        body: JSON.stringify({ username: `storm-${prefix}-${i}`, password: 'wrong-password' }),
      }).catch(() => undefined);
      await res?.arrayBuffer();
      if (res?.status === 401) statuses.checked++;
      else if (res?.status === 429) statuses.shed++;
      else statuses.other++;
    }
  };
  const loops = storm ? Array.from({ length: IN_FLIGHT }, loop) : [];
  await sleep(300);
  await postFeed(url, JSON.stringify(probeOrders(prefix, probes)));
  await sleep(SPELL_MS - 300);
  stop = true;
  await Promise.all(loops);
  const latencies = await health.stop();
  /** @type {Array<{ order: string, dueAt: string, raisedAt: string }>} */
  let alarms = [];
  for (let i = 0; i < 20 && alarms.length < probes * 3; i++) {
    const res = await fetch(`${url}/api/alarms?state=all&since=${encodeURIComponent(since)}`, { headers: { authorization: `Bearer ${token}` } });
    alarms = /** @type {typeof alarms} */ (await res.json()).filter((a) => a.order.startsWith(`${prefix}-`));
    if (alarms.length < probes * 3) await sleep(500);
  }
  const late = alarms.map((a) => Date.parse(a.raisedAt) - Date.parse(a.dueAt));
  return {
    healthP50Ms: round(percentile(latencies, 50)),
    healthP99Ms: round(percentile(latencies, 99)),
    healthMaxMs: round(percentile(latencies, 100)),
    healthProbes: latencies.length,
    lateP99Ms: round(percentile(late, 99)),
    lateMaxMs: round(percentile(late, 100)),
    alarms: alarms.length,
    alarmsExpected: probes * 3,
    loginsSent: n,
    ...statuses,
  };
}

/** @param {{ serverUrl: string, probes: number, runId: string }} ctx */
export async function measureLoginStorm({ serverUrl, probes, runId }) {
  const token = await login(serverUrl);
  const baseline = await spell(serverUrl, token, `calm-${runId}`, probes, false);
  const storm = await spell(serverUrl, token, `storm-${runId}`, probes, true);
  return {
    inFlight: IN_FLIGHT,
    spellMs: SPELL_MS,
    healthMaxMs: storm.healthMaxMs,
    healthP99Ms: storm.healthP99Ms,
    lateP99Ms: storm.lateP99Ms,
    healthRatio: storm.healthP99Ms !== null && baseline.healthP99Ms ? round(storm.healthP99Ms / baseline.healthP99Ms, 2) : null,
    baseline,
    storm,
  };
}

// @ts-check
// latency: N wall clients on /wall while events are posted at a steady rate; for every
// (client, POST) pair, the time from the POST's start to the first delta the client holds
// whose seq reaches the POST's answer seq. That includes the feed, the Redis round trip, the
// tail read, the projection, the server's push throttle (WALL_THROTTLE_MS) and socket.io.
// The baseline is a bare socket.io server in this process emitting to as many clients: what
// this machine's event loop and sockets cost before the product does anything.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { incidentLifecycle, seededRng } from '@wall/shared';
import { freePort, login, now, percentile, postFeed, round, sleep } from './lib.mjs';

const NAMESPACE = '/wall';
const TICK_MS = 100;

/**
 * @param {string} url @param {number} count @param {{ token: string } | undefined} auth
 * @returns {Promise<import('socket.io-client').Socket[]>}
 */
async function connectAll(url, count, auth) {
  const sockets = Array.from({ length: count }, () => io(`${url}${NAMESPACE}`, { auth: auth ?? {}, transports: ['websocket'], reconnection: false, forceNew: true }));
  const connected = Promise.all(
    sockets.map(
      (s) =>
        new Promise((resolve, reject) => {
          s.once('connect', () => resolve(undefined));
          s.once('connect_error', reject);
        }),
    ),
  );
  await connected.catch((e) => {
    for (const s of sockets) s.close();
    throw e;
  });
  return sockets;
}

/** Live events stamped now, so they count as today's and change the wall's sections. */
function liveEvents(/** @type {number} */ count, /** @type {string} */ prefix, /** @type {() => number} */ rng, /** @type {{ n: number }} */ counter) {
  /** @type {Record<string, unknown>[]} */
  const out = [];
  const at = new Date().toISOString();
  while (out.length < count) {
    for (const e of incidentLifecycle(rng, `${prefix}-${counter.n++}`, Date.now())) out.push({ ...e, at });
  }
  return out.slice(0, count);
}

/**
 * @param {{ serverUrl: string, clients: number, eventsPerSec: number, seconds: number, runId: string }} ctx
 */
export async function measureLatency({ serverUrl, clients, eventsPerSec, seconds, runId }) {
  const token = await login(serverUrl);
  const sockets = await connectAll(serverUrl, clients, { token });
  /** @type {Array<Array<[number, number]>>} arrival (seq, time) per client, in arrival order */
  const arrivals = sockets.map(() => []);
  sockets.forEach((s, i) => {
    s.on('snapshot', (snap) => arrivals[i].push([snap.seq, now()]));
    s.on('delta', (delta) => arrivals[i].push([delta.seq, now()]));
  });
  await sleep(500); // every snapshot in, the server idle again

  const perTick = Math.max(1, Math.round((eventsPerSec * TICK_MS) / 1000));
  const rng = seededRng(11);
  const counter = { n: 0 };
  /** @type {Array<{ start: number, seq: number }>} */
  const posts = [];
  /** @type {Promise<void>[]} */
  const inflight = [];
  let sent = 0;
  /** @type {unknown} */
  let failure;
  const t0 = now();
  for (let tick = 0; tick * TICK_MS < seconds * 1000; tick++) {
    const body = JSON.stringify(liveEvents(perTick, `lat-${runId}`, rng, counter));
    const start = now();
    sent += perTick;
    // Not awaited: the sender keeps its rate even when an answer is slow, as a real feed would.
    // The failure is kept and thrown after the loop: a rejection left unhandled while the loop
    // sleeps would end the whole process (and leave its Redis behind).
    inflight.push(
      postFeed(serverUrl, body).then(
        (a) => void posts.push({ start, seq: a.seq }),
        (e) => void (failure ??= e),
      ),
    );
    const next = t0 + (tick + 1) * TICK_MS;
    await sleep(Math.max(0, next - now()));
  }
  await Promise.all(inflight);
  if (failure) {
    for (const s of sockets) s.close();
    throw failure;
  }
  const elapsed = (now() - t0) / 1000;
  const lastSeq = Math.max(...posts.map((p) => p.seq));
  const drainUntil = Date.now() + 5000;
  while (Date.now() < drainUntil && arrivals.some((a) => !a.length || a[a.length - 1][0] < lastSeq)) await sleep(20);
  for (const s of sockets) s.close();

  const samples = [];
  let missed = 0;
  for (const list of arrivals) {
    for (const post of posts) {
      const hit = list.find(([seq, t]) => seq >= post.seq && t >= post.start);
      if (hit) samples.push(hit[1] - post.start);
      else missed++;
    }
  }
  const rawEmitP99Ms = await rawEmit(clients, Math.max(20, Math.round(seconds * 5)));
  return {
    clients,
    eventsPerSec: round(sent / elapsed, 0),
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    rawEmitP99Ms: round(rawEmitP99Ms),
    posts: posts.length,
    pairs: samples.length,
    missedPairs: missed,
    minMs: round(percentile(samples, 0)),
    maxMs: round(percentile(samples, 100)),
  };
}

/**
 * p99 of emit -> receive from a bare socket.io server to `clients` clients in this process.
 * @param {number} clients @param {number} emits
 */
async function rawEmit(clients, emits) {
  const port = await freePort();
  const http = createServer();
  const server = new Server(http, { transports: ['websocket'] });
  const ns = server.of(NAMESPACE);
  await new Promise((resolve) => http.listen(port, '127.0.0.1', () => resolve(undefined)));
  const sockets = await connectAll(`http://127.0.0.1:${port}`, clients, undefined);
  // A delta-sized payload would favour neither side more than a small one; the brief asks small.
  /** @type {number[]} */
  const samples = [];
  for (const s of sockets) s.on('delta', (/** @type {{ sent: number }} */ d) => samples.push(now() - d.sent));
  await sleep(200);
  for (let i = 0; i < emits; i++) {
    ns.volatile.emit('delta', { sent: now(), seq: i, sections: { kpi: { today: i } } });
    await sleep(TICK_MS);
  }
  await sleep(500);
  for (const s of sockets) s.close();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return percentile(samples, 99);
}

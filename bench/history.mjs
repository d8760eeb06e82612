// @ts-check
// history (issue 15): does a year of history cost more than a month? One run on a private
// Redis and server of its own: month 1 (2019-09) through POST /api/feed, the measures, then
// the following months (12 in all, 3 in --quick), the same measures again; each goal a ratio of
// the two points. Public API only (feed, events, reports, health, login): the storage behind it
// is free to change; only the Redis breakdown looks at key names, grouped generically.
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Zone, generateMonth } from '@wall/shared';
import { usedMemory } from './redis-memory.mjs';
import { batches } from './month.mjs';
import { BATCH } from './ingest.mjs';
import { healthSeq, login, now, percentile, postFeed, round, sleep, startRedis, startServer, waitApplied } from './lib.mjs';
import { measureSeek } from './seek.mjs';

export const FIRST_MONTH = '2019-09';
/** The day read at both points: the same day of month 1, whatever came after it. */
export const DAY = '2019-09-02';
// scripts/load-month.mjs's defaults: seed 2020, the month as the ids' label, the bulletin's volume.
const SEED = 2020;
const ZONE = 'Asia/Shanghai';
/** Incidents per day in --quick: about 4,000 events a month (the full month has about 75,000). */
const QUICK_PER_DAY = 16;
const READS = 5;

/** The figures test/bench.e2e.ts and run.mjs's KEYS require; stable between modes. */
export const HISTORY_KEYS = [
  'months',
  'eventsMonth1',
  'eventsTotal',
  'ingestPerSec1',
  'ingestPerSecLast',
  'ingestRatio',
  'rssMB1',
  'rssMBLast',
  'rssRatio',
  'eventsDayMs1',
  'eventsDayMsLast',
  'eventsDayRatio',
  'restartMs1',
  'restartMsLast',
  'restartRatio',
  'reportMs',
  'seekP99Ms',
  'redisBytesPerEvent',
];

/** @param {string} month */
export function nextMonth(month) {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** @param {string} month @param {number | undefined} perDay */
export function monthOf(month, perDay) {
  const zone = new Zone(ZONE);
  return generateMonth(SEED, zone.startOfMonth(month), zone.startOfMonth(nextMonth(month)), (t) => zone.parts(t).hour, perDay, month);
}

/** @param {number[]} xs */
const median = (xs) => /** @type {number} */ (percentile(xs, 50));

/** VmRSS of a process, MB. @param {number} pid */
export function rssMB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

/**
 * A key's group: every ':'-segment that carries a digit (a date, a number, an id) becomes '*',
 * so `wall:log:2019-09-01` and `wall:log:2019-09-02` are both `wall:log:*`.
 * @param {string} key
 */
export const keyGroup = (key) =>
  key
    .split(':')
    .map((s) => (/\d/.test(s) ? '*' : s))
    .join(':');

/**
 * Bytes of every key (MEMORY USAGE, SAMPLES 0: exact), by group.
 * @param {Redis} redis
 * @returns {Promise<Map<string, { keys: number, bytes: number }>>}
 */
async function keyGroups(redis) {
  /** @type {Map<string, { keys: number, bytes: number }>} */
  const groups = new Map();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'COUNT', 2000);
    cursor = next;
    if (!found.length) continue;
    const pipe = redis.pipeline();
    for (const key of found) pipe.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const sizes = (await pipe.exec()) ?? [];
    found.forEach((key, i) => {
      const [err, size] = sizes[i] ?? [];
      if (err || typeof size !== 'number') return;
      const g = groups.get(keyGroup(key)) ?? { keys: 0, bytes: 0 };
      g.keys++;
      g.bytes += size;
      groups.set(keyGroup(key), g);
    });
  } while (cursor !== '0');
  return groups;
}

/**
 * used_memory above the empty Redis, per stored event, and what takes it (the top groups).
 * @param {string} redisUrl @param {number} emptyBytes @param {number} events
 */
async function redisFootprint(redisUrl, emptyBytes, events) {
  const redis = new Redis(redisUrl);
  try {
    const used = await usedMemory(redis);
    const groups = await keyGroups(redis);
    const keysTotal = [...groups.values()].reduce((n, g) => n + g.bytes, 0);
    const sorted = [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes);
    /** @type {Record<string, { keys: number, bytes: number, bytesPerEvent: number | null, share: number | null }>} */
    const breakdown = {};
    const top = sorted.slice(0, 6);
    const rest = sorted.slice(6);
    for (const [group, g] of top) breakdown[group] = { keys: g.keys, bytes: g.bytes, bytesPerEvent: round(g.bytes / events, 1), share: round(g.bytes / keysTotal, 3) };
    if (rest.length) {
      const bytes = rest.reduce((n, [, g]) => n + g.bytes, 0);
      const keys = rest.reduce((n, [, g]) => n + g.keys, 0);
      breakdown[`(${rest.length} other groups)`] = { keys, bytes, bytesPerEvent: round(bytes / events, 1), share: round(bytes / keysTotal, 3) };
    }
    return {
      usedMemory: used,
      bytesPerEvent: round((used - emptyBytes) / events, 1),
      keyBytesPerEvent: round(keysTotal / events, 1),
      keys: [...groups.values()].reduce((n, g) => n + g.keys, 0),
      breakdown,
    };
  } finally {
    redis.disconnect();
  }
}

/**
 * Posts the events in the ingest measure's batches, timed until the projection has applied them.
 * @param {string} url @param {unknown[]} events
 */
async function load(url, events) {
  const bodies = batches(events, BATCH);
  const t0 = now();
  let seq = 0;
  let accepted = 0;
  for (const b of bodies) {
    const answer = await postFeed(url, b.body);
    seq = answer.seq;
    accepted += answer.accepted;
  }
  await waitApplied(url, seq);
  const ms = now() - t0;
  if (accepted !== events.length) throw new Error(`server accepted ${accepted} of ${events.length} events`);
  return { perSec: events.length / (ms / 1000), ms };
}

/**
 * GET with the admin token; the body read whole (the time includes it).
 * @param {string} url @param {string} token
 */
async function timedGet(url, token) {
  const t0 = now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const ms = now() - t0;
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 300)}`);
  return { ms, text };
}

/** @param {string} text NDJSON */
const lines = (text) => text.split('\n').filter((l) => l.length > 0);

/**
 * Median of READS reads of one URL, and the last answer.
 * @param {string} url @param {string} token
 */
async function medianGet(url, token) {
  /** @type {number[]} */
  const times = [];
  let text = '';
  for (let i = 0; i < READS; i++) {
    const r = await timedGet(url, token);
    times.push(r.ms);
    text = r.text;
  }
  return { ms: median(times), text };
}

/**
 * The measures at one point of the history. `server` is stopped and replaced by a restarted one.
 * @param {{ server: Awaited<ReturnType<typeof startServer>>, redisUrl: string, token: string, months: string[], seekMonth: string, seekSamples: number, emptyBytes: number, events: number }} ctx
 */
async function point({ server, redisUrl, token, months, seekMonth, seekSamples, emptyBytes, events }) {
  // A moment for the ingest's garbage to go: RSS is the process holding the history, at rest.
  await sleep(1000);
  const rss = rssMB(server.pid);
  const day = await medianGet(`${server.url}/api/events?from=${DAY}&to=${DAY}`, token);
  /** @type {Record<string, number>} */
  const reports = {};
  for (const month of months) {
    const r = await medianGet(`${server.url}/api/reports/monthly?month=${month}`, token);
    reports[month] = r.ms;
  }
  const [y, m] = seekMonth.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const monthRead = await timedGet(`${server.url}/api/events?from=${seekMonth}-01&to=${seekMonth}-${String(lastDay).padStart(2, '0')}`, token);
  const monthEvents = lines(monthRead.text).map((l) => JSON.parse(l));
  if (!monthEvents.length) throw new Error(`GET /api/events of ${seekMonth} returned no events`);
  const footprint = await redisFootprint(redisUrl, emptyBytes, events);

  const seq = await healthSeq(server.url);
  await server.stop();
  const next = await startServer(redisUrl);
  // Healthy means rebuilt: the restarted server must be where the stopped one was.
  await waitApplied(next.url, seq, 1000);
  const rssRestarted = rssMB(next.pid);

  // CPU-bound in this process, the server idle.
  const seek = measureSeek({ events: monthEvents, samples: seekSamples }).seek;
  return {
    server: next,
    figures: {
      rss,
      rssRestarted,
      dayMs: day.ms,
      dayEvents: lines(day.text).length,
      reports,
      monthReadMs: monthRead.ms,
      monthEvents: monthEvents.length,
      restartMs: next.startMs,
      seekP99Ms: seek.p99Ms,
      seekP50Ms: seek.p50Ms,
      footprint,
    },
  };
}

/**
 * @param {{ redisUrl?: string, quick: boolean }} options a `redisUrl` is used as given (it must be
 * empty); without one the measure starts a private Redis and removes it at the end.
 */
export async function measureHistory({ redisUrl, quick }) {
  const monthCount = quick ? 3 : 12;
  const perDay = quick ? QUICK_PER_DAY : undefined;
  const seekSamples = quick ? 5 : 100;
  /** @type {string[]} */
  const months = [FIRST_MONTH];
  while (months.length < monthCount) months.push(nextMonth(months[months.length - 1]));
  const last = months[months.length - 1];

  const own = redisUrl ? undefined : await startRedis();
  const url = redisUrl ?? /** @type {NonNullable<typeof own>} */ (own).url;
  /** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
  let server;
  try {
    const probe = new Redis(url);
    const emptyBytes = await usedMemory(probe).finally(() => probe.disconnect());
    server = await startServer(url);
    const token = await login(server.url);
    // The server holding nothing yet: what a process of this build costs before any event.
    await sleep(1000);
    const rssEmpty = rssMB(server.pid);

    const month1 = monthOf(FIRST_MONTH, perDay);
    const ingest1 = await load(server.url, month1);
    const at1 = await point({ server, redisUrl: url, token, months: [FIRST_MONTH], seekMonth: FIRST_MONTH, seekSamples, emptyBytes, events: month1.length });
    server = at1.server;

    let total = month1.length;
    let ingestLast = ingest1;
    let eventsLast = 0;
    for (const month of months.slice(1)) {
      const events = monthOf(month, perDay);
      ingestLast = await load(server.url, events);
      eventsLast = events.length;
      total += events.length;
    }
    const atLast = await point({ server, redisUrl: url, token, months: [FIRST_MONTH, last], seekMonth: last, seekSamples, emptyBytes, events: total });
    server = atLast.server;

    const a = at1.figures;
    const b = atLast.figures;
    if (a.dayEvents !== b.dayEvents) throw new Error(`GET /api/events of ${DAY}: ${a.dayEvents} events after month 1, ${b.dayEvents} after ${monthCount} months`);
    const reportMs = Math.max(...Object.values(b.reports), ...Object.values(a.reports));
    return {
      months: monthCount,
      eventsMonth1: month1.length,
      eventsMonthLast: eventsLast,
      eventsTotal: total,
      ingestPerSec1: round(ingest1.perSec, 0),
      ingestPerSecLast: round(ingestLast.perSec, 0),
      ingestRatio: round(ingestLast.perSec / ingest1.perSec, 3),
      rssMB1: round(a.rss, 1),
      rssMBLast: round(b.rss, 1),
      rssRatio: round(b.rss / a.rss, 3),
      rssEmptyMB: round(rssEmpty, 1),
      // What the live process holds per event fed, above the empty one (issue 32): month 1, and all.
      rssBytesPerEvent1: round(((a.rss - rssEmpty) * 1048576) / month1.length, 0),
      rssBytesPerEventLast: round(((b.rss - rssEmpty) * 1048576) / total, 0),
      rssRestartedBytesPerEvent1: round(((a.rssRestarted - rssEmpty) * 1048576) / month1.length, 0),
      rssRestartedMB1: round(a.rssRestarted, 1),
      rssRestartedMBLast: round(b.rssRestarted, 1),
      rssRestartedRatio: round(b.rssRestarted / a.rssRestarted, 3),
      day: DAY,
      eventsDay: a.dayEvents,
      eventsDayMs1: round(a.dayMs, 1),
      eventsDayMsLast: round(b.dayMs, 1),
      eventsDayRatio: round(b.dayMs / a.dayMs, 3),
      restartMs1: round(a.restartMs, 0),
      restartMsLast: round(b.restartMs, 0),
      restartRatio: round(b.restartMs / a.restartMs, 3),
      reportMs: round(reportMs, 1),
      reportMs1: round(a.reports[FIRST_MONTH], 1),
      reportMsLast: Object.fromEntries(Object.entries(b.reports).map(([m, ms]) => [m, round(ms, 1)])),
      seekP99Ms: round(Math.max(a.seekP99Ms ?? NaN, b.seekP99Ms ?? NaN), 1),
      seekP99Ms1: a.seekP99Ms,
      seekP99MsLast: b.seekP99Ms,
      seekSamples,
      monthReadMs1: round(a.monthReadMs, 0),
      monthReadMsLast: round(b.monthReadMs, 0),
      redisBytesPerEvent: b.footprint.bytesPerEvent,
      redisBytesPerEvent1: a.footprint.bytesPerEvent,
      redisKeyBytesPerEvent: b.footprint.keyBytesPerEvent,
      redisUsedMemoryMB: round(b.footprint.usedMemory / 1048576, 1),
      redisKeys: b.footprint.keys,
      redisBreakdown: b.footprint.breakdown,
      redisBreakdown1: a.footprint.breakdown,
    };
  } finally {
    await server?.stop();
    await own?.cleanup();
  }
}

// node bench/history.mjs [--quick] [--out file.json]: this measure alone, against the current build.
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const t0 = Date.now();
  const result = await measureHistory({ quick: args.includes('--quick') });
  const text = JSON.stringify({ history: result, seconds: Math.round((Date.now() - t0) / 1000) }, null, 2) + '\n';
  if (outIndex >= 0) (await import('node:fs')).writeFileSync(args[outIndex + 1], text);
  process.stdout.write(text);
}

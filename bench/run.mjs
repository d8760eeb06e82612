#!/usr/bin/env node
// @ts-check
// npm run bench [-- --quick] [-- --out file.json]
// Starts its own Redis and the built server, runs each measure, prints a table and writes
// bench/results.json. Every figure comes with a baseline taken in the same run on the same
// machine; a measure that cannot run writes null and says why in `reasons`.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureDeadlineEngine } from './deadline-engine.mjs';
import { measureRawDeadlines } from './deadlines.mjs';
import { HISTORY_KEYS, measureHistory } from './history.mjs';
import { measureIngest } from './ingest.mjs';
import { measureLatency } from './latency.mjs';
import { measureLoginStorm } from './login-storm.mjs';
import { ROOT, startRedis, startServer } from './lib.mjs';
import { machine } from './machine.mjs';
import { monthEvents } from './month.mjs';
import { measureRebuild } from './rebuild.mjs';
import { measureSeek } from './seek.mjs';
import { measureWall } from './wall.mjs';
import { printTable } from './table.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : join(ROOT, 'bench/results.json');

const SIZES = quick
  ? {
      monthVolume: 1,
      monthLimit: 5000,
      clients: 20,
      latencyRate: 1000,
      latencySeconds: 2,
      pending: 10_000,
      probes: 20,
      wallEvents: 5000,
      wallPaced: 8,
      wallWarm: 5,
      seekSamples: 5,
      stormProbes: 10,
    }
  : {
      monthVolume: 1.1,
      monthLimit: undefined,
      clients: 100,
      latencyRate: 1000,
      latencySeconds: 10,
      pending: 100_000,
      probes: 100,
      wallEvents: 200_000,
      wallPaced: 40,
      wallWarm: 200,
      seekSamples: 100,
      stormProbes: 30,
    };

/** The keys issue 7 fixes; a measure that fails fills them with null. */
export const KEYS = {
  ingest: ['events', 'eventsPerSec', 'rawXaddPerSec', 'ratio'],
  rebuild: ['events', 'ms', 'rawReadMs', 'ratio'],
  latency: ['clients', 'eventsPerSec', 'p50Ms', 'p99Ms', 'rawEmitP99Ms'],
  deadlines: ['pending', 'lateP50Ms', 'lateP99Ms', 'redisBytesPerPending', 'scheduleRatePerSec', 'rawAddPerSec'],
  seek: ['events', 'p50Ms', 'p99Ms'],
  wall: ['events', 'heapStartMB', 'heapEndMB', 'growthPct', 'updateP95Ms'],
  loginStorm: ['healthMaxMs', 'healthP99Ms', 'lateP99Ms', 'healthRatio'],
  // Issue 15: month 1 against 12 months (3 in --quick) on a Redis and server of its own.
  history: HISTORY_KEYS,
};

/** @type {Record<string, any>} */
const results = { mode: quick ? 'quick' : 'full', startedAt: new Date().toISOString() };
/** @type {Record<string, string>} */
const reasons = {};
const runId = Date.now().toString(36);

// A stray rejection must not end the run before `finally` stops the Redis and the server.
process.on('unhandledRejection', (e) => {
  process.stderr.write(`bench: unhandled rejection: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});

/** The first line of the last stack trace or error in a server's output. @param {string} output */
const lastError = (output) => {
  const lines = output.split('\n').filter((l) => /Error|error/.test(l));
  return (lines[lines.length - 1] ?? output.slice(-300)).trim().slice(0, 300);
};

/** @param {string} name */
const nulls = (name) => Object.fromEntries(KEYS[/** @type {keyof typeof KEYS} */ (name)].map((k) => [k, null]));

/**
 * Runs one measure; a failure is recorded as nulls with its reason, and the others still run.
 * @param {string} name @param {() => Promise<Record<string, unknown>>} fn
 */
async function measure(name, fn) {
  const t0 = Date.now();
  process.stderr.write(`bench: ${name}...\n`);
  try {
    results[name] = await fn();
  } catch (e) {
    if (name in KEYS) results[name] = { ...nulls(name), ...results[name] };
    reasons[name] = reasons[name] ? `${reasons[name]}; ` : '';
    reasons[name] += `failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 1000);
    // A dead server explains every later failure: say what it printed last.
    if (server?.exited()) reasons[name] += ` (the server exited: ${lastError(server.output())})`;
  }
  process.stderr.write(`bench: ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

if (!existsSync(join(ROOT, 'server/dist/main.js'))) {
  console.error('server/dist/main.js missing: run npm run build first (npm run bench does)');
  process.exit(2);
}

const events = monthEvents(SIZES.monthVolume, SIZES.monthLimit);
const redis = await startRedis();
/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let server;
try {
  server = await startServer(redis.url);
  const first = server;
  await measure('ingest', () => measureIngest({ serverUrl: first.url, redisUrl: redis.url, events, serverPid: first.pid }));
  await measure('rebuild', async () => {
    const { result, server: next } = await measureRebuild({ server: first, redisUrl: redis.url });
    server = next;
    return result;
  });
  // A failed rebuild leaves no server: start one so the later measures still run.
  if (!server || server.exited()) server = await startServer(redis.url);
  const live = server;
  await measure('latency', () => measureLatency({ serverUrl: live.url, clients: SIZES.clients, eventsPerSec: SIZES.latencyRate, seconds: SIZES.latencySeconds, runId }));
  // Before the wall: its past-12-hours feed raises a burst of real alarms that would queue
  // ahead of the probe alarms. The pending limits are due in 10+ hours and stay quiet.
  await measure('deadlines', async () => {
    const r = await measureDeadlineEngine({ serverUrl: live.url, redisUrl: redis.url, pending: SIZES.pending, probes: SIZES.probes, runId });
    if (r.reason) reasons.deadlines = r.reason;
    return r.result;
  });
  // Before the wall too: the storm's own probe alarms are due within its spells.
  await measure('loginStorm', () => measureLoginStorm({ serverUrl: live.url, probes: SIZES.stormProbes, runId }));
  await measure('wall', () => measureWall({ serverUrl: live.url, events: SIZES.wallEvents, pacedUpdates: SIZES.wallPaced, warmUpdates: SIZES.wallWarm, runId }));
  await live.stop();
  server = undefined;

  // CPU-bound in this process: run with the server stopped so neither slows the other.
  await measure('seek', async () => {
    const r = measureSeek({ events, samples: SIZES.seekSamples });
    results.seekBaseline = r.baseline;
    return r.seek;
  });
  // The raw baseline goes into the deadlines object, whether the engine's figures exist or not.
  await measure('deadlinesRaw', () => measureRawDeadlines({ redisUrl: redis.url, pending: SIZES.pending }));
  results.deadlines = { ...nulls('deadlines'), ...results.deadlines, rawAddPerSec: null, ...results.deadlinesRaw };
  if (reasons.deadlinesRaw) reasons.deadlines = `${reasons.deadlines ?? ''}; raw baseline ${reasons.deadlinesRaw}`.replace(/^; /, '');
  delete results.deadlinesRaw;
  delete reasons.deadlinesRaw;
} finally {
  await server?.stop();
  server = undefined;
  await redis.cleanup();
}
// Last, with the shared Redis and server gone: it starts and stops its own.
await measure('history', () => measureHistory({ quick }));

results.machine = machine();
results.reasons = reasons;
results.finishedAt = new Date().toISOString();
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
const goalsMissed = printTable(results, !quick);
console.log(`\nwritten ${out}`);
// Full mode exits 1 when a measured goal is missed; quick mode never asserts thresholds.
if (!quick && goalsMissed > 0) process.exitCode = 1;

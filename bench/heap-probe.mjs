// @ts-check
// node bench/heap-probe.mjs [--months N] [--dir D]: issue 32's memory look, by hand. Month 1
// (and N-1 more) fed live through /api/feed as the history measure feeds them, then the
// server's memory parts (/metrics: heap used and total, external, RSS) and a heap snapshot
// (SIGUSR2, --heapsnapshot-signal) of the live process and of a restarted one over the same
// store, each ranked by constructor (bench/heap-rank.mjs).
import { readdirSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batches } from './month.mjs';
import { BATCH } from './ingest.mjs';
import { FIRST_MONTH, monthOf, nextMonth, rssMB } from './history.mjs';
import { postFeed, sleep, startRedis, startServer, waitApplied } from './lib.mjs';
import { rank } from './heap-rank.mjs';
import { cpuSeconds } from './ingest.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const months = Number(arg('--months', '1'));
const dir = arg('--dir', '/tmp/heap-probe');
const snapshots = !args.includes('--no-snapshot');
mkdirSync(dir, { recursive: true });

/** @param {string} url */
async function memory(url, pid) {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const spaces = Object.fromEntries([...text.matchAll(/^nodejs_heap_space_size_total_bytes\{space="(\w+)"\} (\S+)/gm)].map((m) => [m[1], +(Number(m[2]) / 1048576).toFixed(1)]));
  const smaps = Object.fromEntries(
    [...readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').matchAll(/^(Rss|Anonymous|Private_Dirty|Shared_Clean|Private_Clean):\s+(\d+) kB/gm)].map((m) => [
      m[1],
      +(Number(m[2]) / 1024).toFixed(1),
    ]),
  );
  const get = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 1048576;
  return {
    rssMB: +rssMB(pid).toFixed(1),
    heapUsedMB: +get('nodejs_heap_size_used_bytes').toFixed(1),
    heapTotalMB: +get('nodejs_heap_size_total_bytes').toFixed(1),
    externalMB: +get('nodejs_external_memory_bytes').toFixed(1),
    spacesTotalMB: spaces,
    smaps,
  };
}

/** @param {{ pid: number }} server @param {string} label */
async function snapshot(server, label) {
  if (!snapshots) return undefined;
  const before = new Set(readdirSync(dir));
  process.kill(server.pid, 'SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await sleep(500);
    const fresh = readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    // The file is complete once its size stops changing.
    if (fresh.length) {
      const { statSync } = await import('node:fs');
      const f = join(dir, fresh[0]);
      const s1 = statSync(f).size;
      await sleep(1000);
      if (statSync(f).size === s1 && s1 > 0) return { label, file: f, top: rank(f, 15) };
    }
  }
  throw new Error('no heap snapshot');
}

const redis = await startRedis();
const METRICS_TOKEN = 'heap-probe-metrics-token-0123456789';
const nodeArgs = (process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const env = { METRICS_TOKEN, ...(process.env.PROBE_ENV ? JSON.parse(process.env.PROBE_ENV) : {}), NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir} ` };
let server = await startServer(redis.url, env, nodeArgs);
const out = { empty: await memory(server.url, server.pid) };
let month = FIRST_MONTH;
let total = 0;
try {
  const cpu0 = cpuSeconds(server.pid);
  const t0 = Date.now();
  for (let m = 1; m <= months; m++) {
    const events = monthOf(month, undefined);
    total += events.length;
    let seq = 0;
    for (const b of batches(events, BATCH)) seq = (await postFeed(server.url, b.body)).seq;
    await waitApplied(server.url, seq);
    month = nextMonth(month);
  }
  out.loadCpuUsPerEvent = +(((cpuSeconds(server.pid) - cpu0) * 1e6) / total).toFixed(1);
  out.loadPerSec = Math.round(total / ((Date.now() - t0) / 1000));
  await sleep(1000);
  out.events = total;
  out.live = await memory(server.url, server.pid);
  await sleep(Number(arg('--rest', '15')) * 1000);
  out.liveRested = await memory(server.url, server.pid);
  out.liveSnapshot = await snapshot(server, 'live');
  if (args.includes('--output')) (await import('node:fs')).writeFileSync(join(dir, 'live-server.log'), server.output());
  await server.stop();
  server = await startServer(redis.url, env, nodeArgs);
  await sleep(1000);
  out.restarted = await memory(server.url, server.pid);
  out.restartedSnapshot = await snapshot(server, 'restarted');
} catch (e) {
  process.stderr.write(`probe failed: ${e instanceof Error ? e.stack : String(e)}\n${server.output().slice(-4000)}\n`);
  process.exitCode = 1;
} finally {
  await server.stop();
  await redis.cleanup();
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');

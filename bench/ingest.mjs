// @ts-check
// ingest: the month through POST /api/feed, timed until the server's projection has applied it,
// against a pipelined XADD of the same payloads into another stream of the same Redis (the
// ceiling: what Redis alone takes, with no HTTP, validation, dedup script or projection).
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { batches } from './month.mjs';
import { now, postFeed, round, waitApplied } from './lib.mjs';

export const BATCH = 2000;

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). @param {number} pid */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are the stat file's 14th and 15th fields; [0] here is the 3rd (state).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Redis's command counters (INFO commandstats): calls and microseconds per command, commands
 * run inside a script counted too (a script's own `evalsha` time includes theirs).
 * @param {Redis} redis
 */
export async function commandStats(redis) {
  /** @type {Record<string, { calls: number, usec: number }>} */
  const out = {};
  for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_(\S+):calls=(\d+),usec=(\d+)/gm)) out[m[1]] = { calls: Number(m[2]), usec: Number(m[3]) };
  return out;
}

/**
 * What the server's connections asked of Redis between two commandStats: the script's time
 * per event, its calls per batch, and every command per event (those a script runs included).
 * @param {Record<string, { calls: number, usec: number }>} before @param {Record<string, { calls: number, usec: number }>} after
 * @param {number} events @param {number} batches
 */
function redisWork(before, after, events, batches) {
  /** @type {Record<string, number>} */
  const perEvent = {};
  let scriptUsec = 0;
  let scripts = 0;
  let commands = 0;
  for (const [cmd, a] of Object.entries(after)) {
    const b = before[cmd] ?? { calls: 0, usec: 0 };
    const d = a.calls - b.calls;
    if (d <= 0 || cmd === 'info') continue;
    if (cmd === 'evalsha' || cmd === 'eval') {
      scriptUsec += a.usec - b.usec;
      scripts += d;
    } else {
      commands += d;
      if (d / events >= 0.01) perEvent[cmd] = round(d / events, 3);
    }
  }
  return {
    scriptUsPerEvent: round(scriptUsec / events, 1),
    scriptCallsPerBatch: round(scripts / batches, 2),
    redisCommandsPerEvent: round(commands / events, 2),
    commandsPerEvent: perEvent,
  };
}

/**
 * @param {{ serverUrl: string, redisUrl: string, events: unknown[], serverPid?: number }} ctx
 */
export async function measureIngest({ serverUrl, redisUrl, events, serverPid }) {
  const bodies = batches(events, BATCH);
  const redis = new Redis(redisUrl);
  try {
    const stats0 = await commandStats(redis);
    const cpu0 = serverPid ? cpuSeconds(serverPid) : null;

    // One sender posting batch after batch, as a dispatch system's forwarder would.
    const t0 = now();
    let lastSeq = 0;
    let accepted = 0;
    for (const b of bodies) {
      const answer = await postFeed(serverUrl, b.body);
      lastSeq = answer.seq;
      accepted += answer.accepted;
    }
    const answeredMs = now() - t0;
    await waitApplied(serverUrl, lastSeq);
    const ms = now() - t0;
    const cpu1 = serverPid ? cpuSeconds(serverPid) : null;
    const work = redisWork(stats0, await commandStats(redis), events.length, bodies.length);
    if (accepted !== events.length) throw new Error(`server accepted ${accepted} of ${events.length} events`);

    const key = 'bench:raw-xadd';
    await redis.del(key);
    const r0 = now();
    let seq = 0;
    for (const b of bodies) {
      const pipe = redis.pipeline();
      for (const json of b.items) pipe.xadd(key, '*', 's', String(++seq), 'e', json);
      await pipe.exec();
    }
    const rawMs = now() - r0;
    await redis.del(key);
    const eventsPerSec = events.length / (ms / 1000);
    const rawXaddPerSec = events.length / (rawMs / 1000);
    return {
      events: events.length,
      eventsPerSec: round(eventsPerSec, 0),
      rawXaddPerSec: round(rawXaddPerSec, 0),
      ratio: round(eventsPerSec / rawXaddPerSec, 3),
      batch: BATCH,
      answeredMs: round(answeredMs, 0),
      appliedMs: round(ms, 0),
      rawMs: round(rawMs, 0),
      // Counts, not times: the server's CPU (parse, validate, append, apply) and Redis's work per
      // event, steady whatever else shares the machine's cores.
      serverCpuUsPerEvent: cpu0 === null || cpu1 === null ? null : round(((cpu1 - cpu0) * 1e6) / events.length, 1),
      ...work,
    };
  } finally {
    redis.disconnect();
  }
}

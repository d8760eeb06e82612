// @ts-check
// rebuild: a cold start of the server against the stored month. `ms` is the projection part
// the server logs ("rebuilt from N events in M ms": reading the log and folding it), compared
// with only reading the same stream from Redis in the server's chunk size; `coldStartMs` adds
// process start, Nest bootstrap and the first healthy answer.
import { Redis } from 'ioredis';
import { now, round, startServer } from './lib.mjs';

const CHUNK = 5000;
const STREAM = 'wall:events';

/** @param {string} redisUrl */
async function rawRead(redisUrl) {
  const redis = new Redis(redisUrl);
  try {
    const t0 = now();
    let start = '-';
    let count = 0;
    for (;;) {
      const entries = await redis.xrange(STREAM, start, '+', 'COUNT', CHUNK);
      if (!entries.length) break;
      count += entries.length;
      start = `(${entries[entries.length - 1][0]}`;
    }
    return { ms: now() - t0, count };
  } finally {
    redis.disconnect();
  }
}

/**
 * Stops `server`, reads the stream raw while nothing else uses Redis, then starts a new server.
 * @param {{ server: import('./lib.mjs').BenchServer, redisUrl: string }} ctx
 * @returns {Promise<{ result: Record<string, unknown>, server: Awaited<ReturnType<typeof startServer>> }>}
 */
export async function measureRebuild({ server, redisUrl }) {
  await server.stop();
  // Fastest of three: the baseline at its best, so the ratio errs against the server.
  const reads = [];
  for (let i = 0; i < 3; i++) reads.push(await rawRead(redisUrl));
  const raw = reads.reduce((a, b) => (b.ms < a.ms ? b : a));

  const next = await startServer(redisUrl);
  const log = next.output().replace(/\x1b\[[0-9;]*m/g, '');
  const match = /rebuilt from (\d+) events in (\d+) ms/.exec(log);
  if (!match) throw new Error(`no "rebuilt from" line in the server log:\n${log.slice(-1000)}`);
  const events = Number(match[1]);
  const ms = Number(match[2]);
  if (events !== raw.count) throw new Error(`server rebuilt ${events} events, the stream holds ${raw.count}`);
  return {
    server: next,
    result: {
      events,
      ms,
      rawReadMs: round(raw.ms, 0),
      ratio: round(ms / raw.ms, 2),
      coldStartMs: round(next.startMs, 0),
    },
  };
}

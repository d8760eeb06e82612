// @ts-check
// rebuild: a cold start of the server against the stored month. `ms` is the projection part
// the server logs ("rebuilt N events (from ...) in M ms"): loading the latest checkpoint of the
// projection that the stopped server saved and folding the log after it, compared with only
// reading the whole log (every day partition) from Redis in the server's chunk size. `fullFoldMs` is a second cold
// start with checkpoints off (the whole log read and folded); `coldStartMs` adds process start,
// Nest bootstrap and the first healthy answer.
import { Redis } from 'ioredis';
import { now, round, startServer } from './lib.mjs';

const CHUNK = 5000;

/** Reads every day partition (the whole log) in the server's chunk size. @param {string} redisUrl */
async function rawRead(redisUrl) {
  const redis = new Redis(redisUrl);
  try {
    const t0 = now();
    const days = await redis.zrange('wall:days', 0, -1);
    let count = 0;
    for (const day of days) {
      let start = '-';
      for (;;) {
        const entries = await redis.xrange(`wall:log:${day}`, start, '+', 'COUNT', CHUNK);
        if (!entries.length) break;
        count += entries.length;
        start = `(${entries[entries.length - 1][0]}`;
      }
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

  /** @param {import('./lib.mjs').BenchServer} s */
  const rebuildLine = (s) => {
    // eslint-disable-next-line no-control-regex -- strips the ANSI colours of Nest's logger
    const log = s.output().replace(/\x1b\[[0-9;]*m/g, '');
    const match = /rebuilt (\d+) events \(from (.*?)\) in (\d+) ms/.exec(log);
    if (!match) throw new Error(`no "rebuilt" line in the server log:\n${log.slice(-1000)}`);
    if (Number(match[1]) !== raw.count) throw new Error(`server rebuilt ${match[1]} events, the stream holds ${raw.count}`);
    return { events: Number(match[1]), from: match[2], ms: Number(match[3]) };
  };

  const full = await startServer(redisUrl, { CHECKPOINT_EVERY: '0' });
  const fullFold = rebuildLine(full);
  await full.stop();

  const next = await startServer(redisUrl);
  const line = rebuildLine(next);
  return {
    server: next,
    result: {
      events: line.events,
      ms: line.ms,
      rawReadMs: round(raw.ms, 0),
      ratio: round(line.ms / raw.ms, 2),
      restoredFrom: line.from,
      fullFoldMs: fullFold.ms,
      fullFoldRatio: round(fullFold.ms / raw.ms, 2),
      coldStartMs: round(next.startMs, 0),
    },
  };
}

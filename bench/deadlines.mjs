// @ts-check
// deadlines: the engine (BullMQ delayed jobs raising alarms) is still being built, so only the
// raw ceiling is measured here: how fast BullMQ itself takes delayed jobs (Queue.addBulk) on
// this Redis, and how many bytes of Redis memory one pending delayed job costs. The engine's
// own figures (lateness, bytes per pending limit, schedule rate) stay null until it exists.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ROOT, now, round } from './lib.mjs';

const CHUNK = 1000;

/** @param {Redis} redis */
async function usedMemory(redis) {
  const info = await redis.info('memory');
  const m = /used_memory:(\d+)/.exec(info);
  if (!m) throw new Error('no used_memory in INFO memory');
  return Number(m[1]);
}

/**
 * Run last, with the server stopped: used_memory is global to the Redis, so nothing else may
 * write while it is read. The jobs are left behind; the bench's Redis is deleted afterwards.
 * @param {{ redisUrl: string, pending: number }} ctx
 * @returns {Promise<{ result: Record<string, number | null>, reason: string | null }>}
 */
export async function measureDeadlines({ redisUrl, pending }) {
  const { hostname, port } = new URL(redisUrl);
  const redis = new Redis(redisUrl);
  const queue = new Queue('bench-raw-deadlines', { connection: { host: hostname, port: Number(port) } });
  try {
    await queue.waitUntilReady();
    // One warm-up job so the queue's keys and Lua scripts exist before the "before" reading.
    await queue.add('warmup', { order: 'warmup' }, { delay: 3_600_000, jobId: 'warmup' });
    const before = await usedMemory(redis);
    const t0 = now();
    for (let i = 0; i < pending; i += CHUNK) {
      const jobs = [];
      for (let j = i; j < Math.min(pending, i + CHUNK); j++) {
        // Shaped like a deadline: one job per order and limit, due within the hour.
        jobs.push({
          name: 'limit',
          data: { order: `bench-o${j}`, limit: 'feedback' },
          opts: { delay: 600_000 + (j % 3_000_000), jobId: `bench-o${j}-feedback`, removeOnComplete: true },
        });
      }
      await queue.addBulk(jobs);
    }
    const ms = now() - t0;
    const after = await usedMemory(redis);
    const delayed = await queue.getDelayedCount();
    if (delayed < pending) throw new Error(`only ${delayed} of ${pending} jobs are delayed`);
    const built = existsSync(join(ROOT, 'server/dist/deadlines'));
    return {
      result: {
        pending: null,
        lateP50Ms: null,
        lateP99Ms: null,
        redisBytesPerPending: null,
        scheduleRatePerSec: null,
        rawAddPerSec: round(pending / (ms / 1000), 0),
        rawPending: pending,
        rawBytesPerDelayedJob: round((after - before) / pending, 0),
      },
      reason: built
        ? 'server/dist/deadlines exists but this bench does not drive the engine yet: only the raw BullMQ baseline is measured'
        : 'deadline engine not built yet (no server/dist/deadlines): only the raw BullMQ baseline (rawAddPerSec, rawBytesPerDelayedJob) is measured',
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

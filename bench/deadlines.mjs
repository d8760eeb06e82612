// @ts-check
// deadlines, the raw ceiling: how fast BullMQ itself takes delayed jobs (Queue.addBulk, chunks
// of 1000) on this Redis, and what one pending delayed job costs in Redis memory. The jobs are
// shaped like the engine's (name, data, id, retry options) so the bytes compare like with like.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { keyBytes, usedMemory } from './redis-memory.mjs';
import { now, round } from './lib.mjs';

const CHUNK = 1000;
const QUEUE = 'bench-raw-deadlines';

/**
 * Run last, with the server stopped: used_memory is global to the Redis, so nothing else may
 * write while it is read. The jobs are left behind; the bench's Redis is deleted afterwards.
 * @param {{ redisUrl: string, pending: number }} ctx
 */
export async function measureRawDeadlines({ redisUrl, pending }) {
  const { hostname, port } = new URL(redisUrl);
  const redis = new Redis(redisUrl);
  const queue = new Queue(QUEUE, { connection: { host: hostname, port: Number(port) } });
  try {
    await queue.waitUntilReady();
    // One warm-up job so the queue's keys and Lua scripts exist before the "before" reading.
    await queue.add('warmup', {}, { delay: 3_600_000, jobId: 'warmup' });
    const before = await usedMemory(redis);
    const keysBefore = await keyBytes(redis, `bull:${QUEUE}:*`);
    const dueBase = Date.now() + 3_600_000;
    const t0 = now();
    for (let i = 0; i < pending; i += CHUNK) {
      const jobs = [];
      for (let j = i; j < Math.min(pending, i + CHUNK); j++) {
        const dueAt = dueBase + (j % 3_000_000);
        jobs.push({
          name: 'limit-due',
          data: { order: `bench-o${j}`, limit: 'feedback', dueAt },
          opts: {
            delay: dueAt - Date.now(),
            jobId: `due-bench-o${j}-feedback`,
            removeOnComplete: true,
            removeOnFail: 1000,
            attempts: 5,
            backoff: { type: 'exponential', delay: 500 },
          },
        });
      }
      await queue.addBulk(jobs);
    }
    const ms = now() - t0;
    const after = await usedMemory(redis);
    const keysAfter = await keyBytes(redis, `bull:${QUEUE}:*`);
    const delayed = await queue.getDelayedCount();
    if (delayed < pending) throw new Error(`only ${delayed} of ${pending} jobs are delayed`);
    return {
      rawAddPerSec: round(pending / (ms / 1000), 0),
      rawPending: pending,
      rawBytesPerDelayedJob: round((after - before) / pending, 0),
      rawKeyBytesPerDelayedJob: round((keysAfter.bytes - keysBefore.bytes) / pending, 0),
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

// @ts-check
// Bytes a set of keys takes in Redis, summed from MEMORY USAGE (SAMPLES 0: exact, every
// element counted). Per-key sums isolate one feature's footprint even when other data (the
// event stream, alarms) shares the Redis, which INFO used_memory cannot.

/**
 * @param {import('ioredis').Redis} redis @param {string} pattern a SCAN MATCH pattern
 * @returns {Promise<{ bytes: number, keys: number }>}
 */
export async function keyBytes(redis, pattern) {
  let cursor = '0';
  let bytes = 0;
  let keys = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 2000);
    cursor = next;
    if (!found.length) continue;
    const pipe = redis.pipeline();
    for (const key of found) pipe.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const [err, size] of (await pipe.exec()) ?? []) {
      if (!err && typeof size === 'number') {
        bytes += size;
        keys++;
      }
    }
  } while (cursor !== '0');
  return { bytes, keys };
}

/** @param {import('ioredis').Redis} redis */
export async function usedMemory(redis) {
  const m = /used_memory:(\d+)/.exec(await redis.info('memory'));
  if (!m) throw new Error('no used_memory in INFO memory');
  return Number(m[1]);
}

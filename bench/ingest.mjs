// @ts-check
// ingest: the month through POST /api/feed, timed until the server's projection has applied it,
// against a pipelined XADD of the same payloads into another stream of the same Redis (the
// ceiling: what Redis alone takes, with no HTTP, validation, dedup script or projection).
import { Redis } from 'ioredis';
import { batches } from './month.mjs';
import { now, postFeed, round, waitApplied } from './lib.mjs';

export const BATCH = 2000;

/**
 * @param {{ serverUrl: string, redisUrl: string, events: unknown[] }} ctx
 */
export async function measureIngest({ serverUrl, redisUrl, events }) {
  const bodies = batches(events, BATCH);

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
  if (accepted !== events.length) throw new Error(`server accepted ${accepted} of ${events.length} events`);

  const redis = new Redis(redisUrl);
  try {
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
    };
  } finally {
    redis.disconnect();
  }
}

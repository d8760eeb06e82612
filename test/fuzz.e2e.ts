import { WALL_NAMESPACE, SUPERVISOR_NAMESPACE } from '@wall/shared';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { FEED_TOKEN, login, startServer, type RunningServer } from './support/server.js';

// Fuzzing the feed and the sockets of a real server. Every case must get a 2xx/4xx that names
// the problem, never a 5xx or a crash, and nothing of a rejected event may be stored.
// FUZZ_RUNS raises the number of cases for a longer run.

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const now = () => new Date().toISOString();

const validEvent = fc.oneof(
  fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }), type: fc.constant('incident.reported'), at: fc.constant(now()), incident: fc.string({ minLength: 1, maxLength: 8 }), center: fc.constantFrom('ruian', 'city', 'nowhere'), kind: fc.constantFrom('alarm', 'help', 'x'), category: fc.string({ maxLength: 10 }) }),
  fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }), type: fc.constant('order.dispatched'), at: fc.constant(now()), incident: fc.string({ minLength: 1, maxLength: 8 }), order: fc.string({ minLength: 1, maxLength: 8 }), unit: fc.constantFrom('ruian.fire', 'city.power', 'city.fire') }),
  fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }), type: fc.constantFrom('order.signed', 'order.arrived', 'incident.closed', 'incident.marked'), at: fc.constant(now()), incident: fc.string({ minLength: 1, maxLength: 8 }), order: fc.string({ minLength: 1, maxLength: 8 }) }),
);

/** A valid-looking event with one field broken in a nasty way. */
const mutated = fc.tuple(
  validEvent,
  fc.constantFrom('id', 'type', 'at', 'incident', 'center', 'unit', '__proto__', 'constructor', 'deadlines', 'location', 'extra'),
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom('', 'x'.repeat(200_000), '1970-01-01T00:00:00Z', '2999-01-01T00:00:00Z', '2020-08-01', -1, 1e308, null, [], {}, { signMinutes: -5 }, { lng: 999, lat: 0 }),
  ),
).map(([event, key, value]) => {
  const out = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
});

const body = fc.oneof(
  fc.array(fc.oneof(validEvent, mutated, fc.jsonValue({ maxDepth: 4 })), { minLength: 0, maxLength: 30 }).map((a) => ({ text: JSON.stringify(a), ndjson: false })),
  fc.jsonValue({ maxDepth: 6 }).map((v) => ({ text: JSON.stringify(v) ?? 'null', ndjson: false })),
  fc.array(fc.oneof(validEvent.map((e) => JSON.stringify(e)), fc.string({ maxLength: 50 })), { maxLength: 20 }).map((lines) => ({ text: lines.join('\n'), ndjson: true })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ text: bytes, ndjson: false })),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ text: '['.repeat(depth) + ']'.repeat(depth), ndjson: false })),
);

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

describe('fuzz', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it(`POST /api/feed: ${RUNS} random bodies, each a clear 2xx/4xx, never a 5xx, nothing rejected stored`, async () => {
    let seq = 0;
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(body, async ({ text, ndjson }) => {
        const res = await fetch(`${server.url}/api/feed`, {
          method: 'POST',
          headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json', authorization: `Bearer ${FEED_TOKEN}` },
          body: text,
        });
        expect([200, 400, 413, 422]).toContain(res.status);
        const answer = (await res.json()) as { accepted?: number; duplicates?: number; rejected?: Array<{ error: string }>; seq?: number; message?: string };
        if (res.status === 200 || res.status === 422) {
          for (const r of answer.rejected!) expect(r.error).toMatch(/^[^:]+: ./);
          expect(answer.seq).toBe(seq + answer.accepted!);
          seq = answer.seq!;
        } else {
          expect(answer.message).toMatch(/^body: ./);
        }
        seen.add(String(res.status));
      }),
      { numRuns: RUNS },
    );
    expect((await (await fetch(`${server.url}/api/health`)).json()) as { seq: number }).toMatchObject({ seq });
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(rssMb(server.child.pid!)).toBeLessThan(600);
  });

  it('socket messages: random event names and payloads do not hurt the server', async () => {
    const token = await login(server.url);
    for (const ns of [WALL_NAMESPACE, SUPERVISOR_NAMESPACE]) {
      const socket = io(`${server.url}${ns}`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
      fc.assert(
        fc.property(fc.oneof(fc.constantFrom('resync', 'snapshot', '__proto__', 'constructor', 'delta'), fc.string({ maxLength: 30 })), fc.jsonValue({ maxDepth: 4 }), (name, payload) => {
          (socket as unknown as { emit: (n: string, p: unknown) => void }).emit(name, payload);
        }),
        { numRuns: 300 },
      );
      await new Promise((r) => setTimeout(r, 500));
      socket.close();
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/ERROR \[ExceptionHandler\]|Unhandled/);
  });
});

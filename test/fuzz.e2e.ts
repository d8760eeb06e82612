import { WALL_NAMESPACE, SUPERVISOR_NAMESPACE } from '@wall/shared';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_TOKEN, login, postFeed, type RunningServer } from './support/server.js';
import { startStack, type Stack } from './support/stack.js';

// Fuzzing the feed and the sockets of a real server. Every case must get a 2xx/4xx that names
// the problem, never a 5xx or a crash, and nothing of a rejected event may be stored: each
// broken event carries an id of its own, and once the fuzzing is over a corrected event under
// every rejected id must be accepted (not a duplicate), which it would not be had any part of
// the rejected one reached the log.
// FUZZ_RUNS raises the number of cases for a longer run.

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const now = () => new Date().toISOString();

const validEvent = fc.oneof(
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 20 }),
    type: fc.constant('incident.reported'),
    at: fc.constant(now()),
    incident: fc.string({ minLength: 1, maxLength: 8 }),
    center: fc.constantFrom('ruian', 'city', 'nowhere'),
    kind: fc.constantFrom('alarm', 'help', 'x'),
    category: fc.string({ maxLength: 10 }),
  }),
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 20 }),
    type: fc.constant('order.dispatched'),
    at: fc.constant(now()),
    incident: fc.string({ minLength: 1, maxLength: 8 }),
    order: fc.string({ minLength: 1, maxLength: 8 }),
    unit: fc.constantFrom('ruian.fire', 'city.power', 'city.fire'),
  }),
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 20 }),
    type: fc.constantFrom('order.signed', 'order.arrived', 'incident.closed', 'incident.marked'),
    at: fc.constant(now()),
    incident: fc.string({ minLength: 1, maxLength: 8 }),
    order: fc.string({ minLength: 1, maxLength: 8 }),
  }),
);

let broken = 0;
/** A valid-looking event with one field broken in a nasty way (unless it is the id, under an id of its own). */
const mutated = fc
  .tuple(
    validEvent,
    fc.constantFrom('id', 'type', 'at', 'incident', 'center', 'unit', '__proto__', 'constructor', 'deadlines', 'location', 'extra'),
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('', 'x'.repeat(200_000), '1970-01-01T00:00:00Z', '2999-01-01T00:00:00Z', '2020-08-01', -1, 1e308, null, [], {}, { signMinutes: -5 }, { lng: 999, lat: 0 }),
    ),
  )
  .map(([event, key, value]) => {
    const out = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    out['id'] = `fuzz-broken-${broken++}`;
    Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
    return out;
  });

const body = fc.oneof(
  fc.array(fc.oneof(validEvent, mutated, fc.jsonValue({ maxDepth: 4 })), { minLength: 0, maxLength: 30 }).map((a) => ({ text: JSON.stringify(a), ndjson: false })),
  fc.jsonValue({ maxDepth: 6 }).map((v) => ({ text: JSON.stringify(v) ?? 'null', ndjson: false })),
  fc
    .array(
      fc.oneof(
        validEvent.map((e) => JSON.stringify(e)),
        fc.string({ maxLength: 50 }),
      ),
      { maxLength: 20 },
    )
    .map((lines) => ({ text: lines.join('\n'), ndjson: true })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ text: bytes, ndjson: false })),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ text: '['.repeat(depth) + ']'.repeat(depth), ndjson: false })),
);

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

describe('fuzz', () => {
  let stack: Stack;
  let server: RunningServer;

  beforeAll(async () => {
    stack = await startStack();
    server = stack.server;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it(`POST /api/feed: ${RUNS} random bodies, each a clear 2xx/4xx, never a 5xx, nothing rejected stored`, async () => {
    let seq = 0;
    const seen = new Set<string>();
    const rejectedIds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(body, async ({ text, ndjson }) => {
        const res = await fetch(`${server.url}/api/feed`, {
          method: 'POST',
          headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json', authorization: `Bearer ${FEED_TOKEN}` },
          body: text,
        });
        expect([200, 400, 413, 422]).toContain(res.status);
        const answer = (await res.json()) as { accepted?: number; duplicates?: number; rejected?: Array<{ id: string | null; error: string }>; seq?: number; message?: string };
        if (res.status === 200 || res.status === 422) {
          for (const r of answer.rejected!) {
            expect(r.error).toMatch(/^[^:]+: ./);
            if (r.id?.startsWith('fuzz-broken-')) rejectedIds.add(r.id);
          }
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
    expect(await stack.raw.xlen('wall:events')).toBe(seq);
    expect([...seen]).toEqual(expect.arrayContaining(['200', '400', '422']));
    expect(rssMb(server.child.pid!)).toBeLessThan(600);

    // The corrected versions of every rejected event: all accepted, none a duplicate.
    const ids = [...rejectedIds];
    expect(ids.length, 'rejected broken events').toBeGreaterThan(RUNS / 10);
    const corrected = ids.map((id) => ({ id, type: 'incident.closed', at: now(), incident: 'fuzz-corrected' }));
    for (let i = 0; i < corrected.length; i += 5000) {
      const answer = await postFeed(server.url, corrected.slice(i, i + 5000));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ accepted: Math.min(5000, corrected.length - i), duplicates: 0, rejected: [] });
    }
  });

  it('socket messages: each random event name and payload leaves the socket connected and served', async () => {
    const token = await login(server.url);
    for (const [ns, answer] of [
      [WALL_NAMESPACE, 'snapshot'],
      [SUPERVISOR_NAMESPACE, 'alarms'],
    ] as const) {
      const socket = io(`${server.url}${ns}`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      const exceptions: unknown[] = [];
      socket.on('exception' as never, (e: unknown) => void exceptions.push(e));
      await new Promise((resolve) => socket.once(answer as never, () => resolve(undefined)));
      // After every message, a resync must still be answered on the same connection. The wall
      // drops a resync while its last snapshot is unsent (until the write buffer drains), so
      // one that crossed a fuzzed 'resync' is asked again, up to three times a second apart.
      const served = () =>
        new Promise<boolean>((resolve) => {
          let tries = 0;
          const ask = () => {
            if (tries++ === 3) return finish(false);
            socket.emit('resync' as never);
          };
          const timer = setInterval(ask, 1000);
          const finish = (ok: boolean) => {
            clearInterval(timer);
            socket.off(answer as never, onAnswer);
            resolve(ok);
          };
          const onAnswer = () => finish(true);
          socket.on(answer as never, onAnswer);
          ask();
        });
      let messages = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constantFrom('resync', 'snapshot', '__proto__', 'constructor', 'delta', 'alarm', 'ack'), fc.string({ maxLength: 30 })),
          fc.jsonValue({ maxDepth: 4 }),
          async (name, payload) => {
            (socket as unknown as { emit: (n: string, p: unknown) => void }).emit(name, payload);
            messages++;
            expect(await served(), `${ns} after ${JSON.stringify(name)}`).toBe(true);
            expect(socket.connected, `${ns} after ${JSON.stringify(name)}`).toBe(true);
          },
        ),
        { numRuns: 300 },
      );
      expect(messages).toBe(300);
      expect(exceptions).toEqual([]);
      socket.close();
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/ERROR \[ExceptionHandler\]|Unhandled/);
  });
});

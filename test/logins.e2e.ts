import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { login, startServer, type RunningServer } from './support/server.js';
import { startProbe } from './support/probe.js';
import { adminCall, createUser } from './support/users.js';

// Logins nobody can race or use to stall the server. Callers' addresses come from
// X-Forwarded-For, which the server believes from loopback (TRUST_PROXY's default).

/** Free attempts of one account from one address (server/src/auth/auth.service.ts LOGIN_LIMITS). */
const PER_ACCOUNT_ADDRESS = 5;
const PER_ADDRESS = 100;
/** The first delay once they are used up (login-throttle.repository.ts BASE_DELAY_MS). */
const FIRST_DELAY_MS = 5000;

function attempt(url: string, username: string, password: string, ip: string) {
  return fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ username, password }),
  });
}

type Entry = { who: string; action: string; ip: string | null; count?: number; detail: Record<string, unknown> };

describe('logins', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let admin: string;

  beforeAll(async () => {
    redis = await startTestRedis();
    // Many logins in flight at once, so that the count in Redis is what stops a race.
    server = await startServer(redis.url, { LOGIN_CONCURRENCY: '64' });
    admin = await login(server.url);
    await createUser(server.url, admin, 'target', 'supervisor');
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it('checks at most the free attempts’ passwords of 200 parallel guesses, then lets the owner in after a short delay', async () => {
    const statuses = await Promise.all(Array.from({ length: 200 }, () => attempt(server.url, 'target', 'wrong-password', '10.1.0.1').then((r) => r.status)));
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(PER_ACCOUNT_ADDRESS);
    expect(statuses.filter((s) => s === 429).length).toBe(200 - checked);
    // A growing delay, not a block: once it has passed the right password works.
    await new Promise((r) => setTimeout(r, FIRST_DELAY_MS + 100));
    expect((await attempt(server.url, 'target', 'password-123', '10.1.0.1')).status).toBe(200);
  });

  it('says when to try again', async () => {
    for (let i = 0; i < PER_ACCOUNT_ADDRESS; i++) await attempt(server.url, 'target', 'wrong-password', '10.1.0.2');
    const res = await attempt(server.url, 'target', 'wrong-password', '10.1.0.2');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another address is not held up by this one's guesses.
    expect((await attempt(server.url, 'target', 'password-123', '10.1.0.3')).status).toBe(200);
  });

  it('does not clear an address’s failures when another account logs in from it', async () => {
    const ip = '10.1.0.4';
    for (let i = 0; i < PER_ADDRESS; i++) expect((await attempt(server.url, `nobody-${i}`, 'wrong-password', ip)).status).toBe(401);
    await new Promise((r) => setTimeout(r, FIRST_DELAY_MS + 100));
    expect((await attempt(server.url, 'admin', 'admin-pass-1', ip)).status).toBe(200);
    expect((await attempt(server.url, 'nobody-x', 'wrong-password', ip)).status).toBe(429);
  });

  it('adds a handful of audit entries for 1,000 refused logins, with their count and address', async () => {
    const before = (await adminCall<Entry[]>(server.url, admin, 'GET', '/api/audit?limit=1000')).body.length;
    let refused = 0;
    for (let batch = 0; batch < 20; batch++) {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => attempt(server.url, 'target', 'still-wrong', '10.1.0.5').then((r) => r.status)));
      refused += statuses.filter((s) => s === 401 || s === 429).length;
    }
    expect(refused).toBe(1000);
    const after = (await adminCall<Entry[]>(server.url, admin, 'GET', '/api/audit?limit=1000')).body;
    expect(after.length - before).toBeLessThanOrEqual(3);
    const entry = (await adminCall<Entry[]>(server.url, admin, 'GET', '/api/audit?action=login.refused&who=target')).body.find((e) => e.ip === '10.1.0.5');
    expect(entry).toBeDefined();
    expect(entry!.count).toBe(1000);
  });

  it('keeps /api/health quick during a storm of 200 logins', async () => {
    const storm = await startServer(redis.url);
    try {
      const quiet = startProbe(storm.url);
      await new Promise((r) => setTimeout(r, 500));
      const baseline = await quiet.stop();
      const probe = startProbe(storm.url);
      // Distinct accounts and addresses, so that no throttle turns them away: only the cap on logins in flight.
      const statuses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => attempt(storm.url, `storm-${i}`, 'wrong-password', `10.2.${i >> 8}.${i & 255}`).then((r) => r.status)),
      );
      await new Promise((r) => setTimeout(r, 100));
      const during = await probe.stop();
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(during.length).toBeGreaterThan(0);
      // The storm's own 200 requests come from this process on the same two cores, so a single
      // probe can wait behind them here (one of six CI runs saw 261 ms): the typical answer is
      // held to the bound, the worst is reported, and the bench's loginStorm, whose probe has
      // an event loop of its own, holds the worst one.
      const sorted = [...during].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      console.log(`health during the storm: median ${median.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (baseline max ${Math.max(...baseline).toFixed(0)} ms)`);
      expect(median, `health during the storm (max ${sorted.at(-1)!.toFixed(0)} ms, baseline max ${Math.max(...baseline).toFixed(0)} ms)`).toBeLessThan(200);
    } finally {
      await storm.stop();
    }
  });
});

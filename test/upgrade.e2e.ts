import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRelease, previousRevision, removeRelease } from './support/release.js';
import { startTestRedis } from './support/redis.js';
import { login, startServer, type RunningServer } from './support/server.js';
import { expectAuditKept, openAlarms, readStore, STORE_MONTHS, writeStore, type StoreView, type WrittenStore } from './support/store-view.js';
import { until } from './support/wait.js';

// Issue 27: an upgrade keeps the data. The previous release (its tag, or its commit in a clone
// without tags) is built in a worktree of its own and run on this Node; it writes a store and
// stops; this build starts on that store, two instances at once as compose starts them, and
// answers the same; a deadline the old release scheduled still raises its alarm.

/** Ahead of the store's writing, the old release's stop and the new build's start. */
const PENDING_SECONDS = 60;

describe('upgrade from the previous release', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'wall-release-')), 'previous');
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  const servers: RunningServer[] = [];
  let written: WrittenStore;
  let before: StoreView;
  let oldOutput = '';
  let buildOutput = '';

  beforeAll(async () => {
    const { rev, via } = await previousRevision();
    const built = await buildRelease(rev, dir);
    buildOutput = built.out;
    console.log(`previous release ${rev.slice(0, 7)} (by ${via}): npm ci ${built.ms.ci} ms, build ${built.ms.build} ms on Node ${process.version}`);
    redis = await startTestRedis({ fsync: 'always' });
    const old = await startServer(redis.url, { SWEEP_INTERVAL_MS: '1000' }, undefined, dir);
    const admin = await login(old.url);
    written = await writeStore(old.url, admin, PENDING_SECONDS);
    before = await readStore(old.url, admin, STORE_MONTHS);
    await old.stop();
    oldOutput = old.output();
    expect(old.child.exitCode).toBe(0);
    // Two instances at once on the old store: whatever migration there is runs on one.
    servers.push(...(await Promise.all([startServer(redis.url, { SWEEP_INTERVAL_MS: '1000' }), startServer(redis.url, { DEADLINE_WORKER: 'off' })])));
  }, 900_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await redis?.cleanup();
    await removeRelease(dir);
    rmSync(dirname(dir), { recursive: true, force: true });
  });

  it('built and ran the previous release on this Node', () => {
    // npm warns of an engines range this Node is outside of; the build must not need one.
    expect(buildOutput).not.toMatch(/EBADENGINE|Unsupported engine/);
    expect(oldOutput).toMatch(/SIGTERM: stopping/);
    expect(before.audit.length).toBeGreaterThan(0);
  });

  it('answers every month, the users, roster, audit and open alarms as the previous release did', async () => {
    for (const server of servers) {
      const token = await login(server.url);
      const after = await readStore(server.url, token, STORE_MONTHS);
      for (const m of STORE_MONTHS) expect(after.bulletins[m], m).toEqual(before.bulletins[m]);
      expect(after.users).toEqual(before.users);
      // 0.2.0's roster has the entered holiday years (none in an older store): all else as it was.
      expect(after.roster).toEqual({ ...(before.roster as Record<string, unknown>), holidays: {} });
      expect(after.openAlarms).toEqual(before.openAlarms);
      expect(after.openAlarms.map((a) => a.order)).toEqual(expect.arrayContaining(written.alarmed));
      expectAuditKept(before.audit, after.audit);
    }
  });

  it('migrates nothing twice: the store format is unchanged, no instance rewrote the log', () => {
    for (const server of servers) expect(server.output()).not.toMatch(/partitioned \d+ events/);
  });

  it('raises the alarm of a deadline the previous release scheduled', async () => {
    const token = await login(servers[0]!.url);
    const [pending] = written.pending;
    expect(Date.now(), 'the new build started before the deadline fell due').toBeLessThan(pending!.due);
    const alarm = await until(async () => (await openAlarms(servers[0]!.url, token)).find((a) => a.order === pending!.order), pending!.due - Date.now() + 15_000, 200);
    expect(alarm, 'alarm of the pending deadline').toBeDefined();
    expect(Date.parse(alarm!.dueAt)).toBe(pending!.due);
    expect(Date.parse(alarm!.raisedAt) - pending!.due).toBeLessThan(2000);
  }, 120_000);
});

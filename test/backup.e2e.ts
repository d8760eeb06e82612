import { Zone, type FeedEvent } from '@wall/shared';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from './support/cli.js';
import { startTestRedis } from './support/redis.js';
import { login, postFeed, startServer, type RunningServer } from './support/server.js';
import { startStack, type Stack } from './support/stack.js';
import { until } from './support/wait.js';
import { expectAuditKept, readStore, STORE_MONTHS, writeStore, type StoreView, type WrittenStore } from './support/store-view.js';

// Issue 27: `npm run backup` under a live feed, `npm run restore` into a fresh Redis, the
// product started on it answers what the original did; and the loss window: what the feed
// stored after the snapshot is missing until the sender resends, which the idempotent feed
// takes as new for exactly those events and as duplicates for the rest.

const zone = new Zone('Asia/Shanghai');
const NOW_MONTH = zone.monthKey(Date.now());
const MONTHS = [...STORE_MONTHS, NOW_MONTH];

interface Batch {
  events: FeedEvent[];
  ackedAt: number;
}

/** The sender: a batch of new incidents every 50 ms, each batch kept with when it was acknowledged. */
function liveFeed(url: string) {
  const batches: Batch[] = [];
  let running = true;
  let n = 0;
  const done = (async () => {
    while (running) {
      const at = Date.now();
      const events: FeedEvent[] = [0, 1, 2].map(() => {
        const k = n++;
        return {
          id: `live-${k}`,
          type: 'incident.reported',
          at: new Date(at).toISOString(),
          incident: `live-i-${k}`,
          center: 'ruian',
          kind: 'alarm',
          category: '测试',
        } as FeedEvent;
      });
      const answer = await postFeed(url, events);
      if (answer.status !== 200 || answer.body.accepted !== events.length) throw new Error(`live feed: ${answer.status} ${JSON.stringify(answer.body)}`);
      batches.push({ events, ackedAt: Date.now() });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    batches,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describe('backup and restore', () => {
  let stack: Stack;
  let restored: RunningServer | undefined;
  let fresh: Awaited<ReturnType<typeof startTestRedis>> | undefined;
  const dirs = {
    archive: mkdtempSync(join(tmpdir(), 'wall-archive-')),
    backup: join(mkdtempSync(join(tmpdir(), 'wall-backup-')), 'b'),
    restoredArchive: mkdtempSync(join(tmpdir(), 'wall-archive-r-')),
  };
  let admin: string;
  let written: WrittenStore;
  let beforeBackup: StoreView;
  let original: StoreView;
  let feed: ReturnType<typeof liveFeed>;
  let backupStartedAt: number;
  let backupEndedAt: number;

  beforeAll(async () => {
    stack = await startStack({ fsync: 'always', env: { ARCHIVE_DIR: dirs.archive, SWEEP_INTERVAL_MS: '1000' } });
    admin = await login(stack.server.url);
    written = await writeStore(stack.server.url, admin, 3600);
    // One month archived: after that its events are only in the archive file.
    const archived = await runScript('archive.mjs', ['--before', STORE_MONTHS[1]!, '--url', stack.server.url], { ADMIN_PASSWORD: 'admin-pass-1' });
    expect(archived.code, archived.out).toBe(0);
    expect(readdirSync(dirs.archive)).toEqual([`${STORE_MONTHS[0]}.json`, `${STORE_MONTHS[0]}.ndjson.gz`]);

    feed = liveFeed(stack.server.url);
    await new Promise((r) => setTimeout(r, 1000));
    beforeBackup = await readStore(stack.server.url, admin, STORE_MONTHS);
    backupStartedAt = Date.now();
    const backup = await runScript('backup.mjs', ['--redis', stack.redis.url, '--out', dirs.backup, '--archive-dir', dirs.archive, '--data-dir', stack.redis.dir]);
    backupEndedAt = Date.now();
    expect(backup.code, backup.out).toBe(0);
    // The feed goes on after the snapshot: these events are the loss window.
    await new Promise((r) => setTimeout(r, 1000));
    await feed.stop();
    original = await readStore(stack.server.url, admin, MONTHS);
  }, 180_000);

  afterAll(async () => {
    await feed?.stop().catch(() => undefined);
    await restored?.stop();
    await fresh?.cleanup();
    await stack?.stop();
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  });

  it('writes the RDB, the archived months and a checksum of every file', async () => {
    const files = readdirSync(dirs.backup).sort();
    expect(files).toEqual(['SHA256SUMS', 'archive', 'backup.json', 'dump.rdb']);
    const sums = readFileSync(join(dirs.backup, 'SHA256SUMS'), 'utf8');
    for (const name of ['dump.rdb', 'backup.json', `archive/${STORE_MONTHS[0]}.ndjson.gz`, `archive/${STORE_MONTHS[0]}.json`])
      expect(sums).toMatch(new RegExp(`^[0-9a-f]{64}  ${name}$`, 'm'));
    const info = JSON.parse(readFileSync(join(dirs.backup, 'backup.json'), 'utf8')) as { snapshotAt: string; archivedMonths: string[]; seqAtLeast: number };
    expect(info.archivedMonths).toEqual([STORE_MONTHS[0]]);
    expect(Date.parse(info.snapshotAt)).toBeGreaterThanOrEqual(backupStartedAt - 1000);
    expect(info.seqAtLeast).toBeGreaterThan(0);
  });

  it("logged none of the live feed's quick successes at info, and logs a refused post", async () => {
    // Hundreds of feed posts and health polls went by: their access lines are at debug.
    expect(feed.batches.length).toBeGreaterThan(20);
    expect(stack.server.output()).not.toMatch(/"url":"\/api\/(feed|health)[^"]*".*"statusCode":200/);
    expect((await postFeed(stack.server.url, [], { token: 'not-the-feed-token-0123' })).status).toBe(401);
    expect(await until(async () => (/"level":40.*"url":"\/api\/feed".*"statusCode":401/.test(stack.server.output()) ? true : undefined), 5000)).toBe(true);
  });

  it('refuses a backup whose files differ from their checksums, and a Redis that is not empty', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'wall-backup-bad-'));
    try {
      for (const name of ['SHA256SUMS', 'backup.json', 'dump.rdb']) writeFileSync(join(copy, name), readFileSync(join(dirs.backup, name)));
      writeFileSync(join(copy, 'backup.json'), readFileSync(join(dirs.backup, 'backup.json'), 'utf8').replace('"product"', '"producT"'));
      const tampered = await runScript('restore.mjs', ['--from', copy, '--redis', stack.redis.url, '--archive-dir', copy]);
      expect(tampered.code).toBe(2);
      expect(tampered.out).toMatch(/backup\.json: checksum differs/);
      expect(tampered.out).toMatch(/archive\/.*: missing/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    const full = await runScript('restore.mjs', ['--from', dirs.backup, '--redis', stack.redis.url, '--archive-dir', dirs.restoredArchive]);
    expect(full.code).toBe(2);
    expect(full.out).toMatch(/holds \d+ keys: restore goes into an empty Redis only/);
  });

  it('restores into a fresh Redis: the product answers every month, the users, roster, audit and open alarms as before', async () => {
    fresh = await startTestRedis({ fsync: 'always' });
    const restore = await runScript('restore.mjs', ['--from', dirs.backup, '--redis', fresh.url, '--archive-dir', dirs.restoredArchive, '--data-dir', fresh.dir]);
    expect(restore.code, restore.out).toBe(0);
    expect(readdirSync(dirs.restoredArchive).sort()).toEqual(readdirSync(dirs.archive).sort());
    restored = await startServer(fresh.url, { ARCHIVE_DIR: dirs.restoredArchive });
    const token = await login(restored.url);
    const view = await readStore(restored.url, token, MONTHS);
    for (const m of STORE_MONTHS) expect(view.bulletins[m], m).toEqual(original.bulletins[m]);
    expect(view.users).toEqual(original.users);
    expect(view.roster).toEqual(original.roster);
    expect(view.openAlarms).toEqual(original.openAlarms);
    expect(view.openAlarms.map((a) => a.order)).toEqual(expect.arrayContaining(written.alarmed));
    expect(view.openAlarms.find((a) => a.order === written.alarmed[0])?.acknowledgedBy).toBe('admin');
    expectAuditKept(beforeBackup.audit, view.audit);
  });

  it('loses only what came after the snapshot, and the sender resending brings it back', async () => {
    const token = await login(restored!.url);
    const early = feed.batches.filter((b) => b.ackedAt < backupStartedAt);
    const late = feed.batches.filter((b) => b.ackedAt > backupEndedAt);
    expect(early.length).toBeGreaterThan(5);
    expect(late.length).toBeGreaterThan(5);
    // Acknowledged before the backup began: in the snapshot, so duplicates now.
    const again = await postFeed(
      restored!.url,
      early.flatMap((b) => b.events),
    );
    expect(again.body).toMatchObject({ accepted: 0, duplicates: early.length * 3 });
    // The whole stream resent: only what the snapshot missed is new, and it includes every
    // batch acknowledged after the backup ended.
    const all = feed.batches.flatMap((b) => b.events);
    const resend = await postFeed(restored!.url, all);
    expect(resend.status).toBe(200);
    expect(resend.body.accepted).toBeGreaterThanOrEqual(late.length * 3);
    expect(resend.body.accepted + resend.body.duplicates).toBe(all.length);
    const second = await postFeed(
      restored!.url,
      late.flatMap((b) => b.events),
    );
    expect(second.body.accepted).toBe(0);
    const view = await readStore(restored!.url, token, [NOW_MONTH]);
    expect(view.bulletins[NOW_MONTH]).toEqual(original.bulletins[NOW_MONTH]);
  });
});

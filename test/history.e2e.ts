import { Zone, addMonths, generateMonth, type FeedEvent } from '@wall/shared';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';
import { ADMIN_PASSWORD, getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// Issue 15 on real processes: closed months read from their stored artifacts by every
// instance; a late event reopens its month (and the span neighbours' stamps), nothing else;
// archive to checked NDJSON and back. The machine's clock is 2026: every month here is closed.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const zone = new Zone('Asia/Shanghai');
const MONTHS = ['2020-03', '2020-04', '2020-05', '2020-06'];
type Monthly = { month: string; total: { incidents: number; feedbacks: number; unfed: number }; units: unknown[]; centers: unknown[] };

function month(m: string): FeedEvent[] {
  const from = zone.startOfMonth(m);
  const next = zone.startOfMonth(m === '2020-12' ? '2021-01' : `2020-${String(Number(m.slice(5)) + 1).padStart(2, '0')}`);
  return generateMonth(7, from, next, (t) => zone.parts(t).hour, 6, m);
}

function archiveCli(url: string, before: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts/archive.mjs'), '--before', before, '--url', url], {
      env: { PATH: process.env.PATH, ADMIN_PASSWORD, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

async function ndjson(url: string, token: string, from: string, to: string): Promise<{ status: number; lines: string[]; body: string }> {
  const res = await fetch(`${url}/api/events?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  return { status: res.status, lines: body.split('\n').filter(Boolean).sort(), body };
}

describe('history: closed months, late events, archive', () => {
  let stack: Stack;
  let other: RunningServer;
  let token: string;
  const archiveDir = mkdtempSync(join(tmpdir(), 'wall-archive-'));
  const stamps = async () => Object.fromEntries(await Promise.all(MONTHS.map(async (m) => [m, await stack.raw.hget(`wall:month:${m}`, 'stamp')])));
  const partitionBytes = async (m: string) => {
    let bytes = 0;
    for (const key of await stack.raw.keys(`wall:log:${m}-*`)) bytes += (await stack.raw.memory('USAGE', key)) ?? 0;
    return bytes;
  };
  const reports = async (url: string) => Promise.all(MONTHS.map(async (m) => (await getJson<Monthly>(url, `/api/reports/monthly?month=${m}`, token)).body));

  beforeAll(async () => {
    stack = await startStack({ env: { ARCHIVE_DIR: archiveDir } });
    other = await stack.addServer();
    token = await login(stack.server.url);
    for (const m of MONTHS) {
      const events = month(m);
      for (let i = 0; i < events.length; i += 2000) expect((await postFeed(stack.server.url, events.slice(i, i + 2000))).body.rejected).toEqual([]);
    }
    // An April incident whose order is not fed back yet: its feedback comes late, below.
    const at = (min: number) => new Date(zone.startOfMonth('2020-04') + 9 * 86_400_000 + min * 60_000).toISOString();
    await postFeed(stack.server.url, [
      { id: 'late-r', type: 'incident.reported', at: at(0), incident: 'late-i', center: 'yongjia', kind: 'alarm', category: '其他' },
      { id: 'late-d', type: 'order.dispatched', at: at(1), incident: 'late-i', order: 'late-o', unit: 'yongjia.police' },
      { id: 'late-s', type: 'order.signed', at: at(2), incident: 'late-i', order: 'late-o' },
      { id: 'late-a', type: 'order.arrived', at: at(9), incident: 'late-i', order: 'late-o' },
      { id: 'late-c', type: 'incident.closed', at: at(200), incident: 'late-i' },
    ]);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(archiveDir, { recursive: true, force: true });
  });

  it('serves closed months from one stored artifact on every instance, the same after a restart', async () => {
    const a = await reports(stack.server.url);
    expect(a.map((r) => r.month)).toEqual(MONTHS);
    for (const r of a) expect(r.total.incidents).toBeGreaterThan(100);
    expect(await reports(other.url)).toEqual(a);
    const folded = await stamps();
    for (const m of MONTHS) expect(folded[m], m).toMatch(/^[0-9a-f]{40}:\d+,\d+,\d+$/);
    await stack.restartServer();
    token = await login(stack.server.url);
    expect(await reports(stack.server.url)).toEqual(a);
    // Nothing was folded again: the stamps did not move.
    expect(await stamps()).toEqual(folded);
  }, 60_000);

  it('a late event reopens exactly its month: its bulletin changes on every instance, the months outside its span are not folded again', async () => {
    const before = await reports(other.url);
    const stampsBefore = await stamps();
    const at = new Date(zone.startOfMonth('2020-04') + 9 * 86_400_000 + 300 * 60_000).toISOString();
    expect((await postFeed(stack.server.url, [{ id: 'late-f', type: 'order.feedback', at, incident: 'late-i', order: 'late-o', stage: 'result' }])).body.accepted).toBe(1);
    for (const url of [stack.server.url, other.url]) {
      const after = await reports(url);
      const april = after[1]!;
      expect(april.total.feedbacks).toBe(before[1]!.total.feedbacks + 1);
      expect(april.total.unfed).toBe(before[1]!.total.unfed - 1);
      for (const i of [0, 2, 3]) expect(after[i], MONTHS[i]).toEqual(before[i]);
    }
    const stampsAfter = await stamps();
    // 2020-06's span (May to July) holds no April day: untouched. April and its neighbours were re-stamped.
    expect(stampsAfter['2020-06']).toBe(stampsBefore['2020-06']);
    for (const m of ['2020-03', '2020-04', '2020-05']) expect(stampsAfter[m], m).not.toBe(stampsBefore[m]);
    // A re-sent id of a closed month is stored once.
    expect((await postFeed(stack.server.url, [{ id: 'late-f', type: 'order.feedback', at, incident: 'late-i', order: 'late-o', stage: 'result' }])).body).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    await stack.restartServer();
    token = await login(stack.server.url);
    expect((await reports(stack.server.url))[1]).toEqual((await reports(other.url))[1]);
    expect((await reports(stack.server.url))[1]!.total.feedbacks).toBe(before[1]!.total.feedbacks + 1);
  }, 60_000);

  it('archives whole months to checked NDJSON: a bad file frees nothing; then Redis frees them, the bulletin and replay read the same', async () => {
    const reportsBefore = await reports(stack.server.url);
    const march = await ndjson(stack.server.url, token, '2020-03-01', '2020-03-31');
    const april3 = await ndjson(stack.server.url, token, '2020-04-03', '2020-04-03');
    expect(march.lines.length).toBeGreaterThan(500);
    const used = async () => Number(/used_memory:(\d+)/.exec(await stack.raw.info('memory'))![1]);
    const marchBytes = await partitionBytes('2020-03');
    expect(marchBytes).toBeGreaterThan(100_000);
    const usedBefore = await used();

    // A file left for April that does not hold April: refused, and March (good) is not freed either.
    writeFileSync(join(archiveDir, '2020-04.ndjson.gz'), 'not a gzip file');
    writeFileSync(join(archiveDir, '2020-04.json'), JSON.stringify({ month: '2020-04', events: 1, sha256: 'x', days: {} }));
    const refused = await archiveCli(stack.server.url, '2020-05');
    expect(refused.code, refused.out).toBe(2);
    expect(refused.out).toMatch(/archive refused \(409\): archive .*2020-04\.ndjson\.gz cannot be read.*nothing was freed/);
    expect(await partitionBytes('2020-03')).toBe(marchBytes);
    expect(await partitionBytes('2020-04')).toBeGreaterThan(0);
    rmSync(join(archiveDir, '2020-04.ndjson.gz'));
    rmSync(join(archiveDir, '2020-04.json'));

    const done = await archiveCli(stack.server.url, '2020-05');
    expect(done.code, done.out).toBe(0);
    expect(done.out).toMatch(/2020-03: \d+ events -> .*2020-03\.ndjson\.gz/);
    expect(done.out).toMatch(/2020-04: \d+ events/);
    expect(readdirSync(archiveDir).sort()).toEqual(['2020-03.json', '2020-03.ndjson.gz', '2020-04.json', '2020-04.ndjson.gz']);
    // Each month freed is audited by the script that frees it; the refused run freed nothing and wrote nothing.
    const archivedEntries = ((await stack.raw.xrange('wall:audit', '-', '+')) as Array<[string, string[]]>)
      .map(([, fields]) => JSON.parse(fields[1]!) as { who: string; action: string; detail: Record<string, unknown> })
      .filter((e) => e.action === 'history.archive');
    const eventsOf = (m: string) => Number(new RegExp(`${m}: (\\d+) events`).exec(done.out)![1]);
    expect(archivedEntries.map((e) => [e.who, e.detail['month'], e.detail['before'], e.detail['events']])).toEqual([
      ['admin', '2020-03', '2020-05', eventsOf('2020-03')],
      ['admin', '2020-04', '2020-05', eventsOf('2020-04')],
    ]);
    expect(await partitionBytes('2020-03')).toBe(0);
    expect(await partitionBytes('2020-04')).toBe(0);
    expect(await stack.raw.exists('wall:ids:2020-03')).toBe(0);
    expect(await used()).toBeLessThan(usedBefore - marchBytes);

    // The bulletin of every month reads as before, on both instances; replay downloads the same events.
    expect(await reports(stack.server.url)).toEqual(reportsBefore);
    expect(await reports(other.url)).toEqual(reportsBefore);
    expect((await ndjson(other.url, token, '2020-03-01', '2020-03-31')).lines).toEqual(march.lines);
    expect((await ndjson(stack.server.url, token, '2020-04-03', '2020-04-03')).lines).toEqual(april3.lines);
    // An archived month takes no more events, said by field; a second archive run has nothing to do.
    const refusedEvent = await postFeed(stack.server.url, [{ id: 'after-archive', type: 'incident.closed', at: '2020-03-05T01:00:00Z', incident: 'x' }]);
    expect(refusedEvent.body.rejected).toEqual([{ index: 0, id: 'after-archive', error: 'at: month 2020-03 is archived; its events can no longer change' }]);
    const again = await archiveCli(stack.server.url, '2020-05');
    expect(again.out).toContain('already archived: 2020-03, 2020-04');

    // An archive damaged on disk is refused with its reason, never served short.
    writeFileSync(join(archiveDir, '2020-03.ndjson.gz'), 'damaged');
    const restarted = await stack.restartServer();
    token = await login(restarted.url);
    const bad = await ndjson(restarted.url, token, '2020-03-02', '2020-03-02');
    expect(bad.status).toBe(500);
    expect(bad.body).toMatch(/2020-03\.ndjson\.gz cannot be read/);
    // The bulletin does not need the file: its artifact is in Redis.
    expect((await reports(restarted.url))[0]).toEqual(reportsBefore[0]);
  }, 120_000);
  it('archives by itself under HISTORY_RETENTION_MONTHS: soon after a start, with two instances started together each month archived and audited once, as system, and one round an hour across instances', async () => {
    const reportsBefore = await reports(other.url);
    const env = { ARCHIVE_DIR: archiveDir, HISTORY_RETENTION_MONTHS: '12' };
    const [a, b] = await Promise.all([startServer(stack.redis.url, env), startServer(stack.redis.url, env)]);
    try {
      const entries = async () =>
        ((await stack.raw.xrange('wall:audit', '-', '+')) as Array<[string, string[]]>)
          .map(([, fields]) => JSON.parse(fields[1]!) as { who: string; action: string; ip: string | null; detail: Record<string, unknown> })
          .filter((e) => e.action === 'history.archive' && e.who === 'system');
      const deadline = Date.now() + 30_000;
      while ((await entries()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      await new Promise((r) => setTimeout(r, 1000)); // a second instance's round, had it taken one
      // 2020-03 and 2020-04 were archived by hand above; the rest went by themselves, once each.
      // Twelve months kept, the current one counted.
      const before = addMonths(zone.monthKey(Date.now()), -11);
      expect((await entries()).map((e) => [e.detail['month'], e.detail['before'], e.ip])).toEqual([
        ['2020-05', before, null],
        ['2020-06', before, null],
      ]);
      expect(await stack.raw.smembers('wall:archived').then((m) => m.sort())).toEqual(MONTHS);
      for (const m of ['2020-05', '2020-06']) {
        expect(await partitionBytes(m), m).toBe(0);
        expect(readdirSync(archiveDir)).toContain(`${m}.ndjson.gz`);
      }
      expect(await reports(a.url)).toEqual(reportsBefore);
      expect(await reports(b.url)).toEqual(reportsBefore);

      // The round is one per hour across instances: one started now takes none, so a month
      // of old events fed since waits for the next hour.
      const at = new Date(zone.startOfMonth('2019-06') + 3 * 86_400_000).toISOString();
      expect(
        (await postFeed(stack.server.url, [{ id: 'old-r', type: 'incident.reported', at, incident: 'old-i', center: 'lucheng', kind: 'alarm', category: '其他' }])).body.accepted,
      ).toBe(1);
      const c = await startServer(stack.redis.url, env);
      try {
        await new Promise((r) => setTimeout(r, 7000)); // past its first round's 5 s
        expect(await stack.raw.sismember('wall:archived', '2019-06')).toBe(0);
        expect(await entries()).toHaveLength(2);
      } finally {
        await c.stop();
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 120_000);
});

import { Zone, closedRate, generateMonth, type MonthlyReport } from '@wall/shared';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { readSeed, type SeedCenterRow } from './support/seed.js';
import { FEED_TOKEN, getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// The generated August through the real server and Redis gives the printed bulletin's 附件1
// and 附件2 (read from the seed's text), and generated months have ids of their own: twelve
// loaded one after another by `npm run load-month` store every event, with 0 duplicates.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const zone = new Zone('Asia/Shanghai');
const seed = readSeed();

function runLoadMonth(args: string[], url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts/load-month.mjs'), '--url', url, '--token', FEED_TOKEN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('the generated August gives the seed bulletin', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let report: MonthlyReport;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    const events = generateMonth(2020, zone.startOfMonth('2020-08'), zone.startOfMonth('2020-09'), (t) => zone.parts(t).hour, undefined, '2020-08');
    for (let i = 0; i < events.length; i += 5000) {
      const res = await postFeed(server.url, events.slice(i, i + 5000));
      expect(res.status).toBe(200);
    }
    report = (await getJson<MonthlyReport>(server.url, '/api/reports/monthly?month=2020-08', await login(server.url))).body;
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it('附件1: every cell of the ten city units and their 合计', () => {
    const units = report.units.filter((u) => u.center === 'city');
    expect(units.map((u) => u.name)).toEqual(seed.units.map((u) => u.name));
    for (const [i, row] of seed.units.entries()) {
      const { name: _n, ...cells } = row;
      expect(units[i], row.name).toMatchObject(cells);
    }
    const { name: _n, ...total } = seed.unitsTotal;
    expect(report.unitsTotal).toEqual(total);
  });

  it('附件2: every row as printed, each center its own incidents; rates computed (龙湾 99.61, printed 99.60)', () => {
    expect(report.centers.map((c) => c.name)).toEqual(seed.centers.map((c) => c.name));
    for (const [i, row] of seed.centers.entries()) {
      const got = report.centers[i]!;
      expect(got, row.name).toMatchObject({
        incidents: row.incidents,
        closed: row.closed,
        feedbacks: row.feedbacks,
        unfed: row.unfed,
        overdueFeedback: row.overdueFeedback,
        returned: row.returned,
      });
      expect(got.closedRate).toBe(closedRate(row.closed, row.incidents));
    }
    // The 市本级 row is the city center's own: the same as 附件1's 合计.
    expect(report.centers[0]).toMatchObject({ center: 'city', incidents: seed.unitsTotal.orders, feedbacks: seed.unitsTotal.feedbacks, returned: seed.unitsTotal.returned });
  });

  it('合计: the seed’s cells where it follows its own rule; the rule applied to 未反馈 and 已退单 where it does not', () => {
    const top = seed.centers.filter((_, i) => report.centers[i]!.parent === null);
    const ruled = (key: keyof Omit<SeedCenterRow, 'name' | 'closedRate'>) => top.reduce((n, r) => n + r[key], 0);
    expect(report.total).toMatchObject({
      incidents: seed.total.incidents,
      closed: seed.total.closed,
      feedbacks: seed.total.feedbacks,
      overdueFeedback: seed.total.overdueFeedback,
    });
    // The seed prints 4 and 59: it added 龙湾's row into these two columns only.
    expect(report.total.unfed).toBe(ruled('unfed'));
    expect(report.total.returned).toBe(ruled('returned'));
    expect([report.total.unfed, report.total.returned]).not.toEqual([seed.total.unfed, seed.total.returned]);
  });
});

describe('months with their own ids', () => {
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

  it('twelve months loaded one after another store every event: exactly 0 duplicates; a month again is all duplicates', async () => {
    const twelve = await runLoadMonth(['--from', '2019-09', '--to', '2020-08', '--per-day', '20'], server.url);
    expect(twelve.code, twelve.out).toBe(0);
    const perMonth = [...twelve.out.matchAll(/^(\d{4}-\d{2}): (\d+) events, (\d+) accepted, (\d+) duplicates$/gm)];
    expect(perMonth.map((m) => m[1])).toEqual(['2019-09', '2019-10', '2019-11', '2019-12', '2020-01', '2020-02', '2020-03', '2020-04', '2020-05', '2020-06', '2020-07', '2020-08']);
    for (const m of perMonth) {
      expect(Number(m[4]), m[0]).toBe(0);
      expect(Number(m[3]), m[0]).toBe(Number(m[2]));
    }
    const events = perMonth.reduce((n, m) => n + Number(m[2]), 0);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { seq: number };
    expect(health.seq).toBe(events);
    // The progress bar printed (without a terminal, a line at a time).
    expect(twelve.out).toMatch(/\d+% \| \d+\/\d+ events/);

    const again = await runLoadMonth(['--month', '2019-10', '--per-day', '20'], server.url);
    expect(again.code, again.out).toBe(0);
    const m = /^2019-10: (\d+) events, (\d+) accepted, (\d+) duplicates$/m.exec(again.out)!;
    expect([Number(m[2]), Number(m[3])]).toEqual([0, Number(m[1])]);
  });

  it('refuses a bad range by name', async () => {
    const bad = await runLoadMonth(['--from', '2020-08', '--to', '2020-02'], server.url);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--to 2020-02 is before --from 2020-08');
  });
});

import { Zone, type QualityReport } from '@wall/shared';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, waitForWallSeq } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { getJson, login, startServer, type RunningServer } from './support/server.js';
import { until } from './support/wait.js';

// A newcomer's first start of the embedded demo: the log prints a one-time screen code (also
// in the 0600 credentials file) that opens the wall in a new browser with nothing else typed.
// Restarting the demo re-sends the simulator's backfill; it must be what was sent before, so
// the bulletin's data check finds no id re-sent with other content.

const zone = new Zone('Asia/Shanghai');
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const HOUR = 3600_000;
const CODE_LINE = /open (http:\/\/127\.0\.0\.1:\d+)\/ and enter the screen code ([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})/;

/** The backfill is posted right after the start: waits until the feed has taken it. */
async function backfilled(server: RunningServer): Promise<void> {
  const done = await until(async () => (server.output().includes('backfilled') ? true : undefined), 60_000);
  expect(done, `no backfill:\n${server.output()}`).toBe(true);
}

describe('the first start of the embedded demo', () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  let browser: Browser;

  const start = async () => {
    server = await startServer(null, { DATA_DIR: dataDir, SIMULATE: 'auto', SWEEP_INTERVAL_MS: '60000' });
    await backfilled(server);
    return server;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wall-first-start-'));
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a screen code, kept in the 0600 credentials file, that opens the wall with nothing else typed', async () => {
    const first = await start();
    const match = CODE_LINE.exec(first.output());
    expect(match, first.output()).not.toBeNull();
    const [, url, code] = match!;
    expect(url).toBe(first.url);
    const file = join(dataDir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { screenCode?: string; screenCodeExpiresAt?: string };
    expect(saved.screenCode).toBe(code);
    // Valid for 24 hours from about now.
    const left = Date.parse(saved.screenCodeExpiresAt!) - Date.now();
    expect(left).toBeGreaterThan(23.9 * HOUR);
    expect(left).toBeLessThanOrEqual(24 * HOUR);

    const wall = await openPage(browser);
    try {
      await wall.page.goto(`${url}/`);
      await wall.page.locator('input[name="code"]').fill(code!);
      await wall.page.keyboard.press('Enter');
      await waitForWallSeq(wall.page, 1, 30_000);
      await wall.page.getByTestId('demo-badge').waitFor();
      const stored = await wall.page.evaluate(() => JSON.parse(localStorage.getItem('wall.auth') ?? 'null') as { role: string });
      expect(stored.role).toBe('wall');
      await screenshot(wall.page, 'first-start-wall');
      expect(wall.errors).toEqual([]);
    } finally {
      await wall.close();
    }
    // Used once: the same code enrols nothing again; a second start prints none.
    const again = await fetch(`${url}/api/screens/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(again.status).toBe(401);
    await server!.stop();
    expect((await start()).output()).not.toMatch(CODE_LINE);
  });
});

describe('a restarted demo', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer | undefined;

  /** The simulator on a Redis of the test's own, `hoursLater` than now (libfaketime, on the server only). */
  const start = async (hoursLater: number) => {
    const clock = hoursLater ? { LD_PRELOAD: LIBFAKETIME, FAKETIME: `+${hoursLater}h`, FAKETIME_DONT_FAKE_MONOTONIC: '1' } : {};
    server = await startServer(redis.url, { SIMULATE: 'on', SWEEP_INTERVAL_MS: '60000', ...clock });
    await backfilled(server);
  };

  beforeAll(async () => {
    expect(existsSync(LIBFAKETIME), 'libfaketime (Debian package faketime) is needed: .ci/run installs it').toBe(true);
    redis = await startTestRedis();
    await start(0);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it('restarted twice, hours apart, the bulletin’s data check finds no conflicting duplicate', async () => {
    // Hours apart, as a demo stopped in the morning and started again at noon: a restart a few
    // seconds later would draw the same incidents whatever the generator did.
    for (const hoursLater of [2, 4]) {
      await server!.stop();
      await start(hoursLater);
    }
    const token = await login(server!.url);
    const now = Date.now() + 4 * HOUR;
    // Yesterday's month too: the backfill starts a day back.
    const months = [...new Set([zone.monthKey(now), zone.monthKey(now - 24 * HOUR)])];
    for (const month of months) {
      const quality = (await getJson<QualityReport>(server!.url, `/api/reports/quality?month=${month}`, token)).body;
      expect(quality.month).toBe(month);
      expect(quality.counts.conflictingDuplicate, month).toBe(0);
    }
    // And the feed saw the same ids again: the backfill was re-sent, not skipped.
    expect(server!.output()).toMatch(/backfilled [1-9]\d* simulated events/);
  });
});

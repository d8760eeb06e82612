// npm run screenshots: the demo (`npm start` with the embedded Redis and the built-in
// simulator, as a newcomer first sees it) in headless Chromium, photographed into docs/images/:
// the wall at 1920×1080 and on a 3840×1080 wall, the supervisor console with an overdue popup,
// the bulletin and the replay. Each PNG is scaled to 1600 px wide and palette-compressed.
// Needs the build (npm run screenshots builds first), redis-server and /usr/bin/chromium.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'docs/images');
const WIDTH = 1600;
const ADMIN_PASSWORD = randomBytes(12).toString('base64url');
const VIEWER = { username: 'wall-hall', password: randomBytes(12).toString('base64url') };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

/** The demo as `npm start` runs it with no REDIS_URL, in a data directory of its own. */
async function startDemo() {
  const dataDir = mkdtempSync(join(tmpdir(), 'wall-screenshots-'));
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [join(root, 'server/dist/main.js')], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const url = `http://127.0.0.1:${port}`;
  try {
    await until('the demo to be healthy', async () => child.exitCode === null && (await fetch(`${url}/api/health`)).status === 200, 60_000);
  } catch (e) {
    child.kill('SIGTERM');
    throw new Error(`${e.message}\n${output}`, { cause: e });
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function api(url, path, { token, body, method = body ? 'POST' : 'GET' } = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Logs in through the page's own form, as a person would. */
async function logIn(page, { username, password }) {
  const form = page.getByTestId('login-form');
  await form.waitFor({ timeout: 30_000 });
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
  await form.waitFor({ state: 'detached', timeout: 30_000 });
}

async function save(page, name) {
  const file = join(OUT, `${name}.png`);
  const shot = await page.screenshot({ fullPage: false });
  await sharp(shot).resize({ width: WIDTH }).png({ palette: true, quality: 90, compressionLevel: 9, effort: 10 }).toFile(file);
  const { width, height } = await sharp(file).metadata();
  console.log(`${file}: ${width}×${height}, ${Math.round(statSync(file).size / 1024)} KB`);
}

/** The report zone's day, `offset` days from today. */
function day(zone, offset) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offset * 86_400_000));
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const demo = await startDemo();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const { token } = await api(demo.url, '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    await api(demo.url, '/api/users', { token, body: { ...VIEWER, role: 'viewer' } });
    const { timeZone } = await api(demo.url, '/api/settings');
    const page = async (width, height) => (await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: timeZone })).newPage();

    // The console first: its popup comes for an alarm raised while it is open, and the
    // simulator's demo order goes overdue within a minute of its backfill.
    const console_ = await page(1920, 1080);
    await console_.goto(`${demo.url}/supervisor`);
    await logIn(console_, { username: 'admin', password: ADMIN_PASSWORD });
    const unlock = console_.getByTestId('unlock-button');
    if (await unlock.isVisible().catch(() => false)) await unlock.click();
    await console_.getByTestId('alarm-popup').waitFor({ timeout: 180_000 });
    await sleep(1500);
    await save(console_, 'supervisor');

    for (const [name, width] of [
      ['wall-1080p', 1920],
      ['wall-wide', 3840],
    ]) {
      const wall = await page(width, 1080);
      await wall.goto(`${demo.url}/`);
      await logIn(wall, VIEWER);
      await until('the wall to draw its map', async () => (await wall.locator('[data-testid="map-fill"]').count()) > 0, 60_000);
      // The charts draw on their next frames and the trend at most every 5 s.
      await sleep(6000);
      await save(wall, name);
    }

    const bulletin = await page(1920, 1080);
    await bulletin.goto(`${demo.url}/bulletin?month=${day(timeZone, 0).slice(0, 7)}`);
    await logIn(bulletin, { username: 'admin', password: ADMIN_PASSWORD });
    await bulletin.getByTestId('annex2').waitFor({ timeout: 60_000 });
    await sleep(1000);
    await save(bulletin, 'bulletin');

    const replay = await page(1920, 1080);
    const yesterday = day(timeZone, -1);
    await replay.goto(`${demo.url}/replay?from=${yesterday}&to=${day(timeZone, 0)}&speed=3600&at=${yesterday}T15:00`);
    await logIn(replay, { username: 'admin', password: ADMIN_PASSWORD });
    await until('the replay to be ready', async () => await replay.getByTestId('replay-play').isEnabled(), 120_000);
    await sleep(4000);
    await save(replay, 'replay');
  } finally {
    await browser.close();
    await demo.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

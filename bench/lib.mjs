// @ts-check
// Shared plumbing of the benchmarks: a private Redis, the built server as a child process,
// the feed and login calls, and percentiles. Everything runs against real processes so the
// figures include the HTTP, socket.io and Redis hops a real deployment pays.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { freePort, startEmbeddedRedis } from '../server/dist/redis/embedded-redis.js';

export { freePort };

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FEED_TOKEN = 'bench-feed-token-0123456789';
export const ADMIN_PASSWORD = 'bench-admin-pass-1';
const JWT_SECRET = 'bench-jwt-secret-0123456789-0123456789';

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const now = () => performance.now();

/**
 * Nearest-rank percentile of unsorted numbers; null for no samples (never a made-up figure).
 * @param {number[]} values
 * @param {number} p 0..100
 * @returns {number | null}
 */
export function percentile(values, p) {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** @param {number | null | undefined} x @param {number} [digits] */
export const round = (x, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(digits));

/**
 * A private redis-server on a free port, the product's embedded settings (AOF, fsync always):
 * the raw baselines run against the same Redis, so the ratios compare like with like.
 */
export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'wall-bench-'));
  const redis = await startEmbeddedRedis(dir, { fsync: 'always' });
  return {
    ...redis,
    async cleanup() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * @typedef {{ url: string, port: number, pid: number, output(): string, stop(): Promise<void>, exited(): boolean }} BenchServer
 */

/**
 * The node flags the product starts with: package.json's start script's (`npm start`; the
 * image sets the same in NODE_OPTIONS). BENCH_NODE_ARGS (space-separated, '' for none)
 * overrides them, for a before/after of a flag on the same build.
 * @returns {string[]}
 */
export function productNodeArgs() {
  if (process.env.BENCH_NODE_ARGS !== undefined) return process.env.BENCH_NODE_ARGS.split(' ').filter(Boolean);
  const start = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const m = /^node((?: --\S+)*) server\/dist\/main\.js$/.exec(start);
  if (!m) throw new Error(`package.json start script not understood: ${start}`);
  return m[1].split(' ').filter(Boolean);
}

/**
 * Runs server/dist/main.js (with the product's node flags, then `nodeArgs`) against `redisUrl`
 * and resolves once /api/health answers 200.
 * @param {string} redisUrl
 * @param {Record<string, string>} [env]
 * @param {string[]} [nodeArgs]
 * @returns {Promise<BenchServer & { startMs: number }>}
 */
export async function startServer(redisUrl, env = {}, nodeArgs = []) {
  const port = await freePort();
  let output = '';
  const started = now();
  const child = spawn(process.execPath, [...productNodeArgs(), ...nodeArgs, join(ROOT, 'server/dist/main.js')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      FEED_TOKEN,
      ADMIN_PASSWORD,
      SIMULATE: 'off',
      JWT_SECRET,
      NO_COLOR: '1',
      // The latency measure's clients share one token; real walls each hold their own.
      SOCKETS_PER_USER: '10000',
      // The client build with window.__wall, which the wall bench reads (client/vite.config.ts).
      CLIENT_DIR: join(ROOT, 'client/dist-e2e'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c) => (output += c.toString()));
  child.stderr.on('data', (c) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output.slice(-2000)}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not healthy in 120 s:\n${output.slice(-2000)}`);
    await sleep(10);
  }
  const startMs = now() - started;
  return {
    url,
    port,
    pid: /** @type {number} */ (child.pid),
    startMs,
    output: () => output,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** @param {string} url @returns {Promise<string>} */
export async function login(url) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${res.status}: ${await res.text()}`);
  return /** @type {{token: string}} */ (await res.json()).token;
}

/**
 * POSTs one batch; throws on anything but 200 so a rejected event cannot inflate a rate.
 * @param {string} url
 * @param {string} body JSON array text
 * @returns {Promise<{accepted: number, duplicates: number, seq: number}>}
 */
export async function postFeed(url, body) {
  const post = () =>
    fetch(`${url}/api/feed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FEED_TOKEN}` },
      body,
    });
  let res;
  try {
    res = await post();
  } catch (e) {
    // A kept-alive socket the server closed after 5 s idle, while this process was busy (the
    // history's next month is generated between posts: > 5 s on a loaded machine), is picked
    // before its close is read: "other side closed" with no answer, the batch never read. Once
    // again, on a new socket; a batch that did arrive comes back as duplicates, and the
    // callers' accepted counts say so.
    const code = /** @type {{ cause?: { code?: string } }} */ (e).cause?.code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw e;
    res = await post();
  }
  const answer = await res.json();
  if (res.status !== 200) throw new Error(`feed ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  return answer;
}

/** @param {string} url @returns {Promise<number>} */
export async function healthSeq(url) {
  const res = await fetch(`${url}/api/health`);
  return /** @type {{seq: number}} */ (await res.json()).seq;
}

/**
 * Polls /api/health until the server's projection has applied `seq`.
 * @param {string} url @param {number} seq @param {number} [timeoutMs]
 */
export async function waitApplied(url, seq, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await healthSeq(url)) >= seq) return;
    if (Date.now() > deadline) throw new Error(`server did not apply seq ${seq} in ${timeoutMs} ms`);
    await sleep(5);
  }
}

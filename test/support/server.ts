import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../server/src/redis/embedded-redis.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const FEED_TOKEN = 'test-feed-token-0123456789';
export const ADMIN_PASSWORD = 'admin-pass-1';

export interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs the built server (server/dist) as a real process against the given Redis; `null` is the
 * embedded default (no REDIS_URL: the server starts its own redis-server under DATA_DIR). An
 * env value of `undefined` removes that variable. `serverRoot`: another checkout's build (an
 * older release, for the upgrade test).
 */
export async function startServer(redisUrl: string | null, env: Record<string, string | undefined> = {}, port?: number, serverRoot = root): Promise<RunningServer> {
  const p = port ?? (await freePort());
  let output = '';
  const childEnv: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    PORT: String(p),
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl ?? undefined,
    FEED_TOKEN,
    ADMIN_PASSWORD,
    SIMULATE: 'off',
    JWT_SECRET: 'test-jwt-secret-0123456789-0123456789',
    WALL_THROTTLE_MS: '100',
    // The client build with the test hooks (window.__wall, __replay): see client/vite.config.ts.
    CLIENT_DIR: join(root, 'client/dist-e2e'),
    ...env,
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, [...productNodeArgs(serverRoot, 'start'), join(serverRoot, 'server/dist/main.js')], {
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not healthy in 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: p,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

export async function login(url: string, username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface FeedAnswer {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; id: string | null; error: string }>;
  seq: number;
}

export async function postFeed(
  url: string,
  body: unknown,
  options: { token?: string; ndjson?: boolean } = {},
): Promise<{ status: number; body: FeedAnswer & { message?: string } }> {
  const res = await fetch(`${url}/api/feed`, {
    method: 'POST',
    headers: {
      'content-type': options.ndjson ? 'application/x-ndjson' : 'application/json',
      authorization: `Bearer ${options.token ?? FEED_TOKEN}`,
    },
    body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as FeedAnswer & { message?: string } };
}

export async function getJson<T>(url: string, path: string, token: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
}

export interface RunningWorker {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs the built worker (server/dist/worker.js, what `npm run worker` runs) and waits for its readiness. */
export async function startWorkerProcess(redisEnv: Record<string, string>, env: Record<string, string> = {}): Promise<RunningWorker> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...productNodeArgs(root, 'worker'), join(root, 'server/dist/worker.js')], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      WORKER_PORT: String(port),
      FEED_TOKEN,
      ADMIN_PASSWORD,
      JWT_SECRET: 'test-jwt-secret-0123456789-0123456789',
      ...redisEnv,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${output}`);
    const status = await fetch(`${url}/api/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`worker not ready in 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/**
 * The node flags `npm start` / `npm run worker` give the process (package.json's scripts; the
 * image sets the same in NODE_OPTIONS), so a test measures the process as it is run.
 */
function productNodeArgs(dir: string, script: 'start' | 'worker'): string[] {
  const line = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[script]!;
  const m = /^node((?: --\S+)*) server\/dist\/(?:main|worker)\.js$/.exec(line);
  if (!m) throw new Error(`package.json ${script} script not understood: ${line}`);
  return m[1]!.split(' ').filter(Boolean);
}

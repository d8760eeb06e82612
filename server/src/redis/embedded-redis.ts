import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

// The embedded default: with no REDIS_URL the app runs a private redis-server with AOF
// persistence under DATA_DIR/redis, fsync on every write so that an acknowledged feed batch
// survives a crash, and noeviction so Redis refuses writes rather than dropping data.

export const REDIS_MISSING =
  'redis-server not found on PATH: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis.';

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  pid: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A server killed with -9 leaves its redis-server running on the data directory; two of them
 * on one AOF would corrupt it. The pid file names the orphan: stop it before starting anew.
 */
async function stopOrphan(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  let comm: string;
  try {
    comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return; // not running (or no /proc: nothing we can check)
  }
  if (!comm.startsWith('redis-server')) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 50));
}

export async function startEmbeddedRedis(dataDir: string, options: { port?: number; fsync?: 'always' | 'everysec'; password?: string } = {}): Promise<EmbeddedRedis> {
  if (!hasRedisServer()) throw new Error(REDIS_MISSING);
  const dir = resolve(dataDir, 'redis');
  // The AOF holds every user's password hash and the audit log: for the owner's eyes only.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const pidFile = resolve(dir, 'redis.pid');
  await stopOrphan(pidFile);
  const port = options.port ?? (await freePort());
  // Any local process could otherwise reach the data on 127.0.0.1. The password goes in a
  // config file only this user can read, not on the command line that every user can see.
  const confFile = resolve(dir, 'auth.conf');
  if (options.password) writeFileSync(confFile, `requirepass ${options.password}\n`, { mode: 0o600 });
  const child: ChildProcess = spawn(
    'redis-server',
    [
      ...(options.password ? [confFile] : []),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      options.fsync ?? 'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--protected-mode',
      'yes',
      '--pidfile',
      pidFile,
      // Redis notices a blocking command's timeout on its event loop's timer, every 1/hz s:
      // at the default 10 a BullMQ worker waiting for the next due deadline woke up to 100 ms
      // late. 100 costs a little idle CPU and took alarm lateness p99 from 278 to 178 ms with
      // 100,000 pending limits (bench/deadline-engine.mjs).
      '--hz',
      '100',
    ],
    // Its own process group: Ctrl-C in a terminal (SIGINT to the foreground group) must reach
    // only the app, which stops first (final checkpoint, in-flight jobs) and then stops Redis.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolveReady();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`)));
  });
  await ready;
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: options.password ? `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill(signal);
      }),
  };
}

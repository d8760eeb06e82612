import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcp, connect, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../server/src/redis/embedded-redis.js';
import { startNginx, type RunningNginx } from '../../test/support/nginx.js';
import { SENTINEL_NAME, startSentinelSet, type SentinelSet } from '../../test/support/sentinel.js';
import { ADMIN_PASSWORD, FEED_TOKEN } from '../../test/support/server.js';
import type { History } from './history.js';

// The system under test, all real processes on loopback: Redis (primary, replica, three
// sentinels), three API instances behind the shipped nginx config, two workers, each API and
// worker under a supervisor loop that restarts it when it dies (as systemd or compose would),
// each with its own libfaketime clock; a webhook receiver that sometimes fails or hangs.

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const JWT_SECRET = 'test-jwt-secret-0123456789-0123456789';

/** One process under its supervisor loop. */
export class Supervised {
  child: ChildProcess | null = null;
  restarts = 0;
  private stopping = false;
  private readonly clockFile: string;
  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
    readonly port: number,
    private readonly healthPath: string,
    private readonly history: History,
    dir: string,
  ) {
    this.clockFile = join(dir, `${name}.clock`);
    writeFileSync(this.clockFile, '+0\n');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    const child = spawn(process.execPath, [join(root, this.script)], {
      env: {
        PATH: process.env.PATH,
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME_TIMESTAMP_FILE: this.clockFile,
        FAKETIME_NO_CACHE: '1',
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
        ...this.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    this.child = child;
    this.history.record({ type: 'proc', name: this.name, event: 'start', pid: child.pid });
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.history.record({ type: 'proc', name: this.name, event: 'exit', pid: child.pid, code, signal });
      if (code !== 0 && signal !== 'SIGKILL' && !this.stopping) console.error(`${this.name} exited (${code}, ${signal}): ${err.slice(-2000)}`);
      if (this.stopping) return;
      this.restarts++;
      // The supervisor's restart delay (systemd's RestartSec=1).
      setTimeout(() => {
        if (!this.stopping) this.start();
      }, 1000);
    });
    void this.watchReady(child);
  }

  private async watchReady(child: ChildProcess): Promise<void> {
    while (this.child === child && child.exitCode === null && child.signalCode === null && !this.stopping) {
      if (await this.healthy()) {
        this.history.record({ type: 'proc', name: this.name, event: 'ready', pid: child.pid });
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async healthy(): Promise<boolean> {
    return fetch(`${this.url}${this.healthPath}`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
  }

  signal(sig: NodeJS.Signals): void {
    this.child?.kill(sig);
  }

  /** A step of this process's clock by `seconds` (0: back to true time). */
  stepClock(seconds: number): void {
    writeFileSync(this.clockFile, `${seconds >= 0 ? '+' : ''}${seconds}\n`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    await gone;
    clearTimeout(timer);
  }
}

/** A webhook receiver: answers 500 to some requests, never answers some, can go down. */
export class Receiver {
  url = '';
  private server: Server | null = null;
  private readonly open = new Set<Socket>();
  private port = 0;
  constructor(
    private readonly history: History,
    private readonly rand: () => number,
  ) {}

  async start(port?: number): Promise<void> {
    this.port = port ?? (await freePort());
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.open.add(s);
      s.once('close', () => this.open.delete(s));
    });
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
    this.server = server;
    this.url = `http://127.0.0.1:${this.port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: { alarm?: { id?: string }; level?: number; recipient?: string } = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      // not ours
    }
    const r = this.rand();
    const answered = r < 0.1 ? 500 : r < 0.15 ? 'hang' : 200;
    this.history.record({ type: 'hook', path: req.url ?? '', alarm: body.alarm?.id ?? '', level: body.level ?? -1, recipient: body.recipient ?? '', answered });
    if (answered === 'hang') return; // the sender's timeout ends it
    res.writeHead(answered, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: answered === 200 }));
  }

  /** Down: the port refuses connections; open ones are cut. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.open) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }

  async up(): Promise<void> {
    if (!this.server) await this.start(this.port);
  }
}

/** A TCP proxy in front of nginx for one wall: `cut` stalls its bytes both ways (no FIN, no RST), as a pulled cable does. */
export class WallLink {
  url = '';
  private server: TcpServer | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  private isCut = false;
  /** `from`: the loopback address it connects from (nginx keeps each address on one instance). */
  async start(target: number, from: string): Promise<void> {
    const port = await freePort();
    this.server = createTcp((client) => {
      const upstream = connect({ port: target, host: '127.0.0.1', localAddress: from });
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      if (this.isCut) for (const s of pair) s.pause();
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${port}`;
  }
  cut(): void {
    this.isCut = true;
    for (const pair of this.pairs) for (const s of pair) s.pause();
  }
  restore(): void {
    this.isCut = false;
    for (const pair of this.pairs) for (const s of pair) s.resume();
  }
  close(): Promise<void> {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export interface System {
  redis: SentinelSet;
  apis: Supervised[];
  workers: Supervised[];
  nginx: RunningNginx;
  receiver: Receiver;
  dir: string;
  stop(): Promise<void>;
}

export async function startSystem(history: History, rand: () => number): Promise<System> {
  const dir = mkdtempSync(join(tmpdir(), 'wall-chaos-'));
  const parts: Partial<System> = { dir, apis: [], workers: [] };
  const stop = async () => {
    await Promise.all([...(parts.apis ?? []), ...(parts.workers ?? [])].map((p) => p.stop()));
    await parts.nginx?.stop().catch(() => undefined);
    await parts.receiver?.down();
    await parts.redis?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    parts.redis = await startSentinelSet();
    const redisEnv = { REDIS_SENTINELS: parts.redis.sentinels, REDIS_SENTINEL_NAME: SENTINEL_NAME };
    parts.receiver = new Receiver(history, rand);
    await parts.receiver.start();
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const env = {
        ...redisEnv,
        PORT: String(port),
        HOST: '127.0.0.1',
        FEED_TOKEN,
        ADMIN_PASSWORD,
        SIMULATE: 'off',
        JWT_SECRET,
        WALL_THROTTLE_MS: '100',
        CLIENT_DIR: join(root, 'client/dist-e2e'),
        DEADLINE_WORKER: 'off',
        FEED_WAIT_REPLICAS: '1',
      };
      parts.apis!.push(new Supervised(`api-${i}`, 'server/dist/main.js', env, port, '/api/health', history, dir));
    }
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const env = { ...redisEnv, HOST: '127.0.0.1', WORKER_PORT: String(port), FEED_TOKEN, ADMIN_PASSWORD, JWT_SECRET, SWEEP_INTERVAL_MS: '1000' };
      parts.workers!.push(new Supervised(`worker-${i}`, 'server/dist/worker.js', env, port, '/api/health/ready', history, dir));
    }
    for (const p of [...parts.apis!, ...parts.workers!]) p.start();
    for (const p of [...parts.apis!, ...parts.workers!]) {
      const deadline = Date.now() + 60_000;
      while (!(await p.healthy())) {
        if (Date.now() > deadline) throw new Error(`${p.name} not healthy in 60 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const port = await freePort();
    const [a, b, c] = parts.apis!;
    // The shipped template names two upstream servers; the third joins the second's line.
    parts.nginx = await startNginx(
      { WALL_LISTEN: `127.0.0.1:${port}`, WALL_API_1: `127.0.0.1:${a!.port}`, WALL_API_2: `127.0.0.1:${b!.port} max_fails=1 fail_timeout=5s;\n    server 127.0.0.1:${c!.port}` },
      port,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { ...(parts as Omit<System, 'stop'>), stop };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../server/src/redis/embedded-redis.js';

// Debian's redis-server and redis-sentinel on loopback: one primary, one replica, three
// sentinels (quorum 2) that notice a dead primary after 1 s.

export const SENTINEL_NAME = 'wall';

function run(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      if (/Ready to accept connections|Sentinel ID is/.test(out)) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}: ${out.slice(-800)}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export interface SentinelSet {
  sentinels: string;
  ports: { primary: number; replica: number };
  /** The port the sentinels name as primary now. */
  primaryPort(): Promise<number>;
  killPrimary(): Promise<number>;
  /** Starts a killed server again on its port and directory (a service manager's restart). */
  restart(port: number): Promise<void>;
  /** Sends a signal to the server on `port` (SIGSTOP/SIGCONT for a pause). */
  signal(port: number, signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export async function startSentinelSet(): Promise<SentinelSet> {
  const dir = mkdtempSync(join(tmpdir(), 'wall-sentinel-'));
  const primary = await freePort();
  const replica = await freePort();
  const servers = new Map<number, ChildProcess>();
  const serverArgs = (port: number) => {
    mkdirSync(join(dir, String(port)), { recursive: true });
    return [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      join(dir, String(port)),
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--hz',
      '100',
    ];
  };
  servers.set(primary, await run('redis-server', serverArgs(primary)));
  servers.set(replica, await run('redis-server', [...serverArgs(replica), '--replicaof', '127.0.0.1', String(primary)]));
  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  const sentinels: ChildProcess[] = [];
  for (const port of sentinelPorts) {
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        '',
      ].join('\n'),
    );
    sentinels.push(await run('redis-sentinel', [conf]));
  }
  // The replica is in sync before anything is written.
  const check = new Redis(primary, '127.0.0.1');
  for (let i = 0; i < 100 && !/slave0:.*state=online/.test(await check.info('replication')); i++) await new Promise((r) => setTimeout(r, 100));
  check.disconnect();

  const ask = async (): Promise<number> => {
    const s = new Redis(sentinelPorts[0]!, '127.0.0.1');
    try {
      const [, port] = (await s.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME)) as [string, string];
      return Number(port);
    } finally {
      s.disconnect();
    }
  };
  return {
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    ports: { primary, replica },
    primaryPort: ask,
    killPrimary: async () => {
      const port = await ask();
      await stop(servers.get(port)!, 'SIGKILL');
      return port;
    },
    restart: async (port) => {
      servers.set(port, await run('redis-server', serverArgs(port)));
    },
    signal: (port, signal) => {
      servers.get(port)?.kill(signal);
    },
    stop: async () => {
      for (const s of servers.values()) s.kill('SIGCONT');
      await Promise.all(sentinels.map((s) => stop(s)));
      await Promise.all([...servers.values()].map((s) => stop(s)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

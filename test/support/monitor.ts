import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// What each process sent to Redis, from Redis's own MONITOR (redis-cli): lets a test say which
// server instance ran a command, e.g. which worker raised an alarm, without asking the servers.

export interface RedisMonitor {
  /** MONITOR lines so far, each with the client's port ("lua" lines have none). */
  lines(): Array<{ port: number | null; text: string }>;
  stop(): void;
}

export async function startMonitor(redisPort: number): Promise<RedisMonitor> {
  const child = spawn('redis-cli', ['-p', String(redisPort), 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let buffer = '';
  const lines: Array<{ port: number | null; text: string }> = [];
  child.stdout.on('data', (c: Buffer) => {
    buffer += c.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const text of parts) lines.push({ port: Number(/^\S+ \[\d+ [\d.]+:(\d+)\]/.exec(text)?.[1] ?? NaN) || null, text });
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', () => resolve()); // "OK"
  });
  return { lines: () => lines, stop: () => void child.kill() };
}

/** The local ports of the TCP sockets a process holds (Linux /proc). */
export function tcpPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

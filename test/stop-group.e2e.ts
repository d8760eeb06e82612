import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../server/src/redis/embedded-redis.js';
import { FEED_TOKEN, postFeed } from './support/server.js';
import { until } from './support/wait.js';

// Ctrl-C in a terminal sends SIGINT to the whole foreground process group. The embedded
// redis-server runs in a group of its own, so the app stops first (final checkpoint) and then
// stops Redis: a clean exit 0, not a 10 s wait for a Redis that the signal already killed.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('Ctrl-C on the product with its embedded Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wall-stop-group-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes the request in flight, saves its checkpoint, then stops Redis, and exits 0', async () => {
    const port = await freePort();
    let output = '';
    // detached: the server leads a process group of its own, as a shell's foreground job does.
    const child = spawn(process.execPath, [join(root, 'server/dist/main.js')], {
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, SIMULATE: 'off', FEED_TOKEN, SHUTDOWN_TIMEOUT_MS: '8000' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    expect(await until(async () => ((await fetch(`${url}/api/health`)).status === 200 ? true : undefined), 30_000), output).toBe(true);
    const redisPid = Number(readFileSync(join(dir, 'redis/redis.pid'), 'utf8'));
    expect(
      (await postFeed(url, [{ id: 'g1', type: 'incident.reported', at: new Date().toISOString(), incident: 'gi1', center: 'ouhai', kind: 'alarm', category: '测试' }])).status,
    ).toBe(200);

    // A feed request in flight when the signal comes: half its body sent before, half after.
    const body = JSON.stringify(
      Array.from({ length: 200 }, (_, i) => ({
        id: `f${i}`,
        type: 'incident.reported',
        at: new Date().toISOString(),
        incident: `fi${i}`,
        center: 'ouhai',
        kind: 'alarm',
        category: '测试',
      })),
    );
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${url}/api/feed`,
        { method: 'POST', headers: { authorization: `Bearer ${FEED_TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      const half = Math.floor(body.length / 2);
      req.write(body.slice(0, half));
      setTimeout(() => req.end(body.slice(half)), 500);
    });
    await new Promise((r) => setTimeout(r, 200));

    const signalled = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    const answer = await inFlight;
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ accepted: 200, seq: 201 });
    const code = await exited;
    expect(code, output).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(output).not.toMatch(/checkpoint not saved|did not finish/);
    expect(await until(async () => (existsSync(`/proc/${redisPid}`) ? undefined : true), 3000)).toBe(true);
  });
});

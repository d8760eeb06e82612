import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { login, postFeed, startServer } from './support/server.js';
import { until } from './support/wait.js';

// The embedded setup's first start and the next: generated credentials go to a 0600 file (the
// admin password printed once, the feed token never), Redis gets a password and a 0700 data
// directory, and keeps only the feed token's hash.

describe('generated secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wall-secrets-'));
  // redis-server retitles itself ("redis-server 127.0.0.1:port"), hiding the arguments it was
  // started with from /proc: a redis-server first on PATH notes them before it runs the real one.
  const shim = mkdtempSync(join(tmpdir(), 'wall-secrets-bin-'));
  const argvLog = join(shim, 'argv.log');
  writeFileSync(
    join(shim, 'redis-server'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> ${argvLog}\nexec ${execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim()} "$@"\n`,
    { mode: 0o755 },
  );
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(shim, { recursive: true, force: true });
  });
  // No REDIS_URL, FEED_TOKEN or ADMIN_PASSWORD: the embedded default generates them all.
  const env = { REDIS_URL: '', FEED_TOKEN: '', ADMIN_PASSWORD: '', DATA_DIR: dir, PATH: `${shim}:${process.env.PATH}` };

  it('writes them to a file only the owner can read, and prints no feed token', async () => {
    const first = await startServer('', env);
    let credentials: { feedToken: string; adminPassword: string; redisPassword: string };
    try {
      const file = join(dir, 'credentials.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'redis')).mode & 0o777).toBe(0o700);
      credentials = JSON.parse(readFileSync(file, 'utf8'));
      expect(credentials.feedToken).toMatch(/^\S{24,}$/);
      // The server says so once ready, a moment after it answers /api/health.
      await until(async () => (first.output().includes('ready at') ? true : undefined), 10_000);
      expect(first.output()).toContain(file);
      expect(first.output()).toContain(credentials.adminPassword);
      expect(first.output()).not.toContain(credentials.feedToken);
      expect(first.output()).not.toContain(credentials.redisPassword);
      expect(
        (
          await postFeed(first.url, [{ id: 's-1', type: 'incident.reported', at: new Date().toISOString(), incident: 's-1', center: 'lucheng', kind: 'alarm', category: '测试' }], {
            token: credentials.feedToken,
          })
        ).status,
      ).toBe(200);
      expect(await login(first.url, 'admin', credentials.adminPassword)).toBeTruthy();

      // The password reaches redis-server in a config file only the owner can read.
      const conf = join(dir, 'redis', 'auth.conf');
      expect(statSync(conf).mode & 0o777).toBe(0o600);
      expect(readFileSync(conf, 'utf8')).toBe(`requirepass ${credentials.redisPassword}\n`);
      const started = readFileSync(argvLog, 'utf8')
        .split('\n')
        .filter((line) => line.includes('--port'));
      expect(started).toHaveLength(1);
      expect(started[0], 'redis-server’s arguments').not.toContain(credentials.redisPassword);
      expect(started[0]!.startsWith(`${conf} --port `), started[0]).toBe(true);
      const redisPid = Number(readFileSync(join(dir, 'redis', 'redis.pid'), 'utf8'));
      const cmdline = readFileSync(`/proc/${redisPid}/cmdline`, 'utf8');
      expect(cmdline).not.toContain(credentials.redisPassword);
      // redis-server shows itself as "redis-server 127.0.0.1:port" in the process list.
      const redisPort = Number(/127\.0\.0\.1:(\d+)/.exec(cmdline)![1]);
      // Any local process without the password is refused.
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(redisPort, '127.0.0.1', () => socket.write('HGETALL wall:users\r\n'));
        socket.once('data', (d) => (resolve(d.toString()), socket.end()));
        socket.once('error', reject);
      });
      expect(reply).toMatch(/^-NOAUTH/);
      const owner = new Redis({ port: redisPort, password: credentials.redisPassword });
      expect(await owner.get('wall:feed-token')).toBeNull();
      expect(await owner.get('wall:feed-token-sha256')).toBe(createHash('sha256').update(credentials.feedToken).digest('hex'));
      owner.disconnect();
    } finally {
      await first.stop();
    }

    const again = await startServer('', env);
    try {
      // The file's path is logged just after "ready at": wait for that line, not the one before it.
      await until(async () => (again.output().includes('feed token: in') ? true : undefined), 10_000);
      expect(again.output()).not.toContain(credentials.feedToken);
      expect(again.output()).not.toContain(credentials.adminPassword);
      expect(again.output()).toContain(join(dir, 'credentials.json'));
      expect((await postFeed(again.url, [], { token: 'not-the-token-0123456789' })).status).toBe(401);
      expect(await login(again.url, 'admin', credentials.adminPassword)).toBeTruthy();
    } finally {
      await again.stop();
    }
  });
});

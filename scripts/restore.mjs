#!/usr/bin/env node
// Puts a backup (npm run backup) into an EMPTY Redis, then starts nothing: start the product on it.
//   npm run restore -- --from backups/<time> --redis redis://:PASSWORD@127.0.0.1:6379
//                      [--data-dir .data] [--archive-dir DATA_DIR/archive]
// 1. Every file is checked against SHA256SUMS; any difference and nothing is touched.
// 2. The RDB is opened by a redis-server of our own (loopback, a free port, no persistence),
//    and every key is copied to the target with DUMP/RESTORE, TTLs kept. The target can be
//    anywhere the URL reaches (a container, another host) and writes the keys to its own AOF.
//    The temporary server must be the target's Redis version or newer (an RDB is not read by
//    an older Redis): REDIS_SERVER names another redis-server binary.
// 3. The archived months go back into ARCHIVE_DIR (a file already there must be identical),
//    credentials.json into DATA_DIR when it has none.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { checkSums, fail, sha256File } from './backup-files.mjs';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    redis: { type: 'string', default: process.env.REDIS_URL },
    'data-dir': { type: 'string', default: process.env.DATA_DIR ?? './.data' },
    'archive-dir': { type: 'string', default: process.env.ARCHIVE_DIR },
  },
});
if (!values.from) fail('--from DIR is required: a directory written by npm run backup');
if (!values.redis) fail('--redis URL (or REDIS_URL) is required: the empty Redis to restore into');
const from = resolve(values.from);
const dataDir = resolve(values['data-dir']);
const archiveDir = resolve(values['archive-dir'] ?? join(dataDir, 'archive'));
const started = Date.now();

const problems = await checkSums(from).catch((e) => [`${from}: ${e.message}`]);
if (problems.length) fail(`the backup does not match its checksums, nothing restored:\n  ${problems.join('\n  ')}`);
const info = JSON.parse(readFileSync(join(from, 'backup.json'), 'utf8'));

const target = new Redis(values.redis, { maxRetriesPerRequest: 1, lazyConnect: true });
await target.connect().catch((e) => fail(`cannot reach the target Redis: ${e.message}`));
const present = await target.dbsize();
if (present) fail(`the target Redis holds ${present} keys: restore goes into an empty Redis only (FLUSHALL it yourself if that is meant)`);

// Archive files first would be harmless too; they are checked before Redis is touched so a
// clash stops the restore before anything is written.
const archived = existsSync(join(from, 'archive')) ? readdirSync(join(from, 'archive')).sort() : [];
for (const name of archived) {
  const there = join(archiveDir, name);
  if (existsSync(there) && (await sha256File(there)) !== (await sha256File(join(from, 'archive', name)))) fail(`${there} exists and differs from the backup's: not overwritten`);
}

const work = mkdtempSync(join(tmpdir(), 'wall-restore-'));
copyFileSync(join(from, 'dump.rdb'), join(work, 'dump.rdb'));
const port = await freePort();
const server = spawn(
  process.env.REDIS_SERVER ?? 'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--dir', work, '--dbfilename', 'dump.rdb', '--appendonly', 'no', '--save', ''],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let copied = 0;
try {
  // ioredis's ready check waits for the RDB to finish loading.
  const source = new Redis({ port, host: '127.0.0.1', retryStrategy: () => 100, maxRetriesPerRequest: null });
  source.on('error', () => undefined);
  await new Promise((ready, reject) => {
    const timer = setTimeout(() => reject(new Error('the RDB did not load in 300 s')), 300_000);
    source.once('ready', () => (clearTimeout(timer), ready()));
    server.once(
      'exit',
      (code) => (clearTimeout(timer), reject(new Error(`redis-server on the RDB exited (${code}): is it older than the Redis that wrote it (${info.redisVersion})?`))),
    );
  });
  let cursor = '0';
  do {
    const [next, keys] = await source.scan(cursor, 'COUNT', 500);
    cursor = next;
    if (!keys.length) continue;
    const read = source.pipeline();
    for (const key of keys) read.dumpBuffer(key).pttl(key);
    const answers = (await read.exec()) ?? [];
    const write = target.pipeline();
    keys.forEach((key, i) => {
      const payload = answers[2 * i]?.[1];
      const ttl = Number(answers[2 * i + 1]?.[1]);
      // Expired between SCAN and DUMP: gone in the source too.
      if (payload) write.restore(key, ttl > 0 ? ttl : 0, payload);
    });
    for (const [err] of (await write.exec()) ?? []) if (err) throw err;
    copied += keys.length;
  } while (cursor !== '0');
  const [want, got] = [await source.dbsize(), await target.dbsize()];
  if (want !== got) throw new Error(`copied ${copied} keys but the target holds ${got} of ${want}`);
  source.disconnect();
} catch (e) {
  server.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  target.disconnect();
  fail(`restore failed: ${e.message} (the target may hold part of the backup: FLUSHALL it before trying again)`);
}
server.kill('SIGTERM');
await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
rmSync(work, { recursive: true, force: true });
target.disconnect();

if (archived.length) mkdirSync(archiveDir, { recursive: true, mode: 0o700 });
for (const name of archived) if (!existsSync(join(archiveDir, name))) copyFileSync(join(from, 'archive', name), join(archiveDir, name));
if (existsSync(join(from, 'credentials.json')) && !existsSync(join(dataDir, 'credentials.json'))) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  copyFileSync(join(from, 'credentials.json'), join(dataDir, 'credentials.json'));
}
console.log(`restored ${copied} keys and ${info.archivedMonths.length} archived month(s) from ${from} in ${(Date.now() - started) / 1000} s`);
console.log(`the store is as of ${info.snapshotAt} (seq >= ${info.seqAtLeast}): have the sender resend from before then`);

function freePort() {
  return new Promise((done, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address();
      probe.close(() => done(p));
    });
  });
}

#!/usr/bin/env node
// A consistent snapshot of the store, for `npm run restore`:
//   npm run backup -- [--redis redis://:PASSWORD@127.0.0.1:6379] [--out backups/<time>]
//                     [--data-dir .data] [--archive-dir DATA_DIR/archive]
// Writes into --out:
//   dump.rdb        Redis at one instant (`redis-cli --rdb`: the server forks and streams a
//                   point-in-time RDB, the same snapshot a replica would get; no pause)
//   archive/        the archived months (<month>.ndjson.gz and its <month>.json manifest), copied
//                   AFTER the RDB: every month the snapshot calls archived is in the copy
//   credentials.json  DATA_DIR's generated secrets, when there are any
//   backup.json     what was taken when, and the feed's position at the snapshot
//   SHA256SUMS      a checksum of every file above (`sha256sum -c SHA256SUMS` checks it too)
// The loss window: events stored after `snapshotAt` are not in the backup. The feed is
// idempotent, so asking the sender to resend from before snapshotAt brings them back.
// REDIS_CLI names another redis-cli (e.g. "podman exec -i wall_redis_1 redis-cli").
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { fail, sha256File, writeSums } from './backup-files.mjs';

const { values } = parseArgs({
  options: {
    redis: { type: 'string', default: process.env.REDIS_URL },
    out: { type: 'string' },
    'data-dir': { type: 'string', default: process.env.DATA_DIR ?? './.data' },
    'archive-dir': { type: 'string', default: process.env.ARCHIVE_DIR },
  },
});
if (!values.redis) fail('--redis URL (or REDIS_URL) is required: the Redis the product runs on');
const dataDir = resolve(values['data-dir']);
const archiveDir = resolve(values['archive-dir'] ?? join(dataDir, 'archive'));
const out = resolve(values.out ?? join('backups', new Date().toISOString().replace(/[:.]/g, '-')));
if (existsSync(out) && readdirSync(out).length) fail(`${out} is not empty: a backup goes into a directory of its own`);
mkdirSync(out, { recursive: true, mode: 0o700 });

const started = Date.now();
const redis = new Redis(values.redis, { maxRetriesPerRequest: 1, lazyConnect: true });
await redis.connect().catch((e) => fail(`cannot reach Redis at ${redactUrl(values.redis)}: ${e.message}`));
// The feed's position just before the snapshot starts: the snapshot holds at least this much.
const seqBefore = await redis.get('wall:seq');
const snapshotAt = new Date().toISOString();
const [redisVersion] = (await redis.info('server')).match(/redis_version:(\S+)/)?.slice(1) ?? ['unknown'];
redis.disconnect();

await redisCliRdb(values.redis, join(out, 'dump.rdb'));
const rdbDone = Date.now();

const months = [];
if (existsSync(archiveDir)) {
  mkdirSync(join(out, 'archive'), { mode: 0o700 });
  for (const name of readdirSync(archiveDir).sort()) {
    // Only whole files: a `.tmp` is an archive being written, not yet part of the store.
    if (!/^\d{4}-\d{2}\.(ndjson\.gz|json)$/.test(name)) continue;
    copyFileSync(join(archiveDir, name), join(out, 'archive', name));
    if (name.endsWith('.json')) months.push(name.slice(0, 7));
  }
}
if (existsSync(join(dataDir, 'credentials.json'))) copyFileSync(join(dataDir, 'credentials.json'), join(out, 'credentials.json'));

const info = {
  product: 'linkage-wall',
  snapshotAt,
  seqAtLeast: seqBefore === null ? 0 : Number(seqBefore),
  redisVersion,
  rdbBytes: statSync(join(out, 'dump.rdb')).size,
  rdbSha256: await sha256File(join(out, 'dump.rdb')),
  archivedMonths: months,
  seconds: { rdb: (rdbDone - started) / 1000, total: (Date.now() - started) / 1000 },
};
writeFileSync(join(out, 'backup.json'), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
const files = await writeSums(out);
console.log(`backup in ${out}: ${files} files, RDB ${info.rdbBytes} bytes, ${months.length} archived month(s), seq >= ${info.seqAtLeast}, ${info.seconds.total} s`);
console.log(`loss window: events stored after ${snapshotAt} are not in it; the sender's resend from before then brings them back`);

function redactUrl(url) {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** `redis-cli -u URL --rdb FILE`; with REDIS_CLI set, that command gets `--rdb -` and we keep its stdout. */
function redisCliRdb(url, file) {
  const custom = process.env.REDIS_CLI?.split(' ').filter(Boolean);
  const [cmd, ...args] = custom ? [...custom, '--rdb', '-'] : ['redis-cli', '-u', url, '--no-auth-warning', '--rdb', file];
  return new Promise((done, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', custom ? 'pipe' : 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    // Through another command the RDB comes on stdout: done once both the command and the file are.
    const written = custom ? new Promise((ok) => child.stdout.pipe(createWriteStream(file, { mode: 0o600 })).once('finish', ok)) : Promise.resolve();
    child.once('error', (e) => reject(new Error(`${cmd}: ${e.message} (install redis-tools, or set REDIS_CLI)`)));
    child.once('exit', (code) => (code === 0 ? written.then(done) : reject(new Error(`${cmd} --rdb failed (${code}): ${err.trim()}`))));
  }).catch((e) => fail(e.message));
}

// What backup.mjs and restore.mjs share: checksums of a backup directory's files, in
// sha256sum's format so `sha256sum -c SHA256SUMS` reads the same file.
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const SUMS = 'SHA256SUMS';

export function fail(message) {
  console.error(message);
  process.exit(2);
}

export function sha256File(file) {
  return new Promise((done, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => hash.update(c))
      .once('end', () => done(hash.digest('hex')))
      .once('error', reject);
  });
}

function filesUnder(dir, base = dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path)];
    })
    .filter((name) => name !== SUMS);
}

/** Writes SHA256SUMS for every file in `dir`; answers how many. */
export async function writeSums(dir) {
  const files = filesUnder(dir);
  const lines = [];
  for (const name of files) lines.push(`${await sha256File(join(dir, name))}  ${name}`);
  writeFileSync(join(dir, SUMS), lines.join('\n') + '\n', { mode: 0o600 });
  return files.length;
}

/** Checks every file against SHA256SUMS, and that no listed file is missing and none is unlisted. */
export async function checkSums(dir) {
  const listed = new Map(
    readFileSync(join(dir, SUMS), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(66), line.slice(0, 64)]),
  );
  const problems = [];
  for (const name of filesUnder(dir)) if (!listed.has(name)) problems.push(`${name}: not in ${SUMS}`);
  for (const [name, sum] of listed) {
    const actual = await sha256File(join(dir, name)).catch(() => null);
    if (actual === null) problems.push(`${name}: missing`);
    else if (actual !== sum) problems.push(`${name}: checksum differs`);
  }
  return problems;
}

// `npm run test:mutation [-- [--force] name ...]`: Stryker on the pure core, one file at a time (one test
// runner, the machine is shared), each with its own incremental file under test/mutation/ so
// a rerun tests only the mutants whose code or covering tests changed. Prints the score per file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = ['projection', 'report', 'time', 'view', 'roster', 'quality', 'assessment', 'paging'];
// --force: test every mutant again. Stryker's incremental diff reuses a survivor's result
// when the tests that covered it did not change, so a newly added test needs --force once.
const force = process.argv.includes('--force');
const args = process.argv.slice(2).filter((a) => a !== '--force');
const names = args.length ? args : FILES;
const unknown = names.filter((n) => !FILES.includes(n));
if (unknown.length) {
  console.error(`unknown file(s): ${unknown.join(', ')}; one of ${FILES.join(', ')}`);
  process.exit(2);
}
const stryker = join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
mkdirSync(join(root, 'test-artifacts'), { recursive: true });

/** Killed (incl. timeouts) over killed + survived + no coverage, as Stryker counts its score. */
function score(report) {
  const count = { killed: 0, survived: 0 };
  for (const file of Object.values(report.files)) {
    for (const m of file.mutants) {
      if (m.status === 'Killed' || m.status === 'Timeout') count.killed++;
      else if (m.status === 'Survived' || m.status === 'NoCoverage') count.survived++;
    }
  }
  const total = count.killed + count.survived;
  return { ...count, total, pct: total ? (100 * count.killed) / total : NaN };
}

const rows = [];
for (const name of names) {
  const json = join(root, `test-artifacts/mutation-${name}.json`);
  const run = spawnSync(
    process.execPath,
    [
      stryker,
      'run',
      '--mutate',
      `shared/src/${name}.ts`,
      '--incrementalFile',
      `test/mutation/${name}.json`,
      '--reporters',
      'clear-text,progress,json',
      ...(force ? ['--force'] : []),
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, STRYKER_JSON: json } },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
  if (!existsSync(json)) throw new Error(`no JSON report at ${json}`);
  rows.push({ file: `shared/src/${name}.ts`, ...score(JSON.parse(readFileSync(json, 'utf8'))) });
}
console.log('\nmutation score per file');
for (const r of rows) console.log(`${r.file.padEnd(28)} ${r.pct.toFixed(2).padStart(6)} %  (${r.killed} killed, ${r.survived} survived or not covered, of ${r.total})`);

// The table in docs/testing.md is this output, never typed in: each file run here replaces its
// row, with the day and the Stryker version; rows of files not run keep theirs.
const doc = join(root, 'docs/testing.md');
const START = '<!-- mutation-scores:start -->';
const END = '<!-- mutation-scores:end -->';
const text = readFileSync(doc, 'utf8');
const [head, rest] = text.split(START);
if (rest === undefined || !rest.includes(END)) throw new Error(`docs/testing.md lacks the ${START} … ${END} block`);
const [block, tail] = rest.split(END);
const version = JSON.parse(readFileSync(join(root, 'node_modules/@stryker-mutator/core/package.json'), 'utf8')).version;
const day = new Date().toISOString().slice(0, 10);
const kept = new Map();
for (const line of block.split('\n')) {
  const m = /^\| `([a-z-]+)\.ts` \|/.exec(line);
  if (m) kept.set(m[1], line);
}
for (const r of rows) {
  const name = r.file.replace('shared/src/', '').replace('.ts', '');
  kept.set(name, `| \`${name}.ts\` | ${r.pct.toFixed(2)} % | ${r.killed} / ${r.total} | ${day}, Stryker ${version} |`);
}
const table = ['', '| file | score | killed / mutants | measured |', '| --- | --- | --- | --- |', ...FILES.filter((f) => kept.has(f)).map((f) => kept.get(f)), ''];
writeFileSync(doc, head + START + table.join('\n') + END + tail);
console.log('docs/testing.md: the mutation table updated');

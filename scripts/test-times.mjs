// Ranks the last run's test files by wall time (test-artifacts/vitest.json, written by every
// `vitest run`), so that the files that hold CI up are named, not guessed.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const top = Number(process.argv[2] ?? 15);
const report = JSON.parse(readFileSync('test-artifacts/vitest.json', 'utf8'));
const files = report.testResults.map((f) => ({ file: relative(process.cwd(), f.name), ms: f.endTime - f.startTime, tests: f.assertionResults.length })).sort((a, b) => b.ms - a.ms);
const first = Math.min(...report.testResults.map((f) => f.startTime));
const last = Math.max(...report.testResults.map((f) => f.endTime));
console.log(`test files: ${files.length}, tests: ${report.numTotalTests}, wall ${((last - first) / 1000).toFixed(0)} s; slowest:`);
for (const f of files.slice(0, top)) console.log(`  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.file} (${f.tests})`);

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A smoke test of `npm run bench`: the quick mode runs end to end and writes every key issue 7
// fixes, each a figure that can be one (a count, a rate, a time is > 0; a lateness >= 0; a
// growth any finite number), and no measure reports that it failed. No thresholds: figures on
// a shared CI machine say nothing, and the full mode judges the goals.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const KEYS: Record<string, string[]> = {
  ingest: ['events', 'eventsPerSec', 'rawXaddPerSec', 'ratio'],
  rebuild: ['events', 'ms', 'rawReadMs', 'ratio'],
  latency: ['clients', 'eventsPerSec', 'p50Ms', 'p99Ms', 'rawEmitP99Ms'],
  deadlines: ['pending', 'lateP50Ms', 'lateP99Ms', 'redisBytesPerPending', 'scheduleRatePerSec', 'rawAddPerSec'],
  seek: ['events', 'p50Ms', 'p99Ms'],
  wall: ['events', 'heapStartMB', 'heapEndMB', 'growthPct', 'updateP95Ms'],
  loginStorm: ['healthMaxMs', 'healthP99Ms', 'lateP99Ms', 'healthRatio'],
  // Issue 15, the CI variant: month 1 against 3 months (12 in the full run).
  history: [
    'months',
    'eventsMonth1',
    'eventsTotal',
    'ingestPerSec1',
    'ingestPerSecLast',
    'ingestRatio',
    'rssMB1',
    'rssMBLast',
    'rssRatio',
    'eventsDayMs1',
    'eventsDayMsLast',
    'eventsDayRatio',
    'restartMs1',
    'restartMsLast',
    'restartRatio',
    'reportMs',
    'seekP99Ms',
    'redisBytesPerEvent',
  ],
};

/** Keys that may be zero (a lateness) or of either sign (a growth); every other figure is > 0. */
const NON_NEGATIVE = new Set(['deadlines.lateP50Ms', 'deadlines.lateP99Ms']);
const SIGNED = new Set(['wall.growthPct', 'wall.objectsGrowthPct']);

function checkFigure(name: string, v: unknown): void {
  expect(v, name).toBeTypeOf('number');
  expect(Number.isFinite(v), `${name} = ${String(v)}`).toBe(true);
  if (SIGNED.has(name)) return;
  if (NON_NEGATIVE.has(name)) expect(v as number, name).toBeGreaterThanOrEqual(0);
  else expect(v as number, name).toBeGreaterThan(0);
}

function runQuick(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench/run.mjs'), '--quick', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`quick bench still running after 200 s:\n${output}`));
    }, 200_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run bench --quick', () => {
  it('writes every key of issue 7, each a figure (> 0, a lateness >= 0, a growth finite), and no measure failed', { timeout: 210_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wall-bench-test-'));
    try {
      const out = join(dir, 'results.json');
      const { code, output } = await runQuick(out);
      expect(code, output).toBe(0);
      const results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> & { reasons: Record<string, string> };
      expect(results.reasons).toBeTypeOf('object');
      // No measure failed, whichever key its reason is filed under.
      expect(Object.entries(results.reasons).filter(([, r]) => /fail/i.test(r))).toEqual([]);
      // Every measure runs here (.ci/run installs Chromium and Redis): every key a figure.
      for (const [measure, keys] of Object.entries(KEYS)) {
        const value = results[measure] as Record<string, unknown> | null;
        expect(value, `${measure}: ${results.reasons[measure] ?? ''}`).toBeTypeOf('object');
        for (const key of keys) checkFigure(`${measure}.${key}`, value![key]);
      }
      const machine = results.machine as Record<string, unknown>;
      expect(machine.cpus).toBeGreaterThan(0);
      expect(machine.node).toMatch(/^v\d+/);
      expect(machine.redis).toMatch(/\d+\.\d+/);
      // Every measure can run here (.ci/run installs Chromium): figures, not nulls with a reason.
      const figures = [
        ['ingest', 'ratio'],
        ['rebuild', 'ratio'],
        ['latency', 'p99Ms'],
        ['deadlines', 'lateP99Ms'],
        ['seek', 'p99Ms'],
        ['wall', 'updateP95Ms'],
        ['wall', 'updateApplyWallP95Ms'],
        ['wall', 'updateShownP95Ms'],
        ['wall', 'updateCostP95Ms'],
        ['wall', 'receiveTaskP95Ms'],
        ['wall', 'updateLongestTaskP95Ms'],
        ['wall', 'objectsGrowthPct'],
        ['wall', 'idleBusyMsPerSec'],
      ] as const;
      for (const [measure, key] of figures) checkFigure(`${measure}.${key}`, (results[measure] as Record<string, unknown>)[key]);
      // The history's two points: 3 months hold more than the first, and each goal's ratio is a
      // ratio of two measured figures (finite, > 0); its direction is for the full run to judge.
      const history = results.history as Record<string, unknown>;
      expect(history.months).toBe(3);
      expect(history.eventsTotal as number).toBeGreaterThan(2 * (history.eventsMonth1 as number));
      for (const key of ['ingestRatio', 'rssRatio', 'eventsDayRatio', 'restartRatio']) checkFigure(`history.${key}`, history[key]);
      expect(history.redisBreakdown, 'history.redisBreakdown').toBeTypeOf('object');
      expect(Object.keys(history.redisBreakdown as object).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { runChaos } from '../scripts/chaos/run.js';

// The seeded chaos run (issue 31) in CI: two minutes with a fixed seed that holds every rule.
// CHAOS_SEED adds a seed of one's own (`CHAOS_SEED=$RANDOM npm test -- test/chaos.e2e.ts`, or
// `npm run chaos -- --seed N`). A random seed is not drawn in CI while seed 2112844587's
// failures (late and doubled alarms after a paused primary rejoins, a wall taking a lagging
// instance's snapshot) are open: CI would go red by the draw, not by the change under test.
// Run it alone: it starts 3 API instances, 2 workers, 2 Redis, 3 sentinels and nginx.

const FIXED = 31;
const SEEDS = process.env.CHAOS_SEED ? [FIXED, Number(process.env.CHAOS_SEED)] : [FIXED];
const MINUTES = Number(process.env.CHAOS_MINUTES ?? 2);

describe('a seeded chaos run', () => {
  for (const seed of SEEDS) {
    it(
      `seed ${seed}: every rule holds over ${MINUTES} min of faults together`,
      async () => {
        const { report, verdict } = await runChaos(seed, MINUTES);
        console.log(report);
        expect(verdict.rules.filter((r) => !r.ok).map((r) => `${r.rule}: ${r.counterExamples.join('; ')}`)).toEqual([]);
      },
      (MINUTES * 60 + 240) * 1000,
    );
  }
});

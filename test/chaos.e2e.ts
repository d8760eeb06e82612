import { describe, expect, it } from 'vitest';
import { runChaos } from '../scripts/chaos/run.js';

// The seeded chaos run (issue 31) in CI: two minutes with a fixed seed, and two with a random
// one that is printed (a failing random seed becomes a regression run: add it to SEEDS).
// Run it alone: it starts 3 API instances, 2 workers, 2 Redis, 3 sentinels and nginx.

const FIXED = 31;
const SEEDS = [FIXED, Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31))];
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

import type { Verdict } from './checker.js';

// The report: the seed and the command that replays it first, then each rule with its
// counter-examples, then the run's figures.

export function replayCommand(seed: number, minutes: number): string {
  return `npm run chaos -- --seed ${seed} --minutes ${minutes}`;
}

export function formatReport(seed: number, minutes: number, verdict: Verdict, historyFile: string): string {
  const f = verdict.figures;
  const lines = [`chaos run: seed ${seed}, ${minutes} min`, `replay: ${replayCommand(seed, minutes)}`, `history: ${historyFile}`, ''];
  for (const r of verdict.rules) {
    lines.push(`${r.ok ? 'PASS' : 'FAIL'}  ${r.rule}  (${r.checked})`);
    for (const c of r.counterExamples) lines.push(`        ✗ ${c}`);
  }
  lines.push(
    '',
    `faults: ${
      Object.entries(f.faults)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
    `events: ${f.sent} sent, ${f.acknowledged} acknowledged, ${f.stored} stored; alarms: ${f.alarms}`,
    `worst lateness by fault at due: ${
      Object.entries(f.worstLateness)
        .map(([k, ms]) => `${k} ${ms} ms`)
        .join(', ') || 'no alarm'
    }`,
    `webhook doubles: ${f.doubles} (${f.doublesAllowed} after a fault, allowed by at-least-once)`,
    `verdict: ${verdict.rules.every((r) => r.ok) ? 'every rule holds' : `${verdict.rules.filter((r) => !r.ok).length} rule(s) broken`}`,
  );
  return lines.join('\n');
}

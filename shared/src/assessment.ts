import { z } from 'zod';
import type { ProjectionState, Tally } from './projection.js';
import type { ReferenceIndex } from './reference.js';
import { DEDUCTION_KINDS, type DeductionKind } from './report.js';

// 三个一律, the third rule: a unit that arrives slowly or shirks always loses points and is
// named in the bulletin (一律扣分并通报). The deductions are read off the projection's month
// tallies, so they agree with 附件1 by construction. Points per kind and the naming threshold
// are rules an admin sets; the defaults apply until one does.

const points = z.number({ error: 'must be a number of points' }).min(0, 'must be at least 0').max(100, 'must be at most 100');

/**
 * The rules. A PUT replaces them whole: a field left out takes its default, an unknown field
 * is refused by name (a misspelt `signlate` must not silently keep the default).
 */
export const assessmentRules = z.strictObject({
  /** Points per order signed after its sign limit (5 minutes by default). */
  signLate: points.default(1),
  /** Points per order whose unit arrived on scene after its limit (20 minutes by default). */
  arriveLate: points.default(2),
  /** Points per order whose first feedback came after its limit (60 minutes by default). */
  overdueFeedback: points.default(1),
  /** Points per order neither fed back nor returned. */
  unfed: points.default(2),
  /** Points per returned order (退单): often justified, so cheap by default. */
  returned: points.default(0.5),
  /** A unit whose month's deduction is above this many points is named in the 通报. */
  nameAbove: z.number({ error: 'must be a number of points' }).min(0, 'must be at least 0').max(1_000_000, 'must be at most 1000000').default(10),
});

export type AssessmentRules = z.infer<typeof assessmentRules>;

export const DEFAULT_ASSESSMENT_RULES: AssessmentRules = assessmentRules.parse({});

export interface AssessmentRow {
  /** 1 for the largest deduction; units with equal points share a rank (1, 2, 2, 4). */
  rank: number;
  unit: string;
  name: string;
  center: string;
  orders: number;
  counts: Record<DeductionKind, number>;
  /** Points per kind: count × the kind's points. */
  deductions: Record<DeductionKind, number>;
  points: number;
  named: boolean;
}

export interface AssessmentReport {
  month: string;
  rules: AssessmentRules;
  rows: AssessmentRow[];
  /** Unit ids to be named in the 通报, in rank order. */
  named: string[];
}

/** Points kept to 2 decimals: 0.1 + 0.2 must print as 0.3 on the bulletin. */
function roundPoints(x: number): number {
  return Math.round(x * 100) / 100;
}

function countsOf(t: Tally): Record<DeductionKind, number> {
  return {
    signLate: t.signLate,
    arriveLate: t.arriveLate,
    overdueFeedback: t.overdueFeedback,
    unfed: t.unfed,
    returned: t.returned,
  };
}

/**
 * Every unit with orders in the month, ranked by deduction (largest first; ties in reference
 * order, so the city's units lead as in 附件1). `unfed` counts orders still open too: for the
 * running month the figures are provisional until the feedback limits have passed.
 */
export function assessmentReport(state: ProjectionState, month: string, ref: ReferenceIndex, rules: AssessmentRules): AssessmentReport {
  const tallies = state.months.get(month)?.units;
  const rows: AssessmentRow[] = [];
  ref.data.units.forEach((unit) => {
    const t = tallies?.get(unit.id);
    if (!t || t.orders === 0) return;
    const counts = countsOf(t);
    const deductions = {} as Record<DeductionKind, number>;
    let total = 0;
    for (const kind of DEDUCTION_KINDS) {
      deductions[kind] = roundPoints(counts[kind] * rules[kind]);
      total += counts[kind] * rules[kind];
    }
    const points = roundPoints(total);
    rows.push({ rank: 0, unit: unit.id, name: unit.name, center: unit.center, orders: t.orders, counts, deductions, points, named: points > rules.nameAbove });
  });
  // Array.prototype.sort is stable: equal points keep the reference order.
  rows.sort((a, b) => b.points - a.points);
  rows.forEach((row, i) => {
    const previous = rows[i - 1];
    row.rank = previous && previous.points === row.points ? previous.rank : i + 1;
  });
  return { month, rules, rows, named: rows.filter((r) => r.named).map((r) => r.unit) };
}

import type { CenterRow } from '@wall/shared';

// The 附件2 table as the wall shows it: each top-level center, with the centers it already
// counts (parent) right under it and indented; then 合计 = the rows without a parent, for
// every column (the product's one rule; see domain.md).

export interface TableRow {
  key: string;
  name: string;
  indent: boolean;
  total: boolean;
  incidents: number;
  closed: number;
  closedRate: number | null;
  feedbacks: number;
  unfed: number;
  overdueFeedback: number;
  returned: number;
}

/** closed/incidents in percent, 2 decimals, integer arithmetic (same rule as shared/report.ts). */
export function closedRatePct(closed: number, incidents: number): number | null {
  if (incidents === 0) return null;
  return Math.round((closed * 10_000) / incidents) / 100;
}

export function centerTable(rows: readonly CenterRow[]): TableRow[] {
  const out: TableRow[] = [];
  const children = new Map<string, CenterRow[]>();
  for (const r of rows) {
    if (r.parent !== null) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    }
  }
  const known = new Set(rows.map((r) => r.center));
  const total: TableRow = {
    key: 'total', name: '合计', indent: false, total: true,
    incidents: 0, closed: 0, closedRate: null, feedbacks: 0, unfed: 0, overdueFeedback: 0, returned: 0,
  };
  const row = (r: CenterRow, indent: boolean): TableRow => ({
    key: r.center,
    name: r.name,
    indent,
    total: false,
    incidents: r.incidents,
    closed: r.closed,
    closedRate: r.closedRate,
    feedbacks: r.feedbacks,
    unfed: r.unfed,
    overdueFeedback: r.overdueFeedback,
    returned: r.returned,
  });
  for (const r of rows) {
    // A row whose parent is unknown is shown at top level (and, having a parent, not added).
    if (r.parent !== null && known.has(r.parent)) continue;
    out.push(row(r, false));
    for (const c of children.get(r.center) ?? []) out.push(row(c, true));
    if (r.parent === null) {
      total.incidents += r.incidents;
      total.closed += r.closed;
      total.feedbacks += r.feedbacks;
      total.unfed += r.unfed;
      total.overdueFeedback += r.overdueFeedback;
      total.returned += r.returned;
    }
  }
  total.closedRate = closedRatePct(total.closed, total.incidents);
  out.push(total);
  return out;
}

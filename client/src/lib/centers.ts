import { orderCenterRows, type CenterRow, type CenterTotals } from '@wall/shared';

// The 附件2 panel's rows as the wall shows them: the report's rows in the annex's order
// (shared orderCenterRows), children indented, then the 合计 the server computed with the
// sections (report.ts centersTotal). Nothing is added up here.

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

function tableRow(key: string, name: string, indent: boolean, total: boolean, r: CenterTotals): TableRow {
  return {
    key,
    name,
    indent,
    total,
    incidents: r.incidents,
    closed: r.closed,
    closedRate: r.closedRate,
    feedbacks: r.feedbacks,
    unfed: r.unfed,
    overdueFeedback: r.overdueFeedback,
    returned: r.returned,
  };
}

export function centerTable(rows: readonly CenterRow[], total: CenterTotals): TableRow[] {
  const known = new Set(rows.map((r) => r.center));
  const out = orderCenterRows(rows).map((r) => tableRow(r.center, r.name, r.parent !== null && known.has(r.parent), false, r));
  out.push(tableRow('total', '合计', false, true, total));
  return out;
}

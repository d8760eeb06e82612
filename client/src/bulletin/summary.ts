import type { Center, MonthlyReport } from '@wall/shared';

// The bulletin's first paragraph: the month's total and each center's count, written the
// way the printed 通报 writes it ("其中市本级（鹿城、龙湾、瓯海、开发区）5019起、洞头299起…").

export function summaryParagraph(report: MonthlyReport, centers: Center[], monthLabel: string): string {
  const rows = new Map(report.centers.map((c) => [c.center, c]));
  const parts: string[] = [];
  for (const center of centers) {
    if (center.parent !== null) continue;
    const children = centers.filter((c) => c.parent === center.id).map((c) => c.short);
    const name = children.length ? `${center.short}（${children.join('、')}）` : center.short;
    parts.push(`${name}${rows.get(center.id)?.incidents ?? 0}起`);
  }
  return `${monthLabel}份，全市各级应急联动指挥中心受理和处置各类应急联动警情${report.total.incidents}起，其中${parts.join('、')}（详见附件）。`;
}

/** The second sentence: how the month's incidents were closed and fed back. */
export function handlingSentence(report: MonthlyReport): string {
  const t = report.total;
  const rate = t.closedRate === null ? '' : `，办结率${t.closedRate.toFixed(2)}%`;
  return `已办结${t.closed}起${rate}；联动单位反馈${t.feedbacks}条，未反馈${t.unfed}条，逾期反馈${t.overdueFeedback}条，退单${t.returned}条。`;
}

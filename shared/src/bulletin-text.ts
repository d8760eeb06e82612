import type { AssessmentRules } from './assessment.js';
import { DEDUCTION_KINDS, DEDUCTION_LABELS } from './report.js';

// The bulletin's fixed wording, one copy for the page, the XLSX and the CSV: month titles, the
// annexes' 时间范围, their titles, the 合计 rule and the assessment rules in words.

/** "2020-08" -> "2020年8月" */
export function monthTitle(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** "2020-08" -> "时间范围：2020年8月1日至8月31日", the annexes' range line. */
export function monthRange(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `时间范围：${y}年${m}月1日至${m}月${last}日`;
}

/** What a bulletin of simulated data is called, wherever it is shown (page, XLSX, CSV). */
export const DEMO_LABEL = '模拟数据';
export const DEMO_TITLE_PREFIX = '【演示·模拟数据】';
export const DEMO_NOTE = '本月数据含内置模拟器生成的模拟数据，仅供演示，不得作为正式通报印发。';

export function bulletinTitle(month: string, simulated = false): string {
  return `${simulated ? DEMO_TITLE_PREFIX : ''}${monthTitle(month)}份全市应急联动工作情况通报`;
}

export function annex1Title(month: string): string {
  return `${monthTitle(month)}份市本级应急联动单位警情处置情况统计表`;
}

export function annex2Title(month: string): string {
  return `${monthTitle(month)}全市应急联动警情处置情况统计表`;
}

/** The 合计 rule of 附件2 in the bulletin's words, for the page's, the wall's and the export's footnote. */
export const TOTAL_RULE_NOTE =
  '注：各行只计本中心受理的警情。鹿城区、龙湾区、瓯海区、开发区列于市本级之下，合计不再相加；合计为市本级与八县（市、区）各行之和，每一列（含已反馈、未反馈、逾期反馈、已退单）均按此规则合计。';

/** The same rule in the wall panel's one line. */
export const TOTAL_RULE_SHORT = '各行只计本中心警情；合计 = 市本级 + 八县（市、区），市区四行列示不相加';

export const ANNEX1_NOTE = '已反馈为反馈条数（一条指令可多次反馈）；未反馈为既未反馈也未退单的指令数。';

/** "超时签收每条扣1分，…": the points per lapse, one wording for the page and the exports. */
export function deductionRulesText(rules: AssessmentRules): string {
  return DEDUCTION_KINDS.map((k) => `${DEDUCTION_LABELS[k]}每条扣${rules[k]}分`).join('，');
}

/** The assessment's whole rule line, as the exports print it under the table. */
export function assessmentRulesNote(rules: AssessmentRules): string {
  return `扣分规则：${deductionRulesText(rules)}；扣分高于${rules.nameAbove}分的单位予以通报。`;
}

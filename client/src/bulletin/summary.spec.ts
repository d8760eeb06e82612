import { CENTERS, type MonthlyReport } from '@wall/shared';
import { describe, expect, it } from 'vitest';
import { handlingSentence, summaryParagraph } from './summary';

// The August 2020 bulletin's own numbers (附件2).
const COUNTS: Record<string, number> = {
  city: 5019,
  lucheng: 1331,
  longwan: 1027,
  ouhai: 1045,
  kaifaqu: 78,
  dongtou: 299,
  ruian: 1143,
  yueqing: 708,
  yongjia: 736,
  pingyang: 510,
  cangnan: 652,
  wencheng: 181,
  taishun: 162,
};

const report = {
  month: '2020-08',
  units: [],
  unitsTotal: { orders: 0, signed: 0, unsigned: 0, feedbacks: 0, unfed: 0, returned: 0 },
  simulated: 0,
  centers: CENTERS.map((c) => ({
    center: c.id,
    name: c.name,
    parent: c.parent,
    incidents: COUNTS[c.id]!,
    closed: 0,
    closedRate: 0,
    feedbacks: 0,
    unfed: 0,
    overdueFeedback: 0,
    returned: 0,
  })),
  total: { incidents: 9410, closed: 9406, closedRate: 99.96, feedbacks: 9425, unfed: 4, overdueFeedback: 0, returned: 59 },
} satisfies MonthlyReport;

describe('summaryParagraph', () => {
  it("writes the printed bulletin's first paragraph from the report", () => {
    expect(summaryParagraph(report, CENTERS, '2020年8月')).toBe(
      '2020年8月份，全市各级应急联动指挥中心受理和处置各类应急联动警情9410起，其中市本级（鹿城、龙湾、瓯海、开发区）5019起、' +
        '洞头299起、瑞安1143起、乐清708起、永嘉736起、平阳510起、苍南652起、文成181起、泰顺162起（详见附件）。',
    );
  });

  it('counts a center without a row as 0', () => {
    const partial = { ...report, centers: report.centers.filter((c) => c.center !== 'taishun') };
    expect(summaryParagraph(partial, CENTERS, '2020年8月')).toContain('泰顺0起');
  });
});

describe('handlingSentence', () => {
  it('states closings and feedback with the rate to two decimals', () => {
    expect(handlingSentence(report)).toBe('已办结9406起，办结率99.96%；联动单位反馈9425条，未反馈4条，逾期反馈0条，退单59条。');
    expect(handlingSentence({ ...report, total: { ...report.total, closedRate: null } })).not.toContain('办结率');
  });
});

import { DEFAULT_ASSESSMENT_RULES, DEFAULT_INDEX, DEMO_NOTE, Zone, composeBulletin, type BulletinFigures, type CenterRow } from '@wall/shared';
import { describe, expect, it } from 'vitest';
import { docxHeaders, readDocxBody } from '../../../test/support/docx.js';
import { toDocx } from './bulletin-docx.js';

// The Word file of a month with simulated incidents and nothing written yet: marked as a
// demonstration as the XLSX is, a draft with its 文号 and date still open.

const centers: CenterRow[] = DEFAULT_INDEX.data.centers.map((c) => ({
  center: c.id,
  name: c.name,
  parent: c.parent,
  incidents: 2,
  closed: 1,
  closedRate: 50,
  feedbacks: 3,
  unfed: 1,
  overdueFeedback: 0,
  returned: 0,
}));
const figures: BulletinFigures = {
  monthly: {
    month: '2020-08',
    units: [{ unit: 'city.power', name: '温州电力局', center: 'city', orders: 2, signed: 1, unsigned: 1, feedbacks: 3, unfed: 1, returned: 0 }],
    unitsTotal: { orders: 2, signed: 1, unsigned: 1, feedbacks: 3, unfed: 1, returned: 0 },
    centers,
    total: { incidents: 18, closed: 9, closedRate: 50, feedbacks: 27, unfed: 9, overdueFeedback: 0, returned: 0 },
    simulated: 5,
  },
  drills: [],
  assessment: { month: '2020-08', rules: DEFAULT_ASSESSMENT_RULES, rows: [], named: [] },
};

describe('toDocx', () => {
  it('marks simulated data and the draft, and leaves what nobody wrote out', async () => {
    const doc = composeBulletin({
      month: '2020-08',
      parts: { centers: {} },
      figures,
      ref: DEFAULT_INDEX,
      zone: new Zone('Asia/Shanghai'),
      previousTotal: null,
      lastYearTotal: null,
      draft: true,
    });
    const file = await toDocx(doc);
    const { paragraphs, tables, pageStarts } = readDocxBody(file);
    expect(paragraphs).toContain('【演示·模拟数据】2020年8月份全市应急联动工作');
    expect(paragraphs).toContain(DEMO_NOTE);
    expect(paragraphs).toContain('〔文号待定〕（草稿）');
    expect(paragraphs).toContain('（成文日期待定）');
    expect(paragraphs).toContain('本月未开展拉动检查。');
    expect(paragraphs.some((p) => p.startsWith('抄送'))).toBe(false);
    expect(docxHeaders(file)).toContain('草稿（未签发）');
    expect(pageStarts).toEqual(['附件1', '附件2']);
    // No drill table: the two annexes only, 附件2's 合计 by the figures given.
    expect(tables).toHaveLength(2);
    expect(tables[1]!.at(-1)).toEqual(['合计', '18', '9', '50.00%', '27', '9', '0', '0']);
  });
});

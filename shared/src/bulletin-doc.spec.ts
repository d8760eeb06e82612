import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSESSMENT_RULES, type AssessmentReport } from './assessment.js';
import { cityPartsBody, centerParagraphBody } from './bulletin-parts.js';
import {
  comparisonSentence,
  composeBulletin,
  docNumberOf,
  drillParagraph,
  formatIssueDate,
  movedCells,
  nextDocNumber,
  openingParagraph,
  requirementBlocks,
  type BulletinFigures,
} from './bulletin-doc.js';
import { DEFAULT_INDEX } from './reference.js';
import type { CenterRow, DrillRow, MonthlyReport } from './report.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
// The seed's 附件2 column 处警数, center by center.
const SEED_INCIDENTS: Record<string, number> = {
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

function report(incidents: Record<string, number>): MonthlyReport {
  const centers: CenterRow[] = DEFAULT_INDEX.data.centers.map((c) => ({
    center: c.id,
    name: c.name,
    parent: c.parent,
    incidents: incidents[c.id] ?? 0,
    closed: incidents[c.id] ?? 0,
    closedRate: 100,
    feedbacks: 0,
    unfed: 0,
    overdueFeedback: 0,
    returned: 0,
  }));
  const total = centers.filter((c) => c.parent === null).reduce((n, c) => n + c.incidents, 0);
  return {
    month: '2020-08',
    units: [{ unit: 'city.power', name: '温州电力局', center: 'city', orders: 429, signed: 429, unsigned: 0, feedbacks: 439, unfed: 0, returned: 0 }],
    unitsTotal: { orders: 429, signed: 429, unsigned: 0, feedbacks: 439, unfed: 0, returned: 0 },
    centers,
    total: { incidents: total, closed: total, closedRate: 100, feedbacks: 0, unfed: 0, overdueFeedback: 0, returned: 0 },
    simulated: 0,
  };
}

function drill(center: string, at: string, seconds: Record<string, number>, late: number): DrillRow {
  return {
    incident: `drill-${center}`,
    center,
    at,
    lateCount: late,
    arrivals: Object.entries(seconds).map(([type, s]) => ({ unit: `${center}.${type}`, unitType: type, dispatchedAt: at, arrivedAt: at, seconds: s, late: s > 1200 })),
  };
}

const assessment: AssessmentReport = { month: '2020-08', rules: DEFAULT_ASSESSMENT_RULES, rows: [], named: [] };
const drills = [drill('ouhai', '2020-08-25T02:00:00Z', { police: 180, market: 1650 }, 1), drill('yongjia', '2020-08-25T05:00:00Z', { police: 310 }, 0)];

describe('the derived text', () => {
  it('the opening is the seed’s sentence for the seed’s figures', () => {
    const seed = report(SEED_INCIDENTS);
    expect(seed.total.incidents).toBe(9410);
    expect(openingParagraph(seed, DEFAULT_INDEX.data.centers, '2020-08')).toBe(
      '2020年8月份，全市各级应急联动指挥中心受理和处置各类应急联动警情9410起，其中市本级（鹿城、龙湾、瓯海、开发区）5019起、洞头299起、瑞安1143起、乐清708起、永嘉736起、平阳510起、苍南652起、文成181起、泰顺162起（详见附件）。',
    );
  });

  it('the drill clause names the day and each center once, in the seed’s form', () => {
    expect(drillParagraph(drills, DEFAULT_INDEX, ZONE)).toBe('8月25日，市应急联动工作联合检查组通过模拟报警方式分别对瓯海区、永嘉县的应急联动工作开展了拉动检查，检查情况如下：');
    expect(drillParagraph([drills[1]!, { ...drills[1]!, incident: 'again', at: '2020-08-26T02:00:00Z' }], DEFAULT_INDEX, ZONE)).toBe(
      '8月25日、8月26日，市应急联动工作联合检查组通过模拟报警方式对永嘉县的应急联动工作开展了拉动检查，检查情况如下：',
    );
    expect(drillParagraph([], DEFAULT_INDEX, ZONE)).toBeNull();
  });

  it('环比 and 同比 only for the months stored, rounded to 2 decimals', () => {
    expect(comparisonSentence(9410, 8800, null)).toBe('全市警情总数较上月（8800起）增加610起，环比上升6.93%。');
    expect(comparisonSentence(9410, null, 9500)).toBe('全市警情总数较去年同期（9500起）减少90起，同比下降0.95%。');
    expect(comparisonSentence(100, 100, 0)).toBe('全市警情总数较上月（100起）持平；较去年同期（0起）增加100起。');
    expect(comparisonSentence(9410, null, null)).toBeNull();
  });

  it('文号: the next of the year, read back', () => {
    expect(nextDocNumber(2020, [])).toBe('〔2020〕1号');
    expect(nextDocNumber(2020, [6, 3])).toBe('〔2020〕7号');
    expect(docNumberOf('〔2020〕7号')).toEqual({ year: 2020, n: 7 });
    expect(docNumberOf('[2020]7号')).toBeNull();
    expect(formatIssueDate('2020-09-21')).toBe('2020年9月21日');
  });

  it('工作要求: a （一） line keeps its first sentence as its heading', () => {
    expect(requirementBlocks('（一）强化机制建设，规范应急处置。今年，省平安考核新增了内容。\n\n其他要求。')).toEqual([
      { kind: 'para', lead: '（一）强化机制建设，规范应急处置。', text: '今年，省平安考核新增了内容。' },
      { kind: 'para', text: '其他要求。' },
    ]);
  });
});

describe('composeBulletin', () => {
  const figures: BulletinFigures = { monthly: report(SEED_INCIDENTS), drills, assessment };
  const doc = composeBulletin({
    month: '2020-08',
    figures,
    ref: DEFAULT_INDEX,
    zone: ZONE,
    previousTotal: null,
    lastYearTotal: null,
    draft: false,
    parts: {
      centers: { lucheng: '8月25日上午，区应急联动指挥中心开展模拟报警检查。' },
      docNumber: '〔2020〕7号',
      issueDate: '2020-09-21',
      cc: '各县（市、区）政府分管领导。',
      requirements: '（一）强化值守。严格落实。',
    },
  });

  it('follows the seed’s order and headings', () => {
    expect(doc.docNumber).toBe('温应急联指〔2020〕7号');
    expect(doc.title).toEqual(['2020年8月份全市应急联动工作', '情 况 通 报']);
    expect(doc.sections.map((s) => s.heading)).toEqual(['一、市级工作情况', '二、各县（市、区）工作情况', '三、工作要求']);
    expect(doc.sections[1]!.blocks).toEqual([{ kind: 'para', text: '鹿城区：8月25日上午，区应急联动指挥中心开展模拟报警检查。' }]);
    expect(doc.date).toBe('2020年9月21日');
    expect(doc.cc).toBe('抄送：各县（市、区）政府分管领导。');
    expect(doc.comparison).toBeNull();
    expect(doc.demoNote).toBeNull();
  });

  it('the drill table in the seed’s columns, and the annexes', () => {
    const table = doc.sections[0]!.blocks[1]!;
    if (table.kind !== 'table') throw new Error('expected the drill table');
    expect(table.table.head[0]!.map((h) => h.text).slice(0, 3)).toEqual(['地区', '公安', '应急管理']);
    expect(table.table.rows[0]!.slice(0, 2)).toEqual(['瓯海区', '3分']);
    expect(table.table.rows[0]![5]).toBe('27分30秒');
    expect(table.table.rows[0]!.at(-1)).toBe('1');
    expect(doc.annexes[1]!.table.rows.at(-1)!.slice(0, 3)).toEqual(['合计', '', '9410']);
  });

  it('a month with simulated incidents carries the demonstration mark', () => {
    const demo = composeBulletin({
      month: '2020-08',
      figures: { ...figures, monthly: { ...figures.monthly, simulated: 3 } },
      ref: DEFAULT_INDEX,
      zone: ZONE,
      previousTotal: null,
      lastYearTotal: null,
      draft: true,
      parts: { centers: {} },
    });
    expect(demo.title[0]).toMatch(/^【演示·模拟数据】/);
    expect(demo.demoNote).toContain('模拟数据');
    expect(demo.docNumber).toBeNull();
  });
});

describe('movedCells', () => {
  it('lists each annex and drill cell that differs, by row and column', () => {
    const issued: BulletinFigures = { monthly: report(SEED_INCIDENTS), drills, assessment };
    const live: BulletinFigures = { monthly: report({ ...SEED_INCIDENTS, ruian: 1144 }), drills: [drills[0]!, { ...drills[1]!, lateCount: 1 }], assessment };
    const moved = movedCells(issued, live, DEFAULT_INDEX);
    expect(moved).toContainEqual({ table: '附件2', row: '瑞安市', column: '处警数', issued: '1143', live: '1144' });
    expect(moved).toContainEqual({ table: '附件2', row: '合计', column: '处警数', issued: '9410', live: '9411' });
    expect(moved).toContainEqual({ table: '拉动检查', row: '永嘉县', column: '未在规时限内到达现场数量', issued: '0', live: '1' });
    expect(movedCells(issued, issued, DEFAULT_INDEX)).toEqual([]);
  });
});

describe('the written parts', () => {
  it('refuses markup, an over-long paragraph and a bad 文号, naming the field', () => {
    expect(centerParagraphBody.safeParse({ text: '正常的一段。' }).success).toBe(true);
    const markup = centerParagraphBody.safeParse({ text: '<b>加粗</b>' });
    expect(markup.error?.issues[0]?.path).toEqual(['text']);
    expect(markup.error?.issues[0]?.message).toContain('markup');
    expect(centerParagraphBody.safeParse({ text: '字'.repeat(1001) }).error?.issues[0]?.message).toContain('at most 1000');
    const bad = cityPartsBody.safeParse({ docNumber: '[2020]7号' });
    expect(bad.error?.issues[0]?.path).toEqual(['docNumber']);
    expect(cityPartsBody.safeParse({ docNumber: '〔2020〕7号', issueDate: '2020-09-21' }).success).toBe(true);
    expect(cityPartsBody.safeParse({ issueDate: '2020-02-30' }).error?.issues[0]?.path).toEqual(['issueDate']);
    expect(cityPartsBody.safeParse({}).success).toBe(false);
  });
});

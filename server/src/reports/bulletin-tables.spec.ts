import ExcelJS from 'exceljs';
import { DEFAULT_ASSESSMENT_RULES, DEFAULT_INDEX, Zone, assessmentReport, drillReport, monthlyReport, projectEvents, qualityReport, type StoredEvent } from '@wall/shared';
import { describe, expect, it } from 'vitest';
import { bulletinTables, type BulletinData } from './bulletin-tables.js';
import { toXlsx } from './xlsx.js';

const ZONE = new Zone('Asia/Shanghai');
const MIN = 60_000;
const D = Date.parse('2020-08-25T02:00:00Z');
const iso = (t: number) => new Date(t).toISOString();
const e = (id: string, type: string, t: number, incident: string, more: Record<string, unknown> = {}) => ({ id, type, at: iso(t), t, incident, ...more }) as StoredEvent;

// 龙湾 (inside 市本级): 2 incidents, one closed; city.power: 2 orders, one signed and fed back
// twice, one never signed. A 瓯海 drill: police on scene at 3 min, market at 27 min 30 s.
const events: StoredEvent[] = [
  e('r1', 'incident.reported', D, 'i1', { center: 'longwan', kind: 'alarm', category: '停电' }),
  e('d1', 'order.dispatched', D + MIN, 'i1', { order: 'o1', unit: 'city.power' }),
  e('s1', 'order.signed', D + 2 * MIN, 'i1', { order: 'o1' }),
  e('f1', 'order.feedback', D + 30 * MIN, 'i1', { order: 'o1', stage: 'progress' }),
  e('f2', 'order.feedback', D + 50 * MIN, 'i1', { order: 'o1', stage: 'result' }),
  e('c1', 'incident.closed', D + 60 * MIN, 'i1'),
  e('r2', 'incident.reported', D, 'i2', { center: 'longwan', kind: 'help', category: '停电' }),
  e('d2', 'order.dispatched', D + MIN, 'i2', { order: 'o2', unit: 'city.power' }),
  e('rd', 'incident.reported', D, 'drill', { center: 'ouhai', kind: 'alarm', category: '模拟报警', drill: true }),
  e('dd1', 'order.dispatched', D, 'drill', { order: 'od1', unit: 'ouhai.police' }),
  e('ad1', 'order.arrived', D + 3 * MIN, 'drill', { order: 'od1' }),
  e('dd2', 'order.dispatched', D, 'drill', { order: 'od2', unit: 'ouhai.market' }),
  e('ad2', 'order.arrived', D + 27.5 * MIN, 'drill', { order: 'od2' }),
];

function data(): BulletinData {
  const state = projectEvents(events, DEFAULT_INDEX, ZONE);
  return {
    month: '2020-08',
    monthly: monthlyReport(state, '2020-08', DEFAULT_INDEX),
    drills: drillReport(state, '2020-08', DEFAULT_INDEX, ZONE),
    assessment: assessmentReport(state, '2020-08', DEFAULT_INDEX, DEFAULT_ASSESSMENT_RULES),
    quality: qualityReport(state, '2020-08', ZONE, { now: Date.parse('2020-10-01T00:00:00Z') }),
  };
}

describe('bulletinTables', () => {
  const [units, centers, drills, assessment, quality] = bulletinTables(data(), DEFAULT_INDEX, ZONE);

  it('附件1: the ten city units and a 合计 row', () => {
    expect(units!.sheet).toBe('附件1');
    expect(units!.title).toBe('2020年8月份市本级应急联动单位警情处置情况统计表');
    expect(units!.rows).toHaveLength(11);
    expect(units!.rows[0]).toEqual([1, '温州电力局', 2, 1, 1, 2, 1, 0]);
    expect(units!.rows[10]).toEqual(['合计', null, 2, 1, 1, 2, 1, 0]);
    expect(units!.totals).toEqual([10]);
  });

  it('附件2: every center, urban ones indented, 合计 by the contract rule with its footnote', () => {
    const longwan = centers!.rows.find((r) => r[1] === '龙湾区')!;
    expect(longwan).toEqual([3, '龙湾区', 2, 1, { percent: 50 }, 2, 1, 0, 0]);
    // 市本级 counts only its own incidents (none here): 龙湾's are its own row's.
    expect(centers!.rows.find((r) => r[1] === '市本级')).toEqual([1, '市本级', 0, 0, null, 0, 0, 0, 0]);
    expect(centers!.rows.find((r) => r[1] === '泰顺县')![4]).toBeNull();
    // 龙湾 is shown (indented under 市本级) and not added: 合计 is the rows without a parent.
    expect(centers!.rows.at(-1)).toEqual(['合计', null, 0, 0, null, 0, 0, 0, 0]);
    expect(centers!.indented).toEqual([1, 2, 3, 4]);
    expect(centers!.notes.join()).toContain('合计不再相加');
  });

  it('拉动检查: one row per drill with the departments as 分/秒 and the late count', () => {
    expect(drills!.headers.slice(0, 4)).toEqual(['序号', '地区', '检查时间', '公安']);
    expect(drills!.headers.at(-1)).toBe('未在规时限内到达现场数量');
    const row = drills!.rows[0]!;
    expect(row.slice(0, 5)).toEqual([1, '瓯海区', '2020-08-25 10:00', { seconds: 180 }, '-']);
    expect(row[drills!.headers.indexOf('市场监管')]).toEqual({ seconds: 1650 });
    expect(row.at(-1)).toBe(1);
  });

  it('附件1: the 合计 row is the report’s unitsTotal', () => {
    const units = bulletinTables(data(), DEFAULT_INDEX, ZONE).find((t) => t.key === 'units')!;
    const t = data().monthly.unitsTotal;
    expect(units.rows.at(-1)).toEqual(['合计', null, t.orders, t.signed, t.unsigned, t.feedbacks, t.unfed, t.returned]);
    expect(units.rows.at(-1)).toEqual(['合计', null, 2, 1, 1, 2, 1, 0]);
  });

  it('a month with simulated incidents is titled a demonstration on every table', () => {
    const demo = data();
    demo.monthly = { ...demo.monthly, simulated: 2 };
    for (const table of bulletinTables(demo, DEFAULT_INDEX, ZONE)) {
      expect(table.title).toMatch(/^【演示·模拟数据】/);
      expect(table.notes[0]).toContain('模拟数据');
    }
    for (const table of bulletinTables(data(), DEFAULT_INDEX, ZONE)) expect(table.title).not.toContain('演示');
  });

  it('考核 and 数据质量', () => {
    expect(assessment!.rows).toEqual([[1, '温州电力局', '市本级', 2, 0, 0, 0, 1, 0, 2, '']]);
    expect(assessment!.notes[0]).toContain('扣分高于10分');
    expect(quality!.rows).toEqual([]);
  });
});

describe('toXlsx', () => {
  it('writes one sheet per table, numbers as numbers, the 附件 headers in two rows', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(bulletinTables(data(), DEFAULT_INDEX, ZONE))) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['附件1', '附件2', '拉动检查', '考核', '数据质量']);
    const a1 = book.getWorksheet('附件1')!;
    expect(a1.getCell('A1').value).toBe('2020年8月份市本级应急联动单位警情处置情况统计表');
    expect(a1.getCell('C2').value).toBe('指令总数');
    expect(a1.getCell('C3').value).toBe('事件数');
    expect(a1.getRow(4).values).toEqual([undefined, 1, '温州电力局', 2, 1, 1, 2, 1, 0]);
    const a2 = book.getWorksheet('附件2')!;
    const rate = a2.getCell('E5');
    expect(a2.getCell('B5').value).toBe('龙湾区');
    expect(rate.value).toBe(0.5);
    expect(rate.numFmt).toBe('0.00%');
    const drill = book.getWorksheet('拉动检查')!.getCell('D3');
    // ExcelJS reads a cell with a time format back as a Date counted from Excel's day 0.
    expect(((drill.value as Date).getTime() - Date.UTC(1899, 11, 30)) / 1000).toBe(180);
    expect(drill.numFmt).toBe('[m]"分"ss"秒"');
  });
});

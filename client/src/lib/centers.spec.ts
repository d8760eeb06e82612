import { describe, expect, it } from 'vitest';
import { centersTotal, closedRate as closedRatePct, type CenterRow } from '@wall/shared';
import { centerTable } from './centers';

const row = (center: string, name: string, parent: string | null, incidents: number, closed: number, extra: Partial<CenterRow> = {}): CenterRow => ({
  center,
  name,
  parent,
  incidents,
  closed,
  closedRate: closedRatePct(closed, incidents),
  feedbacks: 0,
  unfed: 0,
  overdueFeedback: 0,
  returned: 0,
  ...extra,
});

// The August 2020 bulletin's incident counts (domain.md).
const AUGUST: CenterRow[] = [
  row('city', '市本级', null, 5019, 5000),
  row('lucheng', '鹿城区', 'city', 1500, 1490),
  row('longwan', '龙湾区', 'city', 1027, 1023, { unfed: 1, returned: 2 }),
  row('ouhai', '瓯海区', 'city', 1200, 1200),
  row('kaifaqu', '开发区', 'city', 300, 300),
  row('dongtou', '洞头区', null, 299, 299),
  row('ruian', '瑞安市', null, 1143, 1140),
  row('yueqing', '乐清市', null, 708, 700),
  row('yongjia', '永嘉县', null, 736, 736),
  row('pingyang', '平阳县', null, 510, 510),
  row('cangnan', '苍南县', null, 652, 650),
  row('wencheng', '文成县', null, 181, 181),
  row('taishun', '泰顺县', null, 162, 162, { returned: 3 }),
];

describe('centerTable', () => {
  it('puts the four urban centers indented under 市本级', () => {
    const t = centerTable(AUGUST, centersTotal(AUGUST));
    expect(t.slice(0, 6).map((r) => [r.name, r.indent])).toEqual([
      ['市本级', false],
      ['鹿城区', true],
      ['龙湾区', true],
      ['瓯海区', true],
      ['开发区', true],
      ['洞头区', false],
    ]);
  });
  it('shows the 合计 the server computed (shared centersTotal), without adding anything itself', () => {
    const given = { ...centersTotal(AUGUST), incidents: 1 };
    const total = centerTable(AUGUST, given).at(-1)!;
    expect(total.total).toBe(true);
    expect(total.incidents).toBe(1);
    // The shared rule: 市本级 + the eight outer rows; 龙湾's 2 returns are its own row's, not added.
    expect(centersTotal(AUGUST)).toMatchObject({ incidents: 9410, returned: 3, unfed: 0 });
  });
  it('computes rates rather than copying them: 龙湾 1023/1027 = 99.61', () => {
    expect(closedRatePct(1023, 1027)).toBe(99.61);
    expect(closedRatePct(0, 0)).toBeNull();
  });
  it('shows an orphan child at top level without adding it', () => {
    const rows = [row('x', 'X', 'missing', 5, 5), row('y', 'Y', null, 2, 1)];
    const t = centerTable(rows, centersTotal(rows));
    expect(t.map((r) => [r.name, r.indent])).toEqual([
      ['X', false],
      ['Y', false],
      ['合计', false],
    ]);
    expect(t[2]!.incidents).toBe(2);
    expect(t[2]!.closedRate).toBe(50);
  });
});

import { describe, expect, it } from 'vitest';
import type { EChartsOption } from 'echarts';
import { diffOption, memoOf } from './option-diff';

const option = (today: number[], max = 10): EChartsOption => ({
  grid: { left: 40 },
  yAxis: { type: 'value', max },
  series: [
    { id: 'yesterday', type: 'line', data: [1, 2, 3] },
    { id: 'today', type: 'line', data: today },
  ],
});

describe('diffOption', () => {
  it('sends the whole option the first time, with replaceMerge', () => {
    const u = diffOption(null, option([1]));
    expect(u.full).toBe(true);
    expect(u.option).toEqual(option([1]));
  });

  it('sends only the series that changed', () => {
    const u = diffOption(memoOf(option([1])), option([1, 5]));
    expect(u).toMatchObject({ full: false, option: { series: [{ id: 'today', data: [1, 5] }] } });
    expect(Object.keys(u.option!)).toEqual(['series']);
  });

  it('sends a changed top-level part beside the series', () => {
    const u = diffOption(memoOf(option([1])), option([1], 20));
    expect(u.option).toEqual({ yAxis: { type: 'value', max: 20 } });
  });

  it('sends nothing when nothing changed', () => {
    expect(diffOption(memoOf(option([1, 2])), option([1, 2])).option).toBeNull();
  });

  it('sends everything again when the set of series changed or a part went', () => {
    const fewer: EChartsOption = { ...option([1]), series: [{ id: 'today', type: 'line', data: [1] }] };
    expect(diffOption(memoOf(option([1])), fewer)).toMatchObject({ full: true, option: fewer });
    const { grid: _grid, ...noGrid } = option([1]);
    expect(diffOption(memoOf(option([1])), noGrid).full).toBe(true);
  });

  it('remembers what it was given, for the next update', () => {
    const first = diffOption(null, option([1]));
    const second = diffOption(first.memo, option([1, 2]));
    expect(diffOption(second.memo, option([1, 2])).option).toBeNull();
  });
});

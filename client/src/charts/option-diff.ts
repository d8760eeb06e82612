import type { EChartsOption } from 'echarts';

// What to pass ECharts on an update. setOption re-runs its whole pipeline for whatever it is
// given, and a full option every second made each wall update pay for axes, legends and geo
// layers that had not changed. After the first draw, only the top-level parts and the series
// (by id) that differ from the last draw are sent, merged into the chart; a change in the set
// of series sends everything again with replaceMerge, so a series that went is removed.
// Parts are compared as JSON: functions (formatters) are not compared, so a builder must not
// change one without changing data beside it.

export interface OptionMemo {
  parts: Map<string, string>;
  series: Map<string, string>;
  /** The series ids in order, joined. */
  seriesIds: string;
}

export interface OptionUpdate {
  /** null when nothing changed: no setOption at all. */
  option: EChartsOption | null;
  /** Everything, to be set with replaceMerge. */
  full: boolean;
  memo: OptionMemo;
}

type SeriesLike = { id?: string | number } & Record<string, unknown>;

function seriesOf(option: EChartsOption): SeriesLike[] {
  const s = option.series;
  return (Array.isArray(s) ? s : s ? [s] : []) as SeriesLike[];
}

export function memoOf(option: EChartsOption): OptionMemo {
  const parts = new Map<string, string>();
  for (const [k, v] of Object.entries(option)) if (k !== 'series') parts.set(k, JSON.stringify(v));
  const series = seriesOf(option);
  return {
    parts,
    series: new Map(series.map((s, i) => [String(s.id ?? `#${i}`), JSON.stringify(s)])),
    seriesIds: series.map((s, i) => String(s.id ?? `#${i}`)).join('\u0000'),
  };
}

export function diffOption(prev: OptionMemo | null, next: EChartsOption): OptionUpdate {
  const memo = memoOf(next);
  if (!prev || prev.seriesIds !== memo.seriesIds) return { option: next, full: true, memo };
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const [k, json] of memo.parts) {
    if (prev.parts.get(k) === json) continue;
    out[k] = (next as Record<string, unknown>)[k];
    changed = true;
  }
  // A part that went (a key the builder stopped setting) cannot be unset by a merge.
  for (const k of prev.parts.keys()) if (!memo.parts.has(k)) return { option: next, full: true, memo };
  const series = seriesOf(next).filter((s, i) => prev.series.get(String(s.id ?? `#${i}`)) !== memo.series.get(String(s.id ?? `#${i}`)));
  if (series.length) {
    out['series'] = series;
    changed = true;
  }
  return { option: changed ? (out as EChartsOption) : null, full: false, memo };
}

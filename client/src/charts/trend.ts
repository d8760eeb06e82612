import type { EChartsOption } from 'echarts';
import { C, MONO, SANS } from './theme';

const HOURS = Array.from({ length: 24 }, (_, h) => `${h}时`);

/**
 * Incidents per hour, today (up to the current hour) against yesterday. `currentHour` is the
 * Shanghai hour now: later hours of today are left out rather than drawn as zeros.
 */
export function trendOption(hourly: { today: number[]; yesterday: number[] }, currentHour: number): EChartsOption {
  const today = hourly.today.slice(0, Math.max(0, Math.min(24, currentHour + 1)));
  return {
    // Drawn in once; no tween on updates, which come every second on a busy day and would keep
    // the chart repainting every frame.
    animationDurationUpdate: 0,
    // ECharts' default text is 12 px: every label on the wall is 14 at least.
    textStyle: { fontFamily: SANS, fontSize: 14 },
    // Fixed margins, wide enough for the labels: no per-update measuring of label text to fit
    // them (ECharts 6's outer bounds).
    grid: { left: 44, right: 16, top: 34, bottom: 30, outerBoundsMode: 'none' },
    legend: {
      top: 2,
      right: 8,
      itemWidth: 18,
      itemHeight: 8,
      textStyle: { color: C.muted, fontSize: 14 },
      data: ['今日', '昨日'],
    },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: HOURS,
      axisLine: { lineStyle: { color: C.dim } },
      axisTick: { show: false },
      axisLabel: { color: C.muted, fontSize: 14, interval: 2 },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 4,
      axisLabel: { color: C.muted, fontSize: 14, fontFamily: MONO },
      splitLine: { lineStyle: { color: C.grid } },
    },
    series: [
      {
        id: 'yesterday',
        name: '昨日',
        type: 'line',
        data: hourly.yesterday.slice(0, 24),
        symbol: 'none',
        smooth: 0.3,
        lineStyle: { color: C.amber, width: 2, type: 'dashed', opacity: 0.8 },
        itemStyle: { color: C.amber },
        z: 1,
      },
      {
        id: 'today',
        name: '今日',
        type: 'line',
        data: today,
        symbol: 'circle',
        symbolSize: 6,
        smooth: 0.3,
        lineStyle: { color: C.cyan, width: 3 },
        itemStyle: { color: C.cyan },
        areaStyle: {
          color: {
            type: 'linear',
            x: 0,
            y: 0,
            x2: 0,
            y2: 1,
            colorStops: [
              { offset: 0, color: 'rgba(53,208,255,0.35)' },
              { offset: 1, color: 'rgba(53,208,255,0.02)' },
            ],
          },
        },
        z: 2,
      },
    ],
  };
}

/**
 * The week hour by hour (`week`: days × 24, oldest first, today last); today's later hours are
 * left out. One x label a day (its date), so 168 points stay readable from across the room.
 */
export function weekTrendOption(week: readonly number[], days: readonly string[], currentHour: number): EChartsOption {
  const shown = Math.max(0, week.length - 24 + Math.min(24, currentHour + 1));
  // Every 24th label is shown (interval 23): each day's midnight, named by its date alone.
  const labels = days.flatMap((d) => Array.from({ length: 24 }, (_, h) => (h === 0 ? d : `${d} ${h}时`)));
  return {
    animationDurationUpdate: 0,
    // ECharts' default text is 12 px: every label on the wall is 14 at least.
    textStyle: { fontFamily: SANS, fontSize: 14 },
    grid: { left: 52, right: 20, top: 20, bottom: 34, outerBoundsMode: 'none' },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: labels,
      axisLine: { lineStyle: { color: C.dim } },
      axisTick: { show: false },
      axisLabel: { color: C.muted, fontSize: 15, interval: 23 },
      splitLine: { show: true, interval: 23, lineStyle: { color: C.grid } },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 4,
      axisLabel: { color: C.muted, fontSize: 15, fontFamily: MONO },
      splitLine: { lineStyle: { color: C.grid } },
    },
    series: [
      {
        id: 'week',
        name: '每小时警情',
        type: 'line',
        data: week.slice(0, shown),
        symbol: 'none',
        lineStyle: { color: C.cyan, width: 2 },
        areaStyle: { color: 'rgba(53,208,255,0.18)' },
      },
    ],
  };
}

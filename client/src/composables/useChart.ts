import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { echarts } from '../charts/echarts';
import type { EChartsOption, EChartsType } from 'echarts';
import { browserScheduler, createThrottle } from '../lib/throttle';
import { diffOption, type OptionMemo } from '../charts/option-diff';
import { registerChart, unregisterChart } from '../wall/hook';

/**
 * One ECharts instance for the life of a component: created on mount at the wall's pixel
 * ratio, fed through a throttle (at most one setOption per interval, none while hidden),
 * given only what changed since its last draw (option-diff.ts; series matched by id, never
 * clear()), disposed on unmount. A pixel-ratio change re-creates the instance with the current
 * option (ECharts cannot change it in place).
 */
export function useChart(
  name: string,
  el: Readonly<ShallowRef<HTMLElement | null>>,
  pixelRatio: Ref<number>,
  build: () => EChartsOption | null,
  opts: {
    intervalMs?: number;
    replaceMerge?: string[];
    /** After ECharts has laid out and drawn an option (its `finished` event). */
    onFinished?: (chart: EChartsType) => void;
  } = {},
) {
  const chart = shallowRef<EChartsType | null>(null);
  const replaceMerge = opts.replaceMerge ?? ['series'];
  /** What the chart was last given; null until its first draw. */
  let memo: OptionMemo | null = null;
  let drawn = false;
  const render = () => {
    const c = chart.value;
    if (!c || c.isDisposed()) return;
    const next = build();
    if (!next) return;
    const update = diffOption(memo, next);
    memo = update.memo;
    if (update.option) c.setOption(update.option, update.full ? { lazyUpdate: true, replaceMerge, silent: true } : { lazyUpdate: true, silent: true });
    drawn = true;
  };
  const throttle = createThrottle(render, opts.intervalMs ?? 1000, browserScheduler());
  const onVisibility = () => throttle.onVisibilityChange();

  const create = () => {
    const node = el.value;
    if (!node) return;
    chart.value?.dispose();
    chart.value = echarts.init(node, null, {
      renderer: 'canvas',
      devicePixelRatio: pixelRatio.value,
      width: node.clientWidth,
      height: node.clientHeight,
    });
    registerChart(name, chart.value);
    const c = chart.value;
    memo = null;
    // zrender keeps requesting animation frames for 10 still frames after each redraw, and
    // each one costs the page a style pass and a commit: some 20 idle frames per update
    // across the wall's charts. Nothing here animates between updates, so sleep at once
    // (setOption and ECharts' own animations wake it).
    c.getZr().setSleepAfterStill(1);
    // 'finished' also comes for the empty chart, before any option: nothing is laid out yet.
    if (opts.onFinished) c.on('finished', () => drawn && chart.value === c && opts.onFinished?.(c));
    drawn = false;
    render();
  };

  onMounted(() => {
    create();
    document.addEventListener('visibilitychange', onVisibility);
  });
  const stopDpr = watch(pixelRatio, () => create());
  onBeforeUnmount(() => {
    stopDpr();
    throttle.dispose();
    document.removeEventListener('visibilitychange', onVisibility);
    unregisterChart(name, chart.value);
    chart.value?.dispose();
    chart.value = null;
  });
  return { chart, update: () => throttle.schedule(), renderNow: render };
}

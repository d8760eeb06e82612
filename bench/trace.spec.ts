import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without declarations
import { busyBetween, updateCosts } from './trace.mjs';

const PID = 7;
const MAIN = 1;
const meta = [
  { name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: MAIN, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: 2, args: { name: 'Compositor' } },
];
const task = (tsMs: number, durMs: number, tid = MAIN, tdurMs = durMs) => ({ name: 'RunTask', ph: 'X', ts: tsMs * 1000, dur: durMs * 1000, tdur: tdurMs * 1000, pid: PID, tid });
const ev = (name: string, tsMs: number, durMs: number) => ({ name, ph: 'X', ts: tsMs * 1000, dur: durMs * 1000, pid: PID, tid: MAIN });
const mark = (tsMs: number) => ({ name: 'wall-delta', ph: 'R', ts: tsMs * 1000, pid: PID, tid: MAIN });

describe('updateCosts', () => {
  it('counts the receiving task from its start and every main-thread task in the window', () => {
    const costs = updateCosts(
      [
        ...meta,
        task(90, 5), // before the update
        task(100, 8, MAIN, 6), // receives it: the mark is inside
        mark(101),
        task(120, 4),
        task(300, 10, 2), // another thread
        task(1000, 3), // the last task that starts inside a 1000 ms window
        task(1101, 50), // after it
      ],
      'wall-delta',
      1000,
    );
    expect(costs).toHaveLength(1);
    expect(costs[0].tasks).toBe(3);
    expect(costs[0].busyMs).toBeCloseTo(15);
    expect(costs[0].cpuMs).toBeCloseTo(13);
    expect(costs[0].receiveMs).toBeCloseTo(8);
    expect(costs[0].longestMs).toBeCloseTo(8);
  });

  it('applies an update by the first rendering frame after the receiving task', () => {
    const [cost, second] = updateCosts(
      [
        ...meta,
        task(100, 6, MAIN, 4), // receives it; 2 ms of it another process had the core
        mark(101),
        ev('Layout', 103, 1), // a forced layout inside the receiving task is not its frame
        task(107, 1), // a timer, before the frame
        task(116, 9, MAIN, 8), // the frame
        ev('PrePaint', 120, 1),
        ev('Paint', 121, 2),
        task(140, 20), // a chart redraw in a later frame: cost, not apply
        ev('Paint', 150, 3),
        mark(500),
        task(500, 2), // received, but no frame before the window ends
      ],
      'wall-delta',
      300,
    );
    expect(cost.applyMs).toBeCloseTo(16);
    expect(cost.applyCpuMs).toBeCloseTo(13);
    expect(cost.shownMs).toBeCloseTo(25);
    expect(cost.busyMs).toBeCloseTo(36);
    expect(second.applyMs).toBeNull();
    expect(second.applyCpuMs).toBeNull();
    expect(second.shownMs).toBeNull();
  });

  it('charges an update that the next one overtook until the frame that shows both', () => {
    const [first, second] = updateCosts([...meta, task(0, 3), mark(1), task(5, 4), mark(6), task(16, 8), ev('Paint', 18, 2)], 'wall-delta', 1000);
    expect(first.applyMs).toBeCloseTo(15);
    expect(first.busyMs).toBeCloseTo(3);
    expect(second.applyMs).toBeCloseTo(12);
  });

  it('breaks the time down by outermost event, so nested work counts once', () => {
    const [cost] = updateCosts(
      [...meta, task(0, 40), mark(0.5), ev('FunctionCall', 1, 10), ev('Layout', 2, 3), ev('Paint', 20, 5), ev('Commit', 30, 6), ev('UpdateLayoutTree', 12, 2)],
      'wall-delta',
      100,
    );
    expect(cost.kinds).toMatchObject({ script: 10, layout: 0, paint: 5, commit: 6, style: 2 });
  });

  it('counts a task named both ways, one inside the other, once', () => {
    const outer = { ...task(0, 20), name: 'ThreadControllerImpl::RunTask' };
    const [cost] = updateCosts([...meta, outer, task(1, 18), mark(2), { ...task(30, 5), name: 'ThreadControllerImpl::RunTask' }], 'wall-delta', 100);
    expect(cost).toMatchObject({ busyMs: 25, tasks: 2 });
    expect(busyBetween([...meta, mark(-1), outer, task(1, 18), mark(50)], 'wall-delta').busyMs).toBe(20);
  });

  it('gives one cost per update, each over its own window', () => {
    const costs = updateCosts([...meta, mark(0), task(0, 2), task(500, 3), mark(1000), task(1000, 7)], 'wall-delta', 400);
    expect(costs.map((c: { busyMs: number }) => c.busyMs)).toEqual([2, 7]);
    expect(costs.map((c: { longestMs: number }) => c.longestMs)).toEqual([2, 7]);
  });

  it('ends a window where the next update arrives, so no task is charged twice', () => {
    const costs = updateCosts([...meta, task(0, 2), mark(1), task(100, 5), task(200, 4), mark(201), task(300, 3), task(900, 1)], 'wall-delta', 1000);
    expect(costs.map((c: { busyMs: number }) => c.busyMs)).toEqual([7, 8]);
    expect(costs.map((c: { tasks: number }) => c.tasks)).toEqual([2, 3]);
  });

  it('takes the thread the marks are on, not another renderer', () => {
    const other = { name: 'thread_name', ph: 'M', ts: 0, pid: 9, tid: 1, args: { name: 'CrRendererMain' } };
    const [cost] = updateCosts([other, ...meta, { ...task(0, 50), pid: 9 }, mark(0), task(10, 3)], 'wall-delta', 100);
    expect(cost.busyMs).toBe(3);
  });

  it('says so when the trace has no page main thread', () => {
    expect(() => busyBetween([task(0, 1)], 'wall-delta')).toThrow(/CrRendererMain/);
  });
});

describe('busyBetween', () => {
  it('sums the main-thread tasks that start between two marks', () => {
    const r = busyBetween([...meta, mark(100), task(50, 5), task(150, 10), task(200, 4, 2), task(900, 3), mark(1100), task(1200, 9)], 'wall-delta');
    expect(r).toEqual({ busyMs: 13, spanMs: 1000 });
  });

  it('needs both marks', () => {
    expect(() => busyBetween([...meta, mark(1)], 'wall-delta')).toThrow(/1 "wall-delta" marks/);
  });
});

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

import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without declarations
import { updateCosts } from './trace.mjs';

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
  });

  it('breaks the time down by outermost event, so nested work counts once', () => {
    const [cost] = updateCosts(
      [...meta, task(0, 40), mark(0.5), ev('FunctionCall', 1, 10), ev('Layout', 2, 3), ev('Paint', 20, 5), ev('Commit', 30, 6), ev('UpdateLayoutTree', 12, 2)],
      'wall-delta',
      100,
    );
    expect(cost.kinds).toMatchObject({ script: 10, layout: 0, paint: 5, commit: 6, style: 2 });
  });

  it('gives one cost per update, each over its own window', () => {
    const costs = updateCosts([...meta, mark(0), task(0, 2), task(500, 3), mark(1000), task(1000, 7)], 'wall-delta', 400);
    expect(costs.map((c: { busyMs: number }) => c.busyMs)).toEqual([2, 7]);
  });

  it('says so when the trace has no page main thread', () => {
    expect(() => updateCosts([task(0, 1)], 'wall-delta', 100)).toThrow(/CrRendererMain/);
  });
});

import { describe, expect, it } from 'vitest';
import { createThrottle, type Scheduler } from './throttle';

/** A manual clock: timers and frames run only when told. */
function fakeScheduler() {
  let t = 0;
  let hidden = false;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const frames = new Map<number, () => void>();
  const sched: Scheduler = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    requestFrame: (fn) => {
      const id = nextId++;
      frames.set(id, fn);
      return id;
    },
    cancelFrame: (h) => void frames.delete(h as number),
    isHidden: () => hidden,
  };
  return {
    sched,
    timers,
    frames,
    setHidden(h: boolean) {
      hidden = h;
    },
    /** Advance time, firing due timers; frames fire only when visible (as in browsers). */
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        t = Math.max(t, due[1].at);
        timers.delete(due[0]);
        due[1].fn();
        this.paint();
      }
      t = end;
      this.paint();
    },
    paint() {
      if (hidden) return;
      const fs = [...frames.entries()];
      frames.clear();
      for (const [, fn] of fs) fn();
    },
  };
}

describe('createThrottle', () => {
  it('runs the first update on the next frame and coalesces the rest within the interval', () => {
    const f = fakeScheduler();
    let runs = 0;
    const th = createThrottle(() => runs++, 1000, f.sched);
    th.schedule();
    f.advance(0);
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) {
      th.schedule();
      f.advance(10);
    }
    expect(runs).toBe(1);
    f.advance(1000);
    expect(runs).toBe(2);
    f.advance(5000);
    expect(runs).toBe(2);
    expect(th.pending).toBe(false);
  });

  it('does nothing while hidden and runs exactly once when visible again', () => {
    const f = fakeScheduler();
    let runs = 0;
    const th = createThrottle(() => runs++, 1000, f.sched);
    f.setHidden(true);
    for (let i = 0; i < 1000; i++) {
      th.schedule();
      f.advance(100);
    }
    expect(runs).toBe(0);
    expect(f.timers.size).toBe(0);
    expect(th.pending).toBe(true);
    f.setHidden(false);
    th.onVisibilityChange();
    f.advance(0);
    expect(runs).toBe(1);
    f.advance(10_000);
    expect(runs).toBe(1);
  });

  it('keeps work pending when the page hides between timer and frame', () => {
    const f = fakeScheduler();
    let runs = 0;
    const th = createThrottle(() => runs++, 1000, f.sched);
    th.schedule();
    f.advance(0);
    th.schedule();
    f.setHidden(true);
    f.advance(2000); // the timer fires, the frame waits
    expect(runs).toBe(1);
    f.setHidden(false);
    th.onVisibilityChange();
    f.paint();
    expect(runs).toBe(2);
  });

  it('leaves no timer or frame behind when disposed', () => {
    const f = fakeScheduler();
    let runs = 0;
    const th = createThrottle(() => runs++, 1000, f.sched);
    th.schedule();
    f.advance(0);
    th.schedule();
    th.dispose();
    expect(f.timers.size).toBe(0);
    expect(f.frames.size).toBe(0);
    th.schedule();
    f.advance(5000);
    expect(runs).toBe(1);
  });
});

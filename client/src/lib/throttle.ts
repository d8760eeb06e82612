// Redraw throttling for a wall that runs for weeks: many data updates, at most one redraw per
// interval, on an animation frame, none while the page is hidden, and exactly one (not a
// burst) when it becomes visible again.

export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs fn before the next paint; browsers do not run it while the page is hidden. */
  requestFrame(fn: () => void): unknown;
  cancelFrame(handle: unknown): void;
  isHidden(): boolean;
}

export function browserScheduler(): Scheduler {
  return {
    now: () => performance.now(),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (h) => window.clearTimeout(h as number),
    requestFrame: (fn) => window.requestAnimationFrame(() => fn()),
    cancelFrame: (h) => window.cancelAnimationFrame(h as number),
    isHidden: () => document.visibilityState === 'hidden',
  };
}

export interface Throttle {
  /** Marks work to do; runs it within the interval (or when visible again). */
  schedule(): void;
  /** Call on visibilitychange: runs pending work once if the page is visible. */
  onVisibilityChange(): void;
  /** True while work is waiting. */
  readonly pending: boolean;
  dispose(): void;
}

export function createThrottle(run: () => void, intervalMs: number, sched: Scheduler): Throttle {
  let dirty = false;
  let last = -Infinity;
  let timer: unknown = null;
  let frame: unknown = null;
  let disposed = false;

  const fire = () => {
    frame = null;
    if (disposed || !dirty) return;
    if (sched.isHidden()) return; // stays dirty: flushed once on visibility
    dirty = false;
    last = sched.now();
    run();
  };

  const arm = () => {
    if (disposed || timer !== null || frame !== null || sched.isHidden()) return;
    const wait = Math.max(0, last + intervalMs - sched.now());
    timer = sched.setTimeout(() => {
      timer = null;
      if (disposed) return;
      frame = sched.requestFrame(fire);
    }, wait);
  };

  return {
    schedule() {
      if (disposed) return;
      dirty = true;
      arm();
    },
    onVisibilityChange() {
      if (dirty) arm();
    },
    get pending() {
      return dirty;
    },
    dispose() {
      disposed = true;
      if (timer !== null) sched.clearTimeout(timer);
      if (frame !== null) sched.cancelFrame(frame);
      timer = frame = null;
    },
  };
}

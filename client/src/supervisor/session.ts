import { UnauthorizedError } from '../lib/auth';

/**
 * The console's lifetime: the timers and requests it started, all ended by `stop()`, and the
 * one place a refused token (401) ends the session.
 */
export function createSession(onUnauthorized: () => void) {
  let stopped = false;
  const timers = new Set<number>();
  const aborts = new Set<AbortController>();
  const stopHooks: Array<() => void> = [];

  /** A timer that `stop()` clears; returns its handle for `clear`. */
  function later(fn: () => void, ms: number): number {
    if (stopped) return 0;
    const h = window.setTimeout(() => {
      timers.delete(h);
      if (!stopped) fn();
    }, ms);
    timers.add(h);
    return h;
  }

  function clear(h: number): void {
    window.clearTimeout(h);
    timers.delete(h);
  }

  /** Runs a request that `stop()` aborts; a 401 stops the session and tells the page. */
  async function guarded<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const abort = new AbortController();
    aborts.add(abort);
    try {
      return await fn(abort.signal);
    } catch (e) {
      if (e instanceof UnauthorizedError && !stopped) {
        stop();
        onUnauthorized();
        return undefined;
      }
      throw e;
    } finally {
      aborts.delete(abort);
    }
  }

  function onStop(hook: () => void): void {
    stopHooks.push(hook);
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    for (const h of timers) window.clearTimeout(h);
    timers.clear();
    for (const a of aborts) a.abort();
    aborts.clear();
    for (const hook of stopHooks) hook();
  }

  return {
    get stopped() {
      return stopped;
    },
    later,
    clear,
    guarded,
    onStop,
    stop,
  };
}

export type Session = ReturnType<typeof createSession>;

// window.__replay: a read-only view of the replay for the e2e tests, in the e2e build only
// (`vite build --mode e2e`, see client/vite.config.ts and wall/hook.ts). In the production
// bundle `import.meta.env.MODE` is a constant and both bodies fold away.

export type ReplayPhase = 'loading' | 'indexing' | 'ready' | 'error';

export interface ReplayHook {
  readonly phase: ReplayPhase;
  readonly t: number;
  readonly start: number;
  readonly end: number;
  readonly playing: boolean;
  readonly speed: number;
  readonly events: number;
  readonly applied: number;
  /** Real ms of the last seeks (engine.seek + buildWallSections), oldest first. */
  readonly seeks: number[];
  /** The same for the recomputations while playing. */
  readonly frames: number[];
  readonly loadMs: number | null;
  readonly indexMs: number | null;
  readonly recomputes: number;
}

export function installReplayHook(hook: ReplayHook): void {
  if (import.meta.env.MODE !== 'e2e') return;
  Object.defineProperty(window, '__replay', { value: hook, configurable: true, enumerable: false, writable: false });
}

export function removeReplayHook(): void {
  if (import.meta.env.MODE !== 'e2e') return;
  delete (window as { __replay?: unknown }).__replay;
}

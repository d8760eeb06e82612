import type { EChartsType } from 'echarts';
import type { WallSections } from '@wall/shared';

// A read-only hook for the headless tests and the wall bench:
//   window.__wall.seq, .rev, .state, .sections, .charts.map, .option('map')
// It exists in the e2e build only (`vite build --mode e2e`, client/dist-e2e, which the tests'
// and the bench's servers serve). Vite replaces `import.meta.env.MODE` at build time, so in
// the production bundle every body below folds to `return` and the hook is not shipped.

export interface WallHook {
  readonly seq: number;
  readonly rev: number;
  readonly state: string;
  readonly lastUpdate: number | null;
  readonly sections: WallSections | null;
  readonly charts: Readonly<Record<string, EChartsType>>;
  option(name: string): unknown;
}

const charts: Record<string, EChartsType> = {};
let source: () => { seq: number; rev: number; state: string; lastUpdate: number | null; sections: WallSections | null } = () => ({
  seq: 0,
  rev: -1,
  state: 'connecting',
  lastUpdate: null,
  sections: null,
});

export function registerChart(name: string, chart: EChartsType): void {
  if (import.meta.env.MODE !== 'e2e') return;
  charts[name] = chart;
}

export function unregisterChart(name: string, chart: EChartsType | null): void {
  if (import.meta.env.MODE !== 'e2e') return;
  if (charts[name] === chart) delete charts[name];
}

export function setHookSource(fn: typeof source): void {
  if (import.meta.env.MODE !== 'e2e') return;
  source = fn;
}

export function installHook(): void {
  if (import.meta.env.MODE !== 'e2e') return;
  const hook: WallHook = Object.freeze({
    get seq() {
      return source().seq;
    },
    get rev() {
      return source().rev;
    },
    get state() {
      return source().state;
    },
    get lastUpdate() {
      return source().lastUpdate;
    },
    get sections() {
      const s = source().sections;
      return s ? (JSON.parse(JSON.stringify(s)) as WallSections) : null;
    },
    get charts() {
      return Object.freeze({ ...charts });
    },
    option(name: string) {
      const c = charts[name];
      return c && !c.isDisposed() ? c.getOption() : null;
    },
  });
  Object.defineProperty(window, '__wall', { value: hook, configurable: true, enumerable: false, writable: false });
}

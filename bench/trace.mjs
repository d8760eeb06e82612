// @ts-check
// What one update costs the page's main thread, from a Chrome trace: every top-level task on
// the renderer's main thread (script, style, layout, paint, the compositor commit) from the
// task that received the update until `windowMs` later. Frames, timers and chart redraws the
// update set off in later tasks are all counted, whichever frame they land in; so is anything
// else that ran meanwhile (the wall's one-second clock), which can only overstate the cost.

/**
 * @typedef {{ name: string, ph: string, ts: number, dur?: number, tdur?: number, pid: number, tid: number, args?: any }} TraceEvent
 * @typedef {{ busyMs: number, cpuMs: number, tasks: number, kinds: Record<string, number> }} UpdateCost
 */

/** Trace event names of main-thread work, grouped for the breakdown. */
const KINDS = /** @type {const} */ ({
  script: ['FunctionCall', 'FireAnimationFrame', 'TimerFire', 'EventDispatch', 'RunMicrotasks', 'V8.Execute', 'EvaluateScript'],
  style: ['UpdateLayoutTree', 'RecalculateStyles'],
  layout: ['Layout'],
  paint: ['PrePaint', 'Paint', 'Layerize', 'UpdateLayer', 'PaintImage', 'RasterTask'],
  commit: ['Commit'],
  gc: ['MinorGC', 'MajorGC'],
});

/** @type {Map<string, string>} */
const kindOf = new Map(Object.entries(KINDS).flatMap(([kind, names]) => names.map((n) => [n, kind])));

/** @param {TraceEvent[]} events */
function mainThread(events) {
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') return `${e.pid}:${e.tid}`;
  }
  throw new Error('no CrRendererMain thread in the trace');
}

/**
 * @param {TraceEvent[]} events the trace's traceEvents
 * @param {string} mark the performance.mark name set when an update arrives
 * @param {number} windowMs how long after its arrival an update's work is counted
 * @returns {UpdateCost[]} one per mark, in order
 */
export function updateCosts(events, mark, windowMs) {
  const main = mainThread(events);
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number');
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts);
  const inner = onMain.filter((e) => kindOf.has(e.name)).sort((a, b) => a.ts - b.ts || /** @type {number} */ (b.dur) - /** @type {number} */ (a.dur));
  const marks = events.filter((e) => e.name === mark && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b')).map((e) => e.ts).sort((a, b) => a - b);
  return marks.map((at) => {
    // The task that received the update started a little before the mark inside it.
    const holder = tasks.find((t) => t.ts <= at && at <= t.ts + /** @type {number} */ (t.dur));
    const from = holder ? holder.ts : at;
    const to = at + windowMs * 1000;
    /** @type {UpdateCost} */
    const cost = { busyMs: 0, cpuMs: 0, tasks: 0, kinds: Object.fromEntries(Object.keys(KINDS).map((k) => [k, 0])) };
    for (const t of tasks) {
      if (t.ts < from || t.ts >= to) continue;
      cost.tasks++;
      cost.busyMs += /** @type {number} */ (t.dur) / 1000;
      cost.cpuMs += (t.tdur ?? /** @type {number} */ (t.dur)) / 1000;
    }
    // Outermost events only: a forced layout inside a script counts as script, once.
    let coveredUntil = -Infinity;
    for (const e of inner) {
      if (e.ts < from || e.ts >= to || e.ts < coveredUntil) continue;
      const kind = kindOf.get(e.name);
      if (!kind) continue;
      cost.kinds[kind] += /** @type {number} */ (e.dur) / 1000;
      coveredUntil = e.ts + /** @type {number} */ (e.dur);
    }
    return cost;
  });
}

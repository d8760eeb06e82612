// @ts-check
// What one update costs the page's main thread, from a Chrome trace, two ways:
// - apply: the task that received the update and every task after it up to and including the
//   first rendering frame (style, layout, paint, layerize) that starts after it: the main
//   thread's work until the update is on screen, in wall time (`applyMs`) and in the thread's
//   CPU time (`applyCpuMs`: what the page itself spent, without the time another process on
//   the same cores took from it). `shownMs` is the same span in wall time, waits for the next
//   frame included.
// - cost (busyMs): every top-level task on the renderer's main thread from the receiving task
//   until `windowMs` later, or until the next update arrives. Frames, timers and chart redraws
//   the update set off in later tasks are all counted, whichever frame they land in; so is
//   anything else that ran meanwhile (the wall's one-second clock), which can only overstate it.

/**
 * @typedef {{ name: string, ph: string, ts: number, dur?: number, tdur?: number, pid: number, tid: number, args?: any }} TraceEvent
 * @typedef {{ busyMs: number, cpuMs: number, receiveMs: number, applyMs: number | null, applyCpuMs: number | null, shownMs: number | null, longestMs: number, tasks: number, kinds: Record<string, number> }} UpdateCost
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

/** Events only a rendering frame (Blink's BeginMainFrame) holds. */
const FRAME_EVENTS = new Set(['PrePaint', 'Paint', 'Layerize', 'Commit']);

/** @type {Map<string, string>} */
const kindOf = new Map(Object.entries(KINDS).flatMap(([kind, names]) => names.map((n) => [n, kind])));

/**
 * The outermost scheduler tasks of one thread, in order. Chrome names them `RunTask` or
 * `ThreadControllerImpl::RunTask` depending on the categories traced, sometimes one inside the
 * other: a task inside one already taken is not counted again.
 * @param {TraceEvent[]} onThread
 */
function topTasks(onThread) {
  const all = onThread
    .filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || /** @type {number} */ (b.dur) - /** @type {number} */ (a.dur));
  /** @type {TraceEvent[]} */
  const out = [];
  let until = -Infinity;
  for (const t of all) {
    if (t.ts < until) continue;
    out.push(t);
    until = t.ts + /** @type {number} */ (t.dur);
  }
  return out;
}

/** Trace times of a performance.mark, in order. @param {TraceEvent[]} events @param {string} mark */
function markTimes(events, mark) {
  return events
    .filter((e) => e.name === mark && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b'))
    .map((e) => e.ts)
    .sort((a, b) => a - b);
}

/**
 * The page's main thread: the one its marks were set on (a browser can have several renderer
 * main threads, a spare one among them), else the only CrRendererMain.
 * @param {TraceEvent[]} events @param {string} mark
 */
function mainThread(events, mark) {
  const marked = events.find((e) => e.name === mark && e.ph !== 'M');
  if (marked) return `${marked.pid}:${marked.tid}`;
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (mains.length !== 1) throw new Error(`no "${mark}" mark and ${mains.length} CrRendererMain threads in the trace`);
  return `${mains[0]?.pid}:${mains[0]?.tid}`;
}

/**
 * @param {TraceEvent[]} events the trace's traceEvents
 * @param {string} mark the performance.mark name set when an update arrives
 * @param {number} windowMs how long after its arrival an update's work is counted
 * @returns {UpdateCost[]} one per mark, in order
 */
export function updateCosts(events, mark, windowMs) {
  const main = mainThread(events, mark);
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number');
  const tasks = topTasks(onMain);
  const inner = onMain.filter((e) => kindOf.has(e.name)).sort((a, b) => a.ts - b.ts || /** @type {number} */ (b.dur) - /** @type {number} */ (a.dur));
  const holderOf = (/** @type {number} */ at) => tasks.find((t) => t.ts <= at && at <= t.ts + /** @type {number} */ (t.dur));
  const frameStarts = onMain
    .filter((e) => FRAME_EVENTS.has(e.name))
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const marks = markTimes(events, mark);
  return marks.map((at, i) => {
    // The task that received the update started a little before the mark inside it.
    const holder = holderOf(at);
    const from = holder ? holder.ts : at;
    // Until the next update arrives, if that is sooner: no task is charged to two updates.
    const next = marks[i + 1];
    const nextFrom = next === undefined ? Infinity : (holderOf(next)?.ts ?? next);
    const to = Math.min(at + windowMs * 1000, nextFrom);
    /** @type {UpdateCost} */
    const cost = {
      busyMs: 0,
      cpuMs: 0,
      receiveMs: holder ? /** @type {number} */ (holder.dur) / 1000 : 0,
      applyMs: null,
      applyCpuMs: null,
      shownMs: null,
      longestMs: 0,
      tasks: 0,
      kinds: Object.fromEntries(Object.keys(KINDS).map((k) => [k, 0])),
    };
    // The first frame after the receiving task ends draws the update. When the next update
    // comes first, this one waits for that frame too, and its apply time says so (the next
    // one's receiving task included); null when no frame starts within the window at all.
    const received = holder ? holder.ts + /** @type {number} */ (holder.dur) : at;
    const frameAt = frameStarts.find((ts) => ts >= received);
    const frame = frameAt !== undefined && frameAt < at + windowMs * 1000 ? holderOf(frameAt) : undefined;
    if (frame) {
      cost.applyMs = 0;
      cost.applyCpuMs = 0;
      for (const t of tasks) {
        if (t.ts < from || t.ts > frame.ts) continue;
        cost.applyMs += /** @type {number} */ (t.dur) / 1000;
        cost.applyCpuMs += (t.tdur ?? /** @type {number} */ (t.dur)) / 1000;
      }
      cost.shownMs = (frame.ts + /** @type {number} */ (frame.dur) - from) / 1000;
    }
    for (const t of tasks) {
      if (t.ts < from || t.ts >= to) continue;
      cost.tasks++;
      cost.busyMs += /** @type {number} */ (t.dur) / 1000;
      // The longest stretch the page could not start a frame: over 16 ms, the wall drops one.
      cost.longestMs = Math.max(cost.longestMs, /** @type {number} */ (t.dur) / 1000);
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

/**
 * Main-thread busy time between the first two occurrences of a mark (top-level tasks that start
 * in between), and the span itself.
 * @param {TraceEvent[]} events @param {string} mark
 * @returns {{ busyMs: number, spanMs: number }}
 */
export function busyBetween(events, mark) {
  const main = mainThread(events, mark);
  const marks = markTimes(events, mark);
  if (marks.length < 2) throw new Error(`the trace has ${marks.length} "${mark}" marks, not 2`);
  const [from, to] = /** @type {[number, number]} */ (marks);
  let busy = 0;
  for (const t of topTasks(events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X'))) {
    if (t.ts >= from && t.ts < to) busy += /** @type {number} */ (t.dur) / 1000;
  }
  return { busyMs: busy, spanMs: (to - from) / 1000 };
}

import { computed, ref, shallowRef } from 'vue';
import { DEFAULT_REFERENCE, ReferenceIndex, buildWallSections, changedSections, type ReferenceData, type ReplayEngine, type WallSections } from '@wall/shared';
import { fetchReference, UnauthorizedError } from '../lib/auth';
import type { LinkState } from '../lib/connection';
import { RecentIncidents, type RecentMarker } from '../lib/recent';
import { setHookSource } from '../wall/hook';
import type { WallStore } from '../wall/store';
import { RecomputeGate, VirtualClock } from './clock';
import { downloadEvents } from './download';
import { indexRange } from './engine';
import { FrameLoop, nextPaint } from './frame-loop';
import { installReplayHook, removeReplayHook, type ReplayHook, type ReplayPhase } from './hook';
import { clampSpeed, type ReplayParams } from './params';
import { reportZone } from '../lib/zone';
import type { OverdueMark } from './timeline';
import { writeReplayUrl } from './url';

export type { ReplayPhase } from './hook';

/** Least real time between two recomputations of the wall while playing (~10 per second). */
export const RECOMPUTE_MS = 100;
const SEEK_HISTORY = 200;

/**
 * A wall store driven by a replay instead of the socket: the stored events of the range are
 * downloaded once, folded by the shared projection (ReplayEngine, with checkpoints) and the
 * wall's sections computed at the virtual time with the same buildWallSections as live. It
 * talks to nobody but GET /api/reference and GET /api/events: no socket, no alarm, no write.
 * `stop()` leaves no frame, request or listener behind. The parts: downloadEvents (the range
 * from the server), indexRange (the engine and the scrubber's marks), FrameLoop (one frame at
 * a time while playing), writeReplayUrl (the address bar), the e2e hook (replay/hook.ts).
 */
export function createReplayStore(token: string, onUnauthorized: () => void, params: ReplayParams) {
  const zone = reportZone();

  // What WallView reads (the WallStore shape).
  const sections = shallowRef<WallSections | null>(null);
  const seq = ref(0);
  const rev = ref(-1);
  const link = ref<LinkState>('connecting');
  const lastUpdate = ref<number | null>(null);
  const now = ref(params.initial);
  const reference = shallowRef<ReferenceData>(DEFAULT_REFERENCE);
  const recent = new RecentIncidents();
  const recentList = shallowRef<readonly RecentMarker[]>([]);
  const names = computed(() => {
    const r = reference.value;
    return {
      center: new Map(r.centers.map((c) => [c.id, c])),
      district: new Map(r.districts.map((d) => [d.id, d.name])),
      unit: new Map(r.units.map((u) => [u.id, u.name])),
    };
  });

  // The replay's own state.
  const phase = ref<ReplayPhase>('loading');
  const error = ref('');
  const loadedEvents = ref(0);
  const loadedBytes = ref(0);
  /** 0..1: how far into the range the downloaded events reach. */
  const progress = ref(0);
  const playing = ref(false);
  const speed = ref(params.speed);
  const t = ref(params.initial);
  const histogram = shallowRef<number[]>([]);
  const marks = shallowRef<OverdueMark[]>([]);
  const lastSeekMs = ref<number | null>(null);
  const seeks: number[] = [];
  const frames: number[] = [];
  let loadMs: number | null = null;
  let indexMs: number | null = null;
  let recomputes = 0;

  const clock = new VirtualClock(params.start, params.end, params.initial, params.speed);
  const gate = new RecomputeGate(RECOMPUTE_MS);
  let engine: ReplayEngine | null = null;
  let refIndex = new ReferenceIndex(DEFAULT_REFERENCE);
  const loop = new FrameLoop(onFrame);
  let pending: number | null = null;
  let abort: AbortController | null = null;
  let stopped = true;

  /** Moves the wall to virtual time `at`; a jump (not a frame of playing) is timed as a seek. */
  function compute(at: number, jump: boolean): void {
    if (!engine) return;
    const t0 = performance.now();
    const next = buildWallSections(engine.seek(at), at, refIndex, zone);
    const ms = performance.now() - t0;
    const list = jump ? seeks : frames;
    list.push(ms);
    if (list.length > SEEK_HISTORY) list.shift();
    if (jump) lastSeekMs.value = ms;
    recomputes++;
    // Unchanged sections keep their identity (as the live wall's deltas do), so the panels
    // showing them are not re-rendered: at 1x most of the wall stays as it is.
    const prev = sections.value;
    const changed = prev ? changedSections(prev, next) : next;
    if (!prev) sections.value = next;
    else if (Object.keys(changed).length) sections.value = { ...prev, ...changed };
    now.value = at;
    t.value = at;
    lastUpdate.value = at;
    seq.value = engine.applied;
    rev.value++;
    if (recent.update(sections.value!.ticker, at)) recentList.value = [...recent.list()];
  }

  function onFrame(): void {
    if (stopped || !engine) return;
    const real = performance.now();
    let force = false;
    if (pending !== null) {
      clock.seek(pending, real);
      pending = null;
      force = true;
      // Markers of a jump would be stale: start them afresh at the new moment.
      recent.clear();
      recentList.value = [];
    }
    const at = clock.at(real);
    const ended = clock.playing && clock.ended(real);
    if (ended) {
      clock.pause(real);
      playing.value = false;
    }
    if (gate.due(real, force || ended) && (force || ended || at !== t.value)) compute(at, force);
    if (clock.playing) schedule();
  }

  function schedule(): void {
    if (!stopped) loop.schedule();
  }

  function writeUrl(): void {
    writeReplayUrl(pending ?? clock.at(performance.now()), clock.speed);
  }

  async function load(): Promise<void> {
    abort = new AbortController();
    const signal = abort.signal;
    const started = performance.now();
    try {
      const data = await fetchReference(token, signal);
      reference.value = data;
      refIndex = new ReferenceIndex(data);
      const events = await downloadEvents(token, params, zone, signal, (p) => {
        loadedEvents.value = p.events;
        loadedBytes.value = p.bytes;
        progress.value = p.reach;
      });
      if (stopped) return;
      loadMs = performance.now() - started;
      progress.value = 1;
      phase.value = 'indexing';
      await nextPaint();
      if (stopped) return;
      const t0 = performance.now();
      const indexed = indexRange(events, refIndex, zone, params);
      histogram.value = indexed.histogram;
      marks.value = indexed.marks;
      indexMs = performance.now() - t0;
      engine = indexed.engine;
      phase.value = 'ready';
      link.value = 'live';
      pending = clock.at(performance.now());
      onFrame();
      if (params.play) play();
    } catch (err) {
      if (stopped || (err as Error).name === 'AbortError') return;
      if (err instanceof UnauthorizedError) {
        onUnauthorized();
        return;
      }
      phase.value = 'error';
      error.value = (err as Error).message || String(err);
    }
  }

  function play(): void {
    if (!engine || clock.playing) return;
    if (pending !== null) {
      clock.seek(pending, performance.now());
      pending = null;
    }
    clock.play(performance.now());
    playing.value = true;
    schedule();
  }

  function pause(): void {
    if (!clock.playing) return;
    clock.pause(performance.now());
    playing.value = false;
    if (pending === null) compute(clock.at(performance.now()), false);
    writeUrl();
  }

  const hook: ReplayHook = {
    get phase() {
      return phase.value;
    },
    get t() {
      return t.value;
    },
    start: params.start,
    end: params.end,
    get playing() {
      return playing.value;
    },
    get speed() {
      return speed.value;
    },
    get events() {
      return engine?.size ?? 0;
    },
    get applied() {
      return engine?.applied ?? 0;
    },
    get seeks() {
      return [...seeks];
    },
    get frames() {
      return [...frames];
    },
    get loadMs() {
      return loadMs;
    },
    get indexMs() {
      return indexMs;
    },
    get recomputes() {
      return recomputes;
    },
  };

  const bindHook = () => setHookSource(() => ({ seq: seq.value, rev: rev.value, state: 'replay', lastUpdate: lastUpdate.value, sections: sections.value }));
  const store = {
    // A replay is never stale and reports no screen: it talks to no socket.
    silent: ref(false),
    bindHook,
    report(): void {},
    sections,
    seq,
    rev,
    link,
    lastUpdate,
    now,
    reference,
    names,
    recent: recentList,
    start(): void {
      if (!stopped) return;
      stopped = false;
      bindHook();
      installReplayHook(hook);
      void load();
    },
    stop(): void {
      stopped = true;
      abort?.abort();
      abort = null;
      loop.cancel();
      clock.pause(performance.now());
      playing.value = false;
      recent.clear();
      removeReplayHook();
    },
  } satisfies WallStore;

  return {
    ...store,
    params,
    phase,
    error,
    loadedEvents,
    loadedBytes,
    progress,
    playing,
    speed,
    t,
    histogram,
    marks,
    lastSeekMs,
    play,
    pause,
    toggle(): void {
      if (clock.playing) pause();
      else play();
    },
    /** Jumps to virtual time `at` (applied on the next frame; many calls in a frame cost one seek). */
    seek(at: number): void {
      pending = Math.min(params.end, Math.max(params.start, at));
      schedule();
    },
    step(delta: number): void {
      const from = pending ?? clock.at(performance.now());
      pending = Math.min(params.end, Math.max(params.start, from + delta));
      schedule();
      if (!clock.playing) writeUrl();
    },
    setSpeed(s: number): void {
      const v = clampSpeed(s);
      clock.setSpeed(v, performance.now());
      speed.value = v;
      writeUrl();
    },
    /** Puts the current moment into the address bar (`at`, `speed`), for a link to it. */
    writeUrl,
  };
}

export type ReplayStore = ReturnType<typeof createReplayStore>;

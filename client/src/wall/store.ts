import { computed, ref, shallowRef, triggerRef } from 'vue';
import { io, type Socket } from 'socket.io-client';
import {
  DEFAULT_REFERENCE,
  WALL_NAMESPACE,
  type ClientToServerEvents,
  type ReferenceData,
  type ServerToClientEvents,
  type WallScreenReport,
  type WallSections,
} from '@wall/shared';
import { fetchReference, UnauthorizedError } from '../lib/auth';
import { WallConnection, type LinkState } from '../lib/connection';
import { RecentIncidents } from '../lib/recent';
import { setHookSource } from './hook';

export const PRUNE_EVERY_MS = 5_000;
const REFERENCE_RETRY_MS = 30_000;
/** The server beats every 5 s: this long without a word and the wall says its data may be old. */
export const DEFAULT_STALE_AFTER_MS = 30_000;
/** Least time between two reports of this screen to the server (it reports after heartbeats). */
const REPORT_EVERY_MS = 4_000;

export interface WallStoreOptions {
  /** No snapshot, delta or heartbeat for this long while connected: the stale-data banner. */
  staleAfterMs?: number;
  /** What this screen tells the server about itself (the admins' list of live screens). */
  screen?: () => Omit<WallScreenReport, 'seq'>;
}

/**
 * The wall's live state: sections from the socket, names from /api/reference, a server-aligned
 * clock ticking each second (paused while the page is hidden), and the short-lived markers of
 * new incidents. `stop()` leaves no socket, timer or listener behind.
 */
export function createWallStore(token: string, onUnauthorized: () => void, url = '', options: WallStoreOptions = {}) {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const sections = shallowRef<WallSections | null>(null);
  const seq = ref(0);
  const rev = ref(-1);
  const link = ref<LinkState>('connecting');
  /** Server time of the last data received. */
  const lastUpdate = ref<number | null>(null);
  /** Server clock minus ours. */
  let skew = 0;
  const now = ref(Date.now());
  const reference = shallowRef<ReferenceData>(DEFAULT_REFERENCE);
  const recent = new RecentIncidents();
  const recentList = shallowRef(recent.list());
  /** Connected, but nothing heard for staleAfterMs: the numbers may be old without the link saying so. */
  const silent = ref(false);
  let lastContact = Date.now();
  let lastReport = 0;

  let tickTimer = 0;
  let refTimer = 0;
  let refAbort: AbortController | null = null;
  let lastPrune = 0;
  let stopped = false;

  const serverNow = () => Date.now() + skew;

  const tick = () => {
    tickTimer = 0;
    if (stopped || document.visibilityState === 'hidden') return;
    now.value = serverNow();
    const quiet = link.value === 'live' && Date.now() - lastContact > staleAfterMs;
    if (quiet !== silent.value) silent.value = quiet;
    if (now.value - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.value;
      // A marker's fade step or its end: a new list, so the map redraws its markers.
      if (recent.prune(now.value)) recentList.value = [...recent.list()];
    }
    // Aligned to the next whole second of the (server) clock.
    tickTimer = window.setTimeout(tick, 1000 - (now.value % 1000) + 5);
  };
  const onVisibility = () => {
    if (document.visibilityState !== 'hidden' && !tickTimer) tick();
  };

  const loadReference = async () => {
    if (stopped) return;
    window.clearTimeout(refTimer);
    refAbort?.abort();
    refAbort = new AbortController();
    try {
      reference.value = await fetchReference(token, refAbort.signal);
    } catch (e) {
      if (stopped || (e as Error).name === 'AbortError') return;
      if (e instanceof UnauthorizedError) {
        onUnauthorized();
        return;
      }
      refTimer = window.setTimeout(() => void loadReference(), REFERENCE_RETRY_MS);
    }
  };

  const connection = new WallConnection(
    () =>
      io(`${url}${WALL_NAMESPACE}`, {
        auth: { token },
        autoConnect: false,
        reconnection: true,
        reconnectionDelay: 1000,
        reconnectionDelayMax: 15_000,
        randomizationFactor: 0.5,
        timeout: 10_000,
      }) as Socket<ServerToClientEvents, ClientToServerEvents>,
    {
      onData(view, kind) {
        // A delta is stamped as the server sends it: its time is the server clock. A snapshot
        // is the view last pushed, stamped when it was computed (long ago on a quiet wall): it
        // only says the server clock is at least that far, so it can only move ours forward.
        const offset = view.at - Date.now();
        if (kind === 'delta' || offset > skew) skew = offset;
        sections.value = view.sections;
        seq.value = view.seq;
        rev.value = view.rev;
        lastUpdate.value = view.at;
        now.value = serverNow();
        const ticker = view.sections?.ticker;
        if (ticker && recent.update(ticker, view.at)) recentList.value = [...recent.list()];
        if (kind === 'snapshot') {
          triggerRef(sections);
          report();
        }
      },
      onState(state) {
        const wasLive = link.value === 'live';
        link.value = state;
        // After a reconnect the reference data may have been edited meanwhile.
        if (state === 'live' && !wasLive && lastUpdate.value !== null) void loadReference();
      },
      onUnauthorized,
      onContact() {
        lastContact = Date.now();
        if (silent.value) silent.value = false;
        if (options.screen && lastContact - lastReport >= REPORT_EVERY_MS) report();
      },
    },
    { setTimeout: (fn, ms) => window.setTimeout(fn, ms), clearTimeout: (h) => window.clearTimeout(h as number), now: Date.now, random: Math.random },
  );

  function report(): void {
    if (!options.screen) return;
    lastReport = Date.now();
    // After the data of this contact is applied (onContact comes first for a delta).
    queueMicrotask(() => connection.report({ ...options.screen!(), seq: seq.value }));
  }

  const names = computed(() => {
    const r = reference.value;
    return {
      center: new Map(r.centers.map((c) => [c.id, c])),
      district: new Map(r.districts.map((d) => [d.id, d.name])),
      unit: new Map(r.units.map((u) => [u.id, u.name])),
    };
  });

  const bindHook = () => setHookSource(() => ({ seq: seq.value, rev: rev.value, state: link.value, lastUpdate: lastUpdate.value, sections: sections.value }));
  bindHook();

  return {
    sections,
    seq,
    rev,
    link,
    lastUpdate,
    now,
    reference,
    names,
    recent: recentList,
    silent,
    /** Makes window.__wall read this store again (after another view, e.g. a replay, took it). */
    bindHook,
    /** Reports this screen to the server now (its view changed). */
    report,
    start() {
      stopped = false;
      connection.start();
      void loadReference();
      document.addEventListener('visibilitychange', onVisibility);
      tick();
    },
    stop() {
      stopped = true;
      connection.stop();
      refAbort?.abort();
      window.clearTimeout(refTimer);
      window.clearTimeout(tickTimer);
      tickTimer = 0;
      document.removeEventListener('visibilitychange', onVisibility);
      recent.clear();
    },
  };
}

export type WallStore = ReturnType<typeof createWallStore>;

import { ref, shallowRef } from 'vue';
import { DEFAULT_REFERENCE, type Alarm, type ReferenceData, type Roster } from '@wall/shared';
import { fetchReference } from '../lib/auth';
import { fetchHistory, fetchRoster } from './api';
import type { Session } from './session';
import { shiftStart } from './time';

const HISTORY_EVERY_MS = 60_000;
const HISTORY_DEBOUNCE_MS = 1_000;
const ROSTER_EVERY_MS = 10 * 60_000;
const RETRY_MS = 15_000;

/** The shift's alarm history (本班记录): reloaded every minute, and soon after any change. */
export function createHistory(session: Session, token: string) {
  const rows = shallowRef<Alarm[]>([]);
  const error = ref('');
  const loaded = ref(false);
  let every = 0;
  let soon = 0;

  async function load(): Promise<void> {
    session.clear(every);
    session.clear(soon);
    soon = 0;
    if (session.stopped) return;
    try {
      const got = await session.guarded((signal) => fetchHistory(token, shiftStart(Date.now()), signal));
      if (got) {
        rows.value = got;
        error.value = '';
        loaded.value = true;
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') error.value = `值班记录加载失败：${(e as Error).message}`;
    }
    every = session.later(() => void load(), HISTORY_EVERY_MS);
  }

  /** A change arrived: reload once the burst is over. */
  function soonAfterChange(): void {
    if (!soon && !session.stopped) soon = session.later(() => void load(), HISTORY_DEBOUNCE_MS);
  }

  return { rows, error, loaded, load, soonAfterChange };
}

/** The roster, for the duty badge: every ten minutes, sooner while it has never loaded. */
export function createRosterLoader(session: Session, token: string) {
  const roster = shallowRef<Roster | null>(null);
  let timer = 0;
  async function load(): Promise<void> {
    session.clear(timer);
    if (session.stopped) return;
    try {
      const r = await session.guarded((signal) => fetchRoster(token, signal));
      if (r) roster.value = r;
    } catch {
      /* the badge waits for the next try */
    }
    timer = session.later(() => void load(), roster.value ? ROSTER_EVERY_MS : RETRY_MS);
  }
  return { roster, load };
}

/** Unit and center names: the built-in reference until the server's loads. */
export function createReferenceLoader(session: Session, token: string) {
  const reference = shallowRef<ReferenceData>(DEFAULT_REFERENCE);
  let timer = 0;
  async function load(): Promise<void> {
    session.clear(timer);
    if (session.stopped) return;
    try {
      const r = await session.guarded((signal) => fetchReference(token, signal));
      if (r) reference.value = r;
    } catch (e) {
      if ((e as Error).name !== 'AbortError') timer = session.later(() => void load(), RETRY_MS);
    }
  }
  return { reference, load };
}

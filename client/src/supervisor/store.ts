import { computed, ref, shallowRef } from 'vue';
import { io } from 'socket.io-client';
import { DEFAULT_REFERENCE, LIMIT_LABELS, SUPERVISOR_NAMESPACE, type Alarm, type AlarmChange, type ReferenceData, type Roster } from '@wall/shared';
import { fetchReference, UnauthorizedError } from '../lib/auth';
import type { LinkState, SocketLike } from '../lib/connection';
import { applyAlarm, applyChange, EMPTY, fromSnapshot, newlyAddressed, sortedAlarms, type OpenAlarms } from './alarm-list';
import { Alerter } from './alert';
import { acknowledge, fetchHistory, fetchRoster } from './api';
import { SupervisorConnection } from './connection';
import { addPopup, dropPopupAlarms, popupTitle, updatePopupAlarm, type PopupGroup } from './popups';
import { dutyToday, formatTime, shiftStart, tokenSubject } from './time';

const HISTORY_EVERY_MS = 60_000;
const HISTORY_DEBOUNCE_MS = 1_000;
const ROSTER_EVERY_MS = 10 * 60_000;
const RETRY_MS = 15_000;
/** A joining alarm beeps again at most this often (a flood must not become a siren). */
const JOIN_BEEP_EVERY_MS = 5_000;

/**
 * The console's state: open alarms from the socket, popups with flood control, the shift's
 * history, names and the roster. `stop()` leaves no socket, timer or listener behind.
 */
export function createSupervisorStore(token: string, handlers: { onUnauthorized(): void; onForbidden(): void }) {
  const user = tokenSubject(token);
  const open = shallowRef<OpenAlarms>(EMPTY);
  const popups = shallowRef<PopupGroup[]>([]);
  const link = ref<LinkState>('connecting');
  const now = ref(Date.now());
  const reference = shallowRef<ReferenceData>(DEFAULT_REFERENCE);
  const roster = shallowRef<Roster | null>(null);
  const history = shallowRef<Alarm[]>([]);
  const historyError = ref('');
  const historyLoaded = ref(false);
  const alerter = new Alerter();
  const unlocked = ref(false);
  const notification = ref(alerter.notificationPermission);

  let stopped = false;
  let first = true;
  let tickTimer = 0;
  let historyTimer = 0;
  let historySoon = 0;
  let rosterTimer = 0;
  let refTimer = 0;
  let lastJoinBeep = 0;
  const aborts = new Set<AbortController>();

  const names = computed(() => {
    const r = reference.value;
    return {
      unit: new Map(r.units.map((u) => [u.id, u.name])),
      center: new Map(r.centers.map((c) => [c.id, c.name])),
    };
  });
  const unitName = (id: string) => names.value.unit.get(id) ?? id;
  const centerName = (id: string | null) => (id === null ? '—' : (names.value.center.get(id) ?? id));
  const limitName = (l: string) => LIMIT_LABELS[l as keyof typeof LIMIT_LABELS] ?? l;
  const list = computed(() => sortedAlarms(open.value));
  const duty = computed(() => dutyToday(roster.value, now.value));

  const guarded = async <T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> => {
    const abort = new AbortController();
    aborts.add(abort);
    try {
      return await fn(abort.signal);
    } catch (e) {
      if (e instanceof UnauthorizedError && !stopped) {
        stop();
        handlers.onUnauthorized();
        return undefined;
      }
      throw e;
    } finally {
      aborts.delete(abort);
    }
  };

  const tick = () => {
    tickTimer = 0;
    if (stopped) return;
    now.value = Date.now();
    tickTimer = window.setTimeout(tick, 1000 - (now.value % 1000) + 5);
  };

  const loadHistory = async () => {
    window.clearTimeout(historyTimer);
    window.clearTimeout(historySoon);
    historySoon = 0;
    if (stopped) return;
    try {
      const rows = await guarded((signal) => fetchHistory(token, shiftStart(Date.now()), signal));
      if (rows) {
        history.value = rows;
        historyError.value = '';
        historyLoaded.value = true;
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') historyError.value = `值班记录加载失败：${(e as Error).message}`;
    }
    if (!stopped) historyTimer = window.setTimeout(() => void loadHistory(), HISTORY_EVERY_MS);
  };
  const historyLater = () => {
    if (!historySoon && !stopped) historySoon = window.setTimeout(() => void loadHistory(), HISTORY_DEBOUNCE_MS);
  };

  const loadRoster = async () => {
    window.clearTimeout(rosterTimer);
    if (stopped) return;
    try {
      const r = await guarded((signal) => fetchRoster(token, signal));
      if (r) roster.value = r;
    } catch {
      /* the badge waits for the next try */
    }
    if (!stopped) rosterTimer = window.setTimeout(() => void loadRoster(), roster.value ? ROSTER_EVERY_MS : RETRY_MS);
  };

  const loadReference = async () => {
    window.clearTimeout(refTimer);
    if (stopped) return;
    try {
      const r = await guarded((signal) => fetchReference(token, signal));
      if (r) reference.value = r;
    } catch (e) {
      if (!stopped && (e as Error).name !== 'AbortError') refTimer = window.setTimeout(() => void loadReference(), RETRY_MS);
    }
  };

  /** A popup for an alarm addressed to us: sound and a notification where allowed. */
  const pop = (alarm: Alarm) => {
    const before = popups.value;
    const after = addPopup(before, alarm, Date.now());
    popups.value = after;
    const group = after.find((g) => g.alarms.some((a) => a.id === alarm.id));
    if (!group) return;
    const joined = before.some((g) => g.key === group.key);
    const t = Date.now();
    if (!joined) alerter.beep(2);
    else if (t - lastJoinBeep >= JOIN_BEEP_EVERY_MS) alerter.beep(1);
    if (joined) lastJoinBeep = t;
    const a = group.alarms[0]!;
    const body = `${centerName(a.center)} · 应于 ${formatTime(a.dueAt)} ${limitName(a.limit)}${group.alarms.length > 1 ? ` 等 ${group.alarms.length} 条` : ''}，请督促处置`;
    // One notification per popup: a joining alarm replaces it (same tag) with the new count.
    alerter.notify(`逾期告警：${popupTitle(group, unitName, limitName)}`, body, group.key);
  };

  const onChange = (change: AlarmChange & { popup: boolean }) => {
    open.value = applyChange(open.value, change);
    const a = change.alarm;
    if (a.resolvedAt !== null || a.acknowledgedBy !== null) popups.value = dropPopupAlarms(popups.value, [a.id]);
    else if (change.popup) pop(a);
    else popups.value = updatePopupAlarm(popups.value, a);
    historyLater();
  };

  const onAlarms = (alarms: Alarm[]) => {
    const before = open.value;
    const after = fromSnapshot(alarms);
    open.value = after;
    // Alarms still in a popup that were handled meanwhile (acknowledged or resolved) leave it.
    const handled = popups.value.flatMap((g) => g.alarms).filter((a) => !after.has(a.id) || after.get(a.id)!.acknowledgedBy !== null);
    popups.value = dropPopupAlarms(popups.value, handled.map((a) => a.id));
    // After a reconnect: what was raised to us while the link was down pops up now.
    if (!first) for (const a of newlyAddressed(before, after, user)) pop(a);
    first = false;
    historyLater();
  };

  const connection = new SupervisorConnection(
    () =>
      io(SUPERVISOR_NAMESPACE, {
        auth: { token },
        autoConnect: false,
        reconnection: true,
        reconnectionDelay: 1000,
        reconnectionDelayMax: 15_000,
        randomizationFactor: 0.5,
        timeout: 10_000,
      }) as unknown as SocketLike,
    {
      onAlarms,
      onChange,
      onState(state) {
        const wasLive = link.value === 'live';
        link.value = state;
        if (state === 'live' && !wasLive && historyLoaded.value) {
          void loadRoster();
          void loadReference();
        }
      },
      onUnauthorized() {
        stop();
        handlers.onUnauthorized();
      },
      onForbidden() {
        stop();
        handlers.onForbidden();
      },
    },
    { setTimeout: (fn, ms) => window.setTimeout(fn, ms), clearTimeout: (h) => window.clearTimeout(h as number), now: Date.now, random: Math.random },
  );

  async function unlock(): Promise<void> {
    const r = await alerter.unlock();
    unlocked.value = true;
    notification.value = r.notification;
  }

  /** Acknowledges every alarm given (a popup's group, or one row) with the note. */
  async function ack(alarms: Alarm[], note: string): Promise<void> {
    const errors: string[] = [];
    const done: string[] = [];
    for (const a of alarms) {
      try {
        const updated = await guarded(() => acknowledge(token, a.id, note));
        if (!updated) return;
        open.value = applyAlarm(open.value, updated);
        done.push(a.id);
      } catch (e) {
        errors.push(`${unitName(a.unit)} ${limitName(a.limit)}：${(e as Error).message}`);
      }
    }
    popups.value = dropPopupAlarms(popups.value, done);
    void loadHistory();
    if (errors.length) throw new Error(errors.join('\n'));
  }

  /** Closes a popup without acknowledging (the alarms stay in the list, unacknowledged). */
  function dismiss(key: string): void {
    popups.value = popups.value.filter((g) => g.key !== key);
  }

  function start(): void {
    tick();
    void loadReference();
    void loadRoster();
    void loadHistory();
    connection.start();
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    connection.stop();
    for (const t of [tickTimer, historyTimer, historySoon, rosterTimer, refTimer]) window.clearTimeout(t);
    for (const a of aborts) a.abort();
    aborts.clear();
    alerter.close();
  }

  return {
    user,
    open,
    list,
    popups,
    link,
    now,
    reference,
    roster,
    duty,
    history,
    historyError,
    unlocked,
    notification,
    unitName,
    centerName,
    limitName,
    start,
    stop,
    unlock,
    ack,
    dismiss,
    reloadHistory: loadHistory,
  };
}

export type SupervisorStore = ReturnType<typeof createSupervisorStore>;

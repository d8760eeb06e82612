import { computed, ref, shallowRef } from 'vue';
import { io } from 'socket.io-client';
import { SUPERVISOR_NAMESPACE, type Alarm, type AlarmChange, type WarningItem } from '@wall/shared';
import type { LinkState, SocketLike } from '../lib/connection';
import { applyAlarm, applyChange, EMPTY, fromSnapshot, newlyAddressed, sortedAlarms, type OpenAlarms } from './alarm-list';
import { acknowledge } from './api';
import { SupervisorConnection } from './connection';
import { createHistory, createReferenceLoader, createRosterLoader } from './loaders';
import { createNames } from './names';
import { createPopupAlerts } from './popup-alerts';
import { createSession } from './session';
import { dutyToday, tokenSubject } from './time';

/**
 * The console's state, composed of its parts: the session (timers, requests, 401), the open
 * alarms from the socket, the popups and their alerts, the shift's history, the roster and the
 * names. `stop()` leaves no socket, timer or listener behind.
 */
export function createSupervisorStore(token: string, handlers: { onUnauthorized(): void; onForbidden(): void }) {
  const user = tokenSubject(token);
  const session = createSession(() => handlers.onUnauthorized());
  const { reference, load: loadReference } = createReferenceLoader(session, token);
  const { roster, load: loadRoster } = createRosterLoader(session, token);
  const history = createHistory(session, token);
  const names = createNames(reference);
  const alerts = createPopupAlerts(names);
  const open = shallowRef<OpenAlarms>(EMPTY);
  /** 预警: pending limits past their share, soonest due first; yellow, never a popup. */
  const prewarnings = shallowRef<WarningItem[]>([]);
  const link = ref<LinkState>('connecting');
  const now = ref(Date.now());
  let first = true;

  const list = computed(() => sortedAlarms(open.value));
  const duty = computed(() => dutyToday(roster.value, now.value));

  const tick = () => {
    now.value = Date.now();
    session.later(tick, 1000 - (now.value % 1000) + 5);
  };

  const onChange = (change: AlarmChange & { popup: boolean }) => {
    open.value = applyChange(open.value, change);
    const a = change.alarm;
    if (a.resolvedAt !== null || a.acknowledgedBy !== null) alerts.drop([a.id]);
    else if (change.popup) alerts.pop(a);
    else alerts.update(a);
    history.soonAfterChange();
  };

  const onAlarms = (alarms: Alarm[]) => {
    const before = open.value;
    const after = fromSnapshot(alarms);
    open.value = after;
    // Alarms still in a popup that were handled meanwhile (acknowledged or resolved) leave it.
    const handled = alerts.popups.value.flatMap((g) => g.alarms).filter((a) => !after.has(a.id) || after.get(a.id)!.acknowledgedBy !== null);
    alerts.drop(handled.map((a) => a.id));
    // Spoken alarms handled while the link was down stop too (their popup may be closed).
    alerts.drop([...before.keys()].filter((id) => !after.has(id) || after.get(id)!.acknowledgedBy !== null));
    // After a reconnect: what was raised to us while the link was down pops up now.
    if (!first) for (const a of newlyAddressed(before, after, user)) alerts.pop(a);
    first = false;
    history.soonAfterChange();
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
      onPrewarnings: (items) => (prewarnings.value = items),
      onState(state) {
        const wasLive = link.value === 'live';
        link.value = state;
        if (state === 'live' && !wasLive && history.loaded.value) {
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
  session.onStop(() => {
    connection.stop();
    alerts.close();
  });

  /** Acknowledges every alarm given (a popup's group, or one row) with the note. */
  async function ack(alarms: Alarm[], note: string): Promise<void> {
    const errors: string[] = [];
    const done: string[] = [];
    for (const a of alarms) {
      try {
        const updated = await session.guarded(() => acknowledge(token, a.id, note));
        if (!updated) return;
        open.value = applyAlarm(open.value, updated);
        done.push(a.id);
      } catch (e) {
        errors.push(`${names.unitName(a.unit)} ${names.limitName(a.limit)}：${(e as Error).message}`);
      }
    }
    alerts.drop(done);
    void history.load();
    if (errors.length) throw new Error(errors.join('\n'));
  }

  function start(): void {
    tick();
    void loadReference();
    void loadRoster();
    void history.load();
    connection.start();
  }

  function stop(): void {
    session.stop();
  }

  return {
    user,
    open,
    list,
    prewarnings,
    popups: alerts.popups,
    link,
    now,
    reference,
    roster,
    duty,
    history: history.rows,
    historyError: history.error,
    unlocked: alerts.unlocked,
    notification: alerts.notification,
    voice: alerts.voice,
    ...names,
    start,
    stop,
    unlock: alerts.unlock,
    ack,
    dismiss: alerts.dismiss,
    reloadHistory: history.load,
  };
}

export type SupervisorStore = ReturnType<typeof createSupervisorStore>;

import { ref, shallowRef } from 'vue';
import type { Alarm } from '@wall/shared';
import { Alerter } from './alert';
import { Announcer, alarmSpeech, repeatFromUrl, type VoiceMode } from '../lib/voice';
import type { Names } from './names';
import { addPopup, dropPopupAlarms, popupTitle, updatePopupAlarm, type PopupGroup } from './popups';
import { formatTime } from './time';

/** A joining alarm beeps again at most this often (a flood must not become a siren). */
const JOIN_BEEP_EVERY_MS = 5_000;

/**
 * The popups addressed to this user, with flood control, and how they get attention once the
 * user's click has unlocked them: a tone, a desktop notification, and the alarm spoken in
 * Chinese (repeated until acknowledged or resolved).
 */
export function createPopupAlerts(names: Names) {
  const popups = shallowRef<PopupGroup[]>([]);
  const alerter = new Alerter();
  const unlocked = ref(false);
  const notification = ref(alerter.notificationPermission);
  const voice = ref<VoiceMode>('off');
  const announcer = new Announcer(
    repeatFromUrl(location.search),
    () => alerter.beep(1),
    (mode) => (voice.value = mode),
  );
  let lastJoinBeep = 0;

  function pop(alarm: Alarm): void {
    const before = popups.value;
    const after = addPopup(before, alarm, Date.now());
    popups.value = after;
    const group = after.find((g) => g.alarms.some((a) => a.id === alarm.id));
    if (!group) return;
    const joined = before.some((g) => g.key === group.key);
    // Spoken until acknowledged or resolved, even if the popup is closed meanwhile.
    announcer.announce(alarm.id, alarmSpeech(names.unitName(alarm.unit), names.limitName(alarm.limit)));
    const t = Date.now();
    if (!joined) alerter.beep(2);
    else if (t - lastJoinBeep >= JOIN_BEEP_EVERY_MS) alerter.beep(1);
    if (joined) lastJoinBeep = t;
    const a = group.alarms[0]!;
    const body = `${names.centerName(a.center)} · 应于 ${formatTime(a.dueAt)} ${names.limitName(a.limit)}${group.alarms.length > 1 ? ` 等 ${group.alarms.length} 条` : ''}，请督促处置`;
    // One notification per popup: a joining alarm replaces it (same tag) with the new count.
    alerter.notify(`逾期告警：${popupTitle(group, names.unitName, names.limitName)}`, body, group.key);
  }

  /** An alarm handled elsewhere (acknowledged, resolved) leaves its popup. */
  function drop(ids: string[]): void {
    popups.value = dropPopupAlarms(popups.value, ids);
    for (const id of ids) announcer.stop(id);
  }

  function update(alarm: Alarm): void {
    popups.value = updatePopupAlarm(popups.value, alarm);
  }

  /** Closes a popup without acknowledging (the alarms stay in the list, unacknowledged). */
  function dismiss(key: string): void {
    popups.value = popups.value.filter((g) => g.key !== key);
  }

  async function unlock(): Promise<void> {
    // Before any await: speech, like audio, needs the click's user activation.
    announcer.unlock();
    const r = await alerter.unlock();
    unlocked.value = true;
    notification.value = r.notification;
  }

  function close(): void {
    announcer.close();
    alerter.close();
  }

  return { popups, unlocked, notification, voice, pop, drop, update, dismiss, unlock, close };
}

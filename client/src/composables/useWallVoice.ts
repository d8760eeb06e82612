import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { OverdueItem } from '@wall/shared';
import { Alerter } from '../supervisor/alert';
import { Announcer, alarmSpeech, repeatFromUrl, type VoiceMode } from '../lib/voice';
import { limitLabel } from '../lib/format';

/**
 * The wall's opt-in voice (`?voice=1`): after the unlocking click, every overdue item that
 * appears is spoken, and again every `?voiceEvery` seconds until acknowledged or resolved.
 */
export function useWallVoice(items: Ref<readonly OverdueItem[]>, unitName: (id: string) => string, enabled: boolean) {
  const mode = ref<VoiceMode>('off');
  if (!enabled) return { mode, unlock: () => undefined };
  const alerter = new Alerter();
  const announcer = new Announcer(
    repeatFromUrl(location.search),
    () => alerter.beep(1),
    (m) => (mode.value = m),
  );
  const known = new Set<string>();
  const key = (i: OverdueItem) => `${i.order}/${i.limit}`;

  function unlock(): void {
    announcer.unlock();
    void alerter.unlock();
    // What is already on the wall is known; what turns red from now on is spoken.
    for (const i of items.value) known.add(key(i));
  }

  const stopWatch = watch(items, (list) => {
    if (mode.value === 'off') return;
    const open = new Set<string>();
    for (const i of list) {
      const k = key(i);
      if (i.acknowledgedBy !== null) continue;
      open.add(k);
      if (known.has(k)) continue;
      known.add(k);
      announcer.announce(k, alarmSpeech(unitName(i.unit), limitLabel(i.limit)));
    }
    announcer.retain(open);
    // Forget what left the list, so the memory stays as small as the list.
    for (const k of [...known]) if (!list.some((i) => key(i) === k)) known.delete(k);
  });

  onBeforeUnmount(() => {
    stopWatch();
    announcer.close();
    alerter.close();
  });
  return { mode, unlock };
}

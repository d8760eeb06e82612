import { onBeforeUnmount, onMounted } from 'vue';

/** Hides the mouse cursor after `idleMs` without movement (kiosk). */
export function useIdleCursor(idleMs = 3000) {
  let timer = 0;
  const hide = () => document.documentElement.classList.add('cursor-idle');
  const onMove = () => {
    document.documentElement.classList.remove('cursor-idle');
    window.clearTimeout(timer);
    timer = window.setTimeout(hide, idleMs);
  };
  onMounted(() => {
    window.addEventListener('mousemove', onMove, { passive: true });
    window.addEventListener('mousedown', onMove, { passive: true });
    timer = window.setTimeout(hide, idleMs);
  });
  onBeforeUnmount(() => {
    window.removeEventListener('mousemove', onMove);
    window.removeEventListener('mousedown', onMove);
    window.clearTimeout(timer);
    document.documentElement.classList.remove('cursor-idle');
  });
}

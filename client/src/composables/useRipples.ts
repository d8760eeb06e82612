import { onBeforeUnmount, onMounted, watch, type Ref, type ShallowRef } from 'vue';
import type { RippleMessage } from '../charts/ripple.worker';

/**
 * The overdue ripples on a canvas, drawn by a worker (charts/ripple.worker.ts): the page only
 * posts the points when they change, the canvas size when the wall's pixel ratio changes, and
 * whether the page is visible. `data-points` on the canvas says how many points it rings.
 * The worker ends on unmount; no listener is left behind.
 */
export function useRipples(
  canvas: Readonly<ShallowRef<HTMLCanvasElement | null>>,
  points: Readonly<Ref<ReadonlyArray<{ x: number; y: number }>>>,
  pixelRatio: Readonly<Ref<number>>,
) {
  let worker: Worker | null = null;
  const post = (m: RippleMessage, transfer: Transferable[] = []) => worker?.postMessage(m, transfer);

  const sendSize = () => {
    const el = canvas.value;
    if (!el) return;
    const ratio = pixelRatio.value;
    // The wall's canvas has a fixed design size: the box changes only with the pixel ratio.
    post({ kind: 'size', width: Math.round(el.clientWidth * ratio), height: Math.round(el.clientHeight * ratio), ratio });
  };
  const sendPoints = () => {
    const list = points.value.map((p) => ({ x: p.x, y: p.y }));
    post({ kind: 'points', points: list });
    if (canvas.value) canvas.value.dataset.points = String(list.length);
  };
  const onVisibility = () => post({ kind: 'visible', visible: document.visibilityState !== 'hidden' });

  const stopPoints = watch(points, sendPoints);
  const stopRatio = watch(pixelRatio, sendSize);
  onMounted(() => {
    const el = canvas.value;
    if (!el) return;
    worker = new Worker(new URL('../charts/ripple.worker.ts', import.meta.url), { type: 'module', name: 'ripples' });
    const offscreen = el.transferControlToOffscreen();
    post({ kind: 'canvas', canvas: offscreen }, [offscreen]);
    sendSize();
    onVisibility();
    sendPoints();
    document.addEventListener('visibilitychange', onVisibility);
  });
  onBeforeUnmount(() => {
    stopPoints();
    stopRatio();
    document.removeEventListener('visibilitychange', onVisibility);
    worker?.terminate();
    worker = null;
  });
}

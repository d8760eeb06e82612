import { onBeforeUnmount, onMounted, shallowRef } from 'vue';
import { DESIGN_HEIGHT, DESIGN_WIDTH, chartPixelRatio, fitScale, type Fit } from '../lib/scale';

/** The canvas fit and the chart pixel ratio, following window size and screen changes. */
export function useFit(designHeight = DESIGN_HEIGHT) {
  const fit = shallowRef<Fit>({ scale: 1, x: 0, y: 0 });
  const pixelRatio = shallowRef(1);
  let frame = 0;
  let mql: MediaQueryList | null = null;

  const measure = () => {
    frame = 0;
    const f = fitScale(window.innerWidth, window.innerHeight, DESIGN_WIDTH, designHeight);
    const cur = fit.value;
    if (f.scale !== cur.scale || f.x !== cur.x || f.y !== cur.y) fit.value = f;
    const pr = chartPixelRatio(window.devicePixelRatio || 1, f.scale);
    if (pr !== pixelRatio.value) pixelRatio.value = pr;
    watchDpr();
  };
  const onResize = () => {
    if (!frame) frame = window.requestAnimationFrame(measure);
  };
  // devicePixelRatio changes (a window moved to another screen) fire no resize: watch it.
  const watchDpr = () => {
    mql?.removeEventListener('change', onResize);
    mql = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    mql.addEventListener('change', onResize);
  };

  onMounted(() => {
    window.addEventListener('resize', onResize);
    measure();
  });
  onBeforeUnmount(() => {
    window.removeEventListener('resize', onResize);
    mql?.removeEventListener('change', onResize);
    mql = null;
    if (frame) window.cancelAnimationFrame(frame);
  });
  return { fit, pixelRatio };
}

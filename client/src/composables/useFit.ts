import { onBeforeUnmount, onMounted, shallowRef } from 'vue';
import { DESIGN_HEIGHT, chartPixelRatio, fitScale, type Fit } from '../lib/scale';
import { designSize, layoutForAspect, wallViewport, type LayoutId, type TileSpec } from '../lib/layouts';

export interface WallFit {
  /** The canvas transform: scale, and the translation that shows this screen's window of it. */
  fit: Fit;
  layout: LayoutId;
  /** Design canvas size (px). */
  width: number;
  height: number;
  /** This screen's CSS size (for the tiles' banners). */
  view: { width: number; height: number };
  /** Where the canvas's top left lies in the whole wall's CSS pixels (letterbox offset). */
  origin: { x: number; y: number };
}

/**
 * The canvas fit and the chart pixel ratio, following window size and screen changes. The
 * layout comes from the whole wall's aspect (all tiles of a splice wall, bezels included)
 * unless one is forced; `extraHeight` is design height under the 1080 of the wall (the replay's strip).
 */
export function useFit(options: { extraHeight?: number; layout?: LayoutId | null; tile?: TileSpec | null } = {}) {
  const extra = options.extraHeight ?? 0;
  const initial: WallFit = {
    fit: { scale: 1, x: 0, y: 0 },
    layout: options.layout ?? '16x9',
    width: 1920,
    height: DESIGN_HEIGHT + extra,
    view: { width: 1920, height: 1080 },
    origin: { x: 0, y: 0 },
  };
  const wall = shallowRef<WallFit>(initial);
  const pixelRatio = shallowRef(1);
  let frame = 0;
  let mql: MediaQueryList | null = null;

  const measure = () => {
    frame = 0;
    const view = { width: window.innerWidth, height: window.innerHeight };
    const area = wallViewport(view, options.tile ?? null);
    // The aspect the 1080-tall wall part gets, the strip under it set aside.
    const aspect = area.height > 0 ? area.width / (area.height * (DESIGN_HEIGHT / (DESIGN_HEIGHT + extra))) : 16 / 9;
    const layout = options.layout ?? layoutForAspect(aspect);
    const size = designSize(layout, aspect);
    const height = size.height + extra;
    const f = fitScale(area.width, area.height, size.width, height);
    const fit = { scale: f.scale, x: f.x - area.offsetX, y: f.y - area.offsetY };
    const cur = wall.value;
    if (
      fit.scale !== cur.fit.scale ||
      fit.x !== cur.fit.x ||
      fit.y !== cur.fit.y ||
      layout !== cur.layout ||
      size.width !== cur.width ||
      view.width !== cur.view.width ||
      view.height !== cur.view.height
    ) {
      wall.value = { fit, layout, width: size.width, height, view, origin: { x: f.x, y: f.y } };
    }
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
  return { wall, pixelRatio };
}

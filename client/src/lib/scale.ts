// Fitting the fixed 1920x1080 design canvas to the real screen.

export const DESIGN_WIDTH = 1920;
export const DESIGN_HEIGHT = 1080;
/** Beyond this, canvases get huge for no visible gain. */
export const MAX_CHART_DPR = 4;

export interface Fit {
  /** CSS transform scale of the design canvas. */
  scale: number;
  /** Letterbox offsets in CSS pixels of the viewport. */
  x: number;
  y: number;
}

/** The largest scale that fits the canvas into the viewport, aspect kept, centred. */
export function fitScale(viewWidth: number, viewHeight: number, width = DESIGN_WIDTH, height = DESIGN_HEIGHT): Fit {
  if (!(viewWidth > 0) || !(viewHeight > 0)) return { scale: 1, x: 0, y: 0 };
  const scale = Math.min(viewWidth / width, viewHeight / height);
  return {
    scale,
    x: Math.max(0, Math.floor((viewWidth - width * scale) / 2)),
    y: Math.max(0, Math.floor((viewHeight - height * scale) / 2)),
  };
}

/** The transform for the canvas element (origin at its top left). */
export function fitTransform(fit: Fit): string {
  return `translate(${fit.x}px, ${fit.y}px) scale(${fit.scale})`;
}

/**
 * Device pixels per design pixel for ECharts: the screen's ratio times the CSS scale, so a
 * 3840x2160 wall (scale 2) draws its canvases at twice the resolution. Rounded to a quarter so
 * small window jitters do not re-create the charts; at least 1, at most MAX_CHART_DPR.
 */
export function chartPixelRatio(devicePixelRatio: number, scale: number): number {
  const raw = (devicePixelRatio > 0 ? devicePixelRatio : 1) * (scale > 0 ? scale : 1);
  const quarter = Math.ceil(raw * 4 - 1e-9) / 4;
  return Math.min(MAX_CHART_DPR, Math.max(1, quarter));
}

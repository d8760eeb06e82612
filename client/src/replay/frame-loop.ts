/** One requestAnimationFrame at a time: asking again before it ran costs nothing. */
export class FrameLoop {
  private frame = 0;

  constructor(private readonly onFrame: () => void) {}

  schedule(): void {
    if (!this.frame) {
      this.frame = window.requestAnimationFrame(() => {
        this.frame = 0;
        this.onFrame();
      });
    }
  }

  cancel(): void {
    if (this.frame) window.cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}

/** Resolves after the browser painted once (the page shows a phase before a long task). */
export function nextPaint(): Promise<void> {
  return new Promise<void>((r) => window.requestAnimationFrame(() => window.setTimeout(r, 0)));
}

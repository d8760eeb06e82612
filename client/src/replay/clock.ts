// The virtual clock of a replay: virtual time = anchor + speed x real time elapsed since the
// anchor, clamped to the range. Pure: real time is passed in (performance.now() in the page).

export class VirtualClock {
  private anchorReal = 0;
  private anchorT: number;
  private _playing = false;
  private _speed: number;

  constructor(
    readonly start: number,
    readonly end: number,
    t: number,
    speed: number,
  ) {
    this.anchorT = this.clamp(t);
    this._speed = speed;
  }

  get playing(): boolean {
    return this._playing;
  }

  get speed(): number {
    return this._speed;
  }

  private clamp(t: number): number {
    return Math.min(this.end, Math.max(this.start, t));
  }

  /** Virtual time at real time `real`. */
  at(real: number): number {
    if (!this._playing) return this.anchorT;
    return this.clamp(this.anchorT + (real - this.anchorReal) * this._speed);
  }

  /** True once playing has reached the end of the range. */
  ended(real: number): boolean {
    return this.at(real) >= this.end;
  }

  play(real: number): void {
    if (this._playing) return;
    // Playing from the very end starts over.
    if (this.anchorT >= this.end) this.anchorT = this.start;
    this.anchorReal = real;
    this._playing = true;
  }

  pause(real: number): void {
    if (!this._playing) return;
    this.anchorT = this.at(real);
    this._playing = false;
  }

  seek(t: number, real: number): void {
    this.anchorT = this.clamp(t);
    this.anchorReal = real;
  }

  step(delta: number, real: number): void {
    this.seek(this.at(real) + delta, real);
  }

  setSpeed(speed: number, real: number): void {
    this.anchorT = this.at(real);
    this.anchorReal = real;
    this._speed = speed;
  }
}

/**
 * At most one call per `intervalMs` of real time: true when the caller should recompute now.
 * `force` (a seek, a step) always passes and restarts the interval.
 */
export class RecomputeGate {
  private last = -Infinity;

  constructor(private readonly intervalMs = 100) {}

  due(real: number, force = false): boolean {
    if (!force && real - this.last < this.intervalMs) return false;
    this.last = real;
    return true;
  }
}

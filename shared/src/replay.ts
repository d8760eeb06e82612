import type { StoredEvent } from './events.js';
import { applyEvent, cloneState, emptyState, type ProjectionState } from './projection.js';
import type { ReferenceIndex } from './reference.js';
import type { Zone } from './time.js';

// Replay: the state at virtual time T is the projection of exactly the events with at <= T.
// Events are sorted by (at, id) once; the engine folds forward while playing, and a seek
// backwards starts from the nearest checkpoint (a copy of the state every `every` events)
// instead of from the beginning.

export function compareEvents(a: StoredEvent, b: StoredEvent): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class ReplayEngine {
  private readonly events: StoredEvent[];
  /** checkpoints[k] = the state after the first k * every events (k >= 1). */
  private readonly checkpoints: ProjectionState[] = [];
  private current: ProjectionState = emptyState();
  /** How many events of `events` are folded into `current`. */
  private position = 0;

  constructor(
    events: StoredEvent[],
    private readonly ref: ReferenceIndex,
    private readonly zone: Zone,
    private readonly every = 8000,
  ) {
    this.events = [...events].sort(compareEvents);
  }

  get state(): ProjectionState {
    return this.current;
  }

  get applied(): number {
    return this.position;
  }

  get size(): number {
    return this.events.length;
  }

  get first(): number | undefined {
    return this.events[0]?.t;
  }

  get last(): number | undefined {
    return this.events[this.events.length - 1]?.t;
  }

  /** The number of events with at <= t. */
  countUntil(t: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.t <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Moves to virtual time t: backwards, or forwards past more than `every` events, from the
   * nearest checkpoint at or before t (a copy costs less than folding that many events), else
   * by folding on. Returns the state.
   */
  seek(t: number): ProjectionState {
    const target = this.countUntil(t);
    const k = Math.min(Math.floor(target / this.every), this.checkpoints.length);
    if (target < this.position || k * this.every > this.position + this.every) {
      this.current = k > 0 ? cloneState(this.checkpoints[k - 1]!) : emptyState();
      this.position = k * this.every;
    }
    while (this.position < target) {
      applyEvent(this.current, this.events[this.position]!, this.ref, this.zone);
      this.position++;
      if (this.position % this.every === 0 && this.checkpoints.length < this.position / this.every) {
        this.checkpoints.push(cloneState(this.current));
      }
    }
    return this.current;
  }

  /** Events with from < at <= to, for the scrubber and the ticker of a playing replay. */
  between(from: number, to: number): StoredEvent[] {
    return this.events.slice(this.countUntil(from), this.countUntil(to));
  }
}

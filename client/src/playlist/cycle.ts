import type { Playlist, PlaylistView } from '@wall/shared';

export interface CycleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/**
 * A wall's playlist: each entry shown for its seconds, in order, round and round. An alarm
 * (a new overdue order) brings the wall back to the live view at once and keeps it there for
 * the playlist's hold time, counted again from each further alarm; then the cycle goes on
 * with the entry after the live one.
 */
export class PlaylistCycle {
  private index = 0;
  private timer: unknown = null;
  private holdUntil = 0;
  /** Entries shown so far (a finished round adds entries.length). */
  shown = 0;

  constructor(
    private readonly playlist: Playlist,
    private readonly timers: CycleTimers,
    private readonly onView: (view: PlaylistView, index: number) => void,
  ) {}

  get view(): PlaylistView {
    return this.playlist.entries[this.index]!.view;
  }

  start(): void {
    this.show(0, this.playlist.entries[0]!.seconds * 1000);
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** An alarm came: the live view, now and for the hold time. */
  alarm(): void {
    if (this.timer === null && this.shown === 0) return;
    const hold = this.playlist.alarmHoldSeconds * 1000;
    this.holdUntil = this.timers.now() + hold;
    const live = this.playlist.entries.findIndex((e) => e.view === 'live');
    const at = live >= 0 ? live : this.index;
    if (this.view === 'live' && at === this.index) {
      // Already live: stay at least until the hold ends.
      this.arm(Math.max(hold, this.remaining()));
      return;
    }
    this.show(at, Math.max(hold, this.playlist.entries[at]!.seconds * 1000), live < 0);
  }

  private endsAt = 0;
  private remaining(): number {
    return Math.max(0, this.endsAt - this.timers.now());
  }

  private show(index: number, ms: number, keepView = false): void {
    this.index = index;
    this.shown++;
    this.arm(ms);
    if (!keepView) this.onView(this.view, index);
  }

  private arm(ms: number): void {
    this.stop();
    this.endsAt = this.timers.now() + ms;
    this.timer = this.timers.setTimeout(() => this.next(), ms);
  }

  private next(): void {
    this.timer = null;
    const n = (this.index + 1) % this.playlist.entries.length;
    this.show(n, this.playlist.entries[n]!.seconds * 1000);
  }
}

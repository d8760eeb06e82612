import type { WallDelta, WallHeartbeat, WallSnapshot } from '@wall/shared';
import { WallFeed } from './feed';

// The live link to the server's /wall namespace. socket.io reconnects by itself (with its own
// jitter) after network loss; where it does not (the server closed the socket, or refused the
// handshake), we reconnect ourselves with jittered backoff. Every (re)connection starts from a
// fresh snapshot; a gap in revisions asks for one.

export type LinkState = 'connecting' | 'live' | 'down';

/** The part of a socket.io client Socket used here (a fake in tests). */
export interface SocketLike {
  readonly connected: boolean;
  readonly active: boolean;
  on(event: string, fn: (...args: any[]) => void): unknown;
  emit(event: 'resync'): unknown;
  connect(): unknown;
  disconnect(): unknown;
  removeAllListeners(): unknown;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
  random(): number;
}

export interface ConnectionHandlers {
  /** The feed changed (a snapshot or an applied delta). */
  onData(feed: WallFeed, kind: 'snapshot' | 'delta'): void;
  onState(state: LinkState): void;
  /** The server refused the token: go back to the login. */
  onUnauthorized(): void;
}

export const SNAPSHOT_TIMEOUT_MS = 10_000;
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 30_000;

/** Exponential backoff with full-range jitter between half and the whole delay. */
export function backoffDelay(attempt: number, random: number, base = RETRY_BASE_MS, max = RETRY_MAX_MS): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + 0.5 * random));
}

export class WallConnection {
  readonly feed = new WallFeed();
  state: LinkState = 'connecting';
  private socket: SocketLike | null = null;
  private retryTimer: unknown = null;
  private snapshotTimer: unknown = null;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly createSocket: () => SocketLike,
    private readonly handlers: ConnectionHandlers,
    private readonly timers: Timers,
  ) {}

  start(): void {
    this.stopped = false;
    const s = this.createSocket();
    this.socket = s;
    s.on('connect', () => {
      this.feed.expectSnapshot();
      this.armSnapshotWatchdog();
    });
    s.on('snapshot', (snap: WallSnapshot) => {
      this.clearSnapshotWatchdog();
      this.feed.applySnapshot(snap);
      this.attempts = 0;
      this.setState('live');
      this.handlers.onData(this.feed, 'snapshot');
    });
    s.on('delta', (delta: WallDelta) => {
      const r = this.feed.applyDelta(delta);
      if (r === 'applied') this.handlers.onData(this.feed, 'delta');
      else if (r === 'gap') this.resync();
    });
    s.on('heartbeat', (beat: WallHeartbeat) => {
      if (this.feed.checkBeat(beat) === 'gap') this.resync();
    });
    s.on('disconnect', (reason: string) => {
      this.clearSnapshotWatchdog();
      this.feed.expectSnapshot();
      if (this.stopped) return;
      this.setState('down');
      // socket.io does not come back by itself when the server closed the socket.
      if (reason === 'io server disconnect') this.scheduleRetry();
    });
    s.on('connect_error', (err: Error & { data?: unknown }) => {
      if (this.stopped) return;
      if (err?.message === 'unauthorized') {
        this.stop();
        this.handlers.onUnauthorized();
        return;
      }
      this.setState('down');
      // A refused handshake (middleware error) is not retried by socket.io.
      if (!s.active) this.scheduleRetry();
    });
    s.connect();
  }

  /** Asks the server for a fresh snapshot; deltas are ignored until it comes. */
  resync(): void {
    this.feed.expectSnapshot();
    if (this.socket?.connected) {
      this.socket.emit('resync');
      this.armSnapshotWatchdog();
    }
  }

  stop(): void {
    this.stopped = true;
    this.clearSnapshotWatchdog();
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.removeAllListeners();
      s.disconnect();
    }
  }

  private setState(state: LinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.handlers.onState(state);
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer !== null) return;
    const delay = backoffDelay(this.attempts++, this.timers.random());
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped || !this.socket || this.socket.connected) return;
      this.socket.connect();
    }, delay);
  }

  private armSnapshotWatchdog(): void {
    this.clearSnapshotWatchdog();
    this.snapshotTimer = this.timers.setTimeout(() => {
      this.snapshotTimer = null;
      if (!this.stopped && this.feed.awaitingSnapshot) this.resync();
    }, SNAPSHOT_TIMEOUT_MS);
  }

  private clearSnapshotWatchdog(): void {
    if (this.snapshotTimer !== null) this.timers.clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
  }
}

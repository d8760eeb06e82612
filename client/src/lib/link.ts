// The reconnecting socket link both live pages share (the wall's /wall and the console's
// /supervisor). socket.io reconnects by itself, with its own jitter, after a network loss;
// where it does not (the server closed the socket, or refused the handshake) we reconnect with
// jittered backoff. Every (re)connection waits for the namespace's opening message (a snapshot,
// a list); one that does not come within `watchdogMs` is asked for again.

export type LinkState = 'connecting' | 'live' | 'down';

/** The part of a socket.io client Socket used here (a fake in tests). */
export interface SocketLike {
  readonly connected: boolean;
  readonly active: boolean;
  on(event: string, fn: (...args: never[]) => void): unknown;
  emit(event: 'resync' | 'screen', ...args: unknown[]): unknown;
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

export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 30_000;

/** Exponential backoff with full-range jitter between half and the whole delay. */
export function backoffDelay(attempt: number, random: number, base = RETRY_BASE_MS, max = RETRY_MAX_MS): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + 0.5 * random));
}

export abstract class ReconnectingLink {
  state: LinkState = 'connecting';
  protected socket: SocketLike | null = null;
  protected stopped = false;
  private retryTimer: unknown = null;
  private watchdog: unknown = null;
  private attempts = 0;

  constructor(
    private readonly createSocket: () => SocketLike,
    protected readonly timers: Timers,
    private readonly watchdogMs: number,
    private readonly onState: (state: LinkState) => void,
  ) {}

  /** The namespace's own events. */
  protected abstract bind(s: SocketLike): void;
  /** Connected: the opening message is now awaited. */
  protected abstract onConnected(): void;
  /** The link dropped. */
  protected abstract onDropped(): void;
  /** The opening message did not come in time. */
  protected abstract onWatchdog(): void;
  /** The server refused the handshake for this reason ('unauthorized', 'forbidden'); true if handled (no retry). */
  protected abstract onRefused(reason: string): boolean;

  start(): void {
    this.stopped = false;
    const s = this.createSocket();
    this.socket = s;
    s.on('connect', () => {
      this.onConnected();
      this.armWatchdog();
    });
    this.bind(s);
    s.on('disconnect', (reason: string) => {
      this.clearWatchdog();
      this.onDropped();
      if (this.stopped) return;
      this.setState('down');
      // socket.io does not come back by itself when the server closed the socket.
      if (reason === 'io server disconnect') this.scheduleRetry();
    });
    s.on('connect_error', (err: Error) => {
      if (this.stopped) return;
      if (err?.message && this.onRefused(err.message)) return;
      this.setState('down');
      // A refused handshake (middleware error) is not retried by socket.io.
      if (!s.active) this.scheduleRetry();
    });
    s.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearWatchdog();
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.removeAllListeners();
      s.disconnect();
    }
  }

  /** The opening message came: the link is live and the backoff starts over. */
  protected opened(): void {
    this.clearWatchdog();
    this.attempts = 0;
    this.setState('live');
  }

  protected armWatchdog(): void {
    this.clearWatchdog();
    this.watchdog = this.timers.setTimeout(() => {
      this.watchdog = null;
      if (!this.stopped) this.onWatchdog();
    }, this.watchdogMs);
  }

  protected clearWatchdog(): void {
    if (this.watchdog !== null) this.timers.clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private setState(state: LinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.onState(state);
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
}

import type { Alarm, AlarmChange } from '@wall/shared';
import { backoffDelay, type LinkState, type SocketLike, type Timers } from '../lib/connection';

// The live link to the server's /supervisor namespace, in the pattern of the wall's
// WallConnection: socket.io reconnects by itself after network loss; when the server closed
// the socket or refused the handshake we reconnect ourselves with jittered backoff. Every
// (re)connection starts from the full list of open alarms (`alarms`); a list that does not come
// is asked for again (`resync`).

export type { LinkState };

export interface SupervisorHandlers {
  /** The full list of open alarms in scope (on each connection, after a resync). */
  onAlarms(alarms: Alarm[]): void;
  onChange(change: AlarmChange & { popup: boolean }): void;
  onState(state: LinkState): void;
  /** The token is not (or no longer) valid: back to the login. */
  onUnauthorized(): void;
  /** A valid token whose role may not use the console (a viewer). */
  onForbidden(): void;
}

export const LIST_TIMEOUT_MS = 10_000;

export class SupervisorConnection {
  state: LinkState = 'connecting';
  private socket: SocketLike | null = null;
  private retryTimer: unknown = null;
  private listTimer: unknown = null;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly createSocket: () => SocketLike,
    private readonly handlers: SupervisorHandlers,
    private readonly timers: Timers,
  ) {}

  start(): void {
    this.stopped = false;
    const s = this.createSocket();
    this.socket = s;
    s.on('connect', () => this.armListWatchdog());
    s.on('alarms', (alarms: Alarm[]) => {
      this.clearListWatchdog();
      this.attempts = 0;
      this.handlers.onAlarms(alarms);
      this.setState('live');
    });
    s.on('alarm', (change: AlarmChange & { popup: boolean }) => this.handlers.onChange(change));
    s.on('disconnect', (reason: string) => {
      this.clearListWatchdog();
      if (this.stopped) return;
      this.setState('down');
      if (reason === 'io server disconnect') this.scheduleRetry();
    });
    s.on('connect_error', (err: Error) => {
      if (this.stopped) return;
      if (err?.message === 'unauthorized' || err?.message === 'forbidden') {
        this.stop();
        if (err.message === 'forbidden') this.handlers.onForbidden();
        else this.handlers.onUnauthorized();
        return;
      }
      this.setState('down');
      if (!s.active) this.scheduleRetry();
    });
    s.connect();
  }

  /** Asks for the full list again. */
  resync(): void {
    if (this.socket?.connected) {
      this.socket.emit('resync');
      this.armListWatchdog();
    }
  }

  stop(): void {
    this.stopped = true;
    this.clearListWatchdog();
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

  private armListWatchdog(): void {
    this.clearListWatchdog();
    this.listTimer = this.timers.setTimeout(() => {
      this.listTimer = null;
      if (!this.stopped) this.resync();
    }, LIST_TIMEOUT_MS);
  }

  private clearListWatchdog(): void {
    if (this.listTimer !== null) this.timers.clearTimeout(this.listTimer);
    this.listTimer = null;
  }
}

import type { Alarm, AlarmChange, WarningItem } from '@wall/shared';
import { ReconnectingLink, type LinkState, type SocketLike, type Timers } from '../lib/link';

// The live link to the server's /supervisor namespace. Every (re)connection starts from the
// full list of open alarms (`alarms`); a list that does not come is asked for again (`resync`).

export type { LinkState };

export interface SupervisorHandlers {
  /** The full list of open alarms in scope (on each connection, after a resync). */
  onAlarms(alarms: Alarm[]): void;
  onChange(change: AlarmChange & { popup: boolean }): void;
  /** The yellow list (预警) in scope; optional for the specs that do not need it. */
  onPrewarnings?(items: WarningItem[]): void;
  onState(state: LinkState): void;
  /** The token is not (or no longer) valid: back to the login. */
  onUnauthorized(): void;
  /** A valid token whose role may not use the console (a viewer). */
  onForbidden(): void;
}

export const LIST_TIMEOUT_MS = 10_000;

export class SupervisorConnection extends ReconnectingLink {
  constructor(
    createSocket: () => SocketLike,
    private readonly handlers: SupervisorHandlers,
    timers: Timers,
  ) {
    super(createSocket, timers, LIST_TIMEOUT_MS, (state) => handlers.onState(state));
  }

  protected bind(s: SocketLike): void {
    s.on('alarms', (alarms: Alarm[]) => {
      this.handlers.onAlarms(alarms);
      this.opened();
    });
    s.on('alarm', (change: AlarmChange & { popup: boolean }) => this.handlers.onChange(change));
    s.on('prewarnings', (items: WarningItem[]) => this.handlers.onPrewarnings?.(items));
  }

  protected onConnected(): void {}

  protected onDropped(): void {}

  protected onWatchdog(): void {
    this.resync();
  }

  protected onRefused(reason: string): boolean {
    if (reason !== 'unauthorized' && reason !== 'forbidden') return false;
    this.stop();
    if (reason === 'forbidden') this.handlers.onForbidden();
    else this.handlers.onUnauthorized();
    return true;
  }

  /** Asks for the full list again. */
  resync(): void {
    if (this.socket?.connected) {
      this.socket.emit('resync');
      this.armWatchdog();
    }
  }
}

import type { WallDelta, WallHeartbeat, WallScreenReport, WallSnapshot } from '@wall/shared';
import { ViewReplica } from './view-replica';
import { ReconnectingLink, type LinkState, type SocketLike, type Timers } from './link';

// The live link to the server's /wall namespace. Every (re)connection starts from a fresh
// snapshot; a gap in revisions, or a heartbeat naming another revision, asks for one.

export { RETRY_BASE_MS, RETRY_MAX_MS, backoffDelay, type LinkState, type SocketLike, type Timers } from './link';

export interface ConnectionHandlers {
  /** The view changed (a snapshot or an applied delta). */
  onData(replica: ViewReplica, kind: 'snapshot' | 'delta'): void;
  onState(state: LinkState): void;
  /** The server refused the token: go back to the login. */
  onUnauthorized(): void;
  /** Anything from the server (snapshot, delta or heartbeat): it is alive and talking to us. */
  onContact?(): void;
}

export const SNAPSHOT_TIMEOUT_MS = 10_000;

export class WallConnection extends ReconnectingLink {
  readonly replica = new ViewReplica();

  constructor(
    createSocket: () => SocketLike,
    private readonly handlers: ConnectionHandlers,
    timers: Timers,
  ) {
    super(createSocket, timers, SNAPSHOT_TIMEOUT_MS, (state) => handlers.onState(state));
  }

  protected bind(s: SocketLike): void {
    s.on('snapshot', (snap: WallSnapshot) => {
      this.replica.applySnapshot(snap);
      this.opened();
      this.handlers.onContact?.();
      this.handlers.onData(this.replica, 'snapshot');
    });
    s.on('delta', (delta: WallDelta) => {
      this.handlers.onContact?.();
      const r = this.replica.applyDelta(delta);
      if (r === 'applied') this.handlers.onData(this.replica, 'delta');
      else if (r === 'gap') this.resync();
    });
    s.on('heartbeat', (beat: WallHeartbeat) => {
      this.handlers.onContact?.();
      if (this.replica.checkBeat(beat) === 'gap') this.resync();
    });
  }

  protected onConnected(): void {
    this.replica.expectSnapshot();
  }

  protected onDropped(): void {
    this.replica.expectSnapshot();
  }

  protected onWatchdog(): void {
    if (this.replica.awaitingSnapshot) this.resync();
  }

  protected onRefused(reason: string): boolean {
    if (reason !== 'unauthorized') return false;
    this.stop();
    this.handlers.onUnauthorized();
    return true;
  }

  /** Tells the server which screen this is and where it is (its list of live walls). */
  report(screen: WallScreenReport): void {
    if (this.socket?.connected) this.socket.emit('screen', screen);
  }

  /** Asks the server for a fresh snapshot; deltas are ignored until it comes. */
  resync(): void {
    this.replica.expectSnapshot();
    if (this.socket?.connected) {
      this.socket.emit('resync');
      this.armWatchdog();
    }
  }
}

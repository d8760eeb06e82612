import { Inject, Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import { WALL_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@wall/shared';
import type { Namespace, Socket } from 'socket.io';
import { SessionsService, type SocketSessionData } from '../auth/sessions.service.js';
import { WallScreensService } from './wall-screens.service.js';
import { countSockets } from '../metrics/metrics.js';
import { WallViewService } from './wall-view.service.js';

type Data = SocketSessionData & { snapshotQueued?: boolean; screen?: string; connectedAt?: number };
type WallNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, Data>;
type WallSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, Data>;

/** Walls connect here with a token; each gets a snapshot, then the deltas every wall shares. */
@WebSocketGateway({ namespace: WALL_NAMESPACE, cors: { origin: false } })
export class WallGateway implements OnGatewayInit<WallNamespace>, OnGatewayConnection<WallSocket>, OnGatewayDisconnect<WallSocket> {
  private readonly logger = new Logger('WallGateway');

  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(WallViewService) private readonly views: WallViewService,
    @Inject(WallScreensService) private readonly screens: WallScreensService,
  ) {}

  afterInit(namespace: WallNamespace): void {
    this.sessions.guard(namespace, ['admin', 'supervisor', 'viewer', 'wall']);
    countSockets(WALL_NAMESPACE, () => namespace.sockets.size);
    // Volatile: a wall that cannot keep up drops deltas instead of buffering them, then sees
    // the gap in revisions and asks for one fresh snapshot.
    // `local`: every instance follows the whole log and computes its own revisions, so it
    // serves its own walls; through the Redis adapter a plain emit would also reach the walls
    // of every other instance, with revisions they do not follow.
    this.views.setSink({
      delta: (delta) => namespace.local.volatile.emit('delta', delta),
      heartbeat: (beat) => namespace.local.emit('heartbeat', beat),
    });
  }

  handleConnection(socket: WallSocket): void {
    socket.data.connectedAt = Date.now();
    socket.emit('snapshot', this.views.snapshot());
  }

  /** A closed page leaves the list of live screens at once (a lost one when its key expires). */
  handleDisconnect(socket: WallSocket): void {
    const id = socket.data.screen;
    if (id) this.screens.gone(id, socket.id).catch((e: Error) => this.logger.warn(`screen ${id}: ${e.message}`));
  }

  /** The screen's report: who it is, the seq it shows. Malformed ones are logged and ignored. */
  @SubscribeMessage('screen')
  async screen(@ConnectedSocket() socket: WallSocket, @MessageBody() report: unknown): Promise<void> {
    try {
      const id = await this.screens.report(report, socket.id, socket.data.user.username, socket.data.connectedAt ?? Date.now());
      if (id) socket.data.screen = id;
      // It disconnected while its report was being stored: take it out again.
      if (id && socket.disconnected) await this.screens.gone(id, socket.id);
    } catch (e) {
      this.logger.warn(`screen report: ${(e as Error).message}`);
    }
  }

  /**
   * One unsent snapshot per wall at a time: a client that asks again and again without reading
   * would otherwise pile ~50 KB snapshots into its write buffer until the ping timeout.
   */
  @SubscribeMessage('resync')
  resync(@ConnectedSocket() socket: WallSocket): void {
    if (socket.data.snapshotQueued) return;
    socket.data.snapshotQueued = true;
    // Listening before the emit: a write that flushes at once drains inside emit(), and a
    // listener added after it would wait for some later write (a wall's resync left unanswered).
    socket.conn.once('drain', () => (socket.data.snapshotQueued = false));
    socket.emit('snapshot', this.views.snapshot());
  }
}

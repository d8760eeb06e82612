import { Inject, Logger } from '@nestjs/common';
import { ConnectedSocket, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { SUPERVISOR_NAMESPACE, popsUp, type SupervisorClientEvents, type SupervisorServerEvents } from '@wall/shared';
import type { Namespace, Socket } from 'socket.io';
import { SessionsService, type SocketSessionData } from '../auth/sessions.service.js';
import { countSockets, notifications } from '../metrics/metrics.js';
import { AlarmsService } from './alarms.service.js';
import { PrewarningService } from './prewarning.service.js';

type Data = SocketSessionData;
type SupervisorNamespace = Namespace<SupervisorClientEvents, SupervisorServerEvents, Record<string, never>, Data>;
type SupervisorSocket = Socket<SupervisorClientEvents, SupervisorServerEvents, Record<string, never>, Data>;

/** The supervisor console: open alarms in scope on connect, then every change; popups for recipients. */
@WebSocketGateway({ namespace: SUPERVISOR_NAMESPACE, cors: { origin: false } })
export class SupervisorGateway implements OnGatewayInit<SupervisorNamespace>, OnGatewayConnection<SupervisorSocket> {
  private readonly logger = new Logger(SupervisorGateway.name);

  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AlarmsService) private readonly alarms: AlarmsService,
    @Inject(PrewarningService) private readonly prewarnings: PrewarningService,
  ) {}

  afterInit(namespace: SupervisorNamespace): void {
    this.sessions.guard(namespace, ['admin', 'supervisor']);
    countSockets(SUPERVISOR_NAMESPACE, () => namespace.sockets.size);
    this.prewarnings.attach(namespace as unknown as Namespace);
    this.alarms.onChangeEvent((change) => {
      for (const socket of namespace.sockets.values()) {
        const user = socket.data.user;
        // The scope is read from Redis: during a failover that read fails, and unhandled it
        // ended the process (chaos seed 7). The console's list on its next (re)connect has it.
        void this.alarms.inScope(user, change.alarm).then(
          (ok) => {
            if (!ok) return;
            const popup = popsUp(change, user.username);
            socket.emit('alarm', { ...change, popup });
            if (popup) notifications.inc({ kind: 'popup', result: socket.connected ? 'sent' : 'dropped' });
          },
          (e: Error) => this.logger.warn(`alarm change to ${user.username} not sent: ${e.message}`),
        );
      }
    });
  }

  async handleConnection(socket: SupervisorSocket): Promise<void> {
    socket.emit('alarms', await this.alarms.list(socket.data.user, 'open', undefined));
    await this.prewarnings.greet(socket as never);
  }

  @SubscribeMessage('resync')
  async resync(@ConnectedSocket() socket: SupervisorSocket): Promise<void> {
    socket.emit('alarms', await this.alarms.list(socket.data.user, 'open', undefined));
  }
}

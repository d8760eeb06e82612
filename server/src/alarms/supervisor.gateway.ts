import { Inject } from '@nestjs/common';
import { ConnectedSocket, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { SUPERVISOR_NAMESPACE, type SupervisorClientEvents, type SupervisorServerEvents } from '@wall/shared';
import type { Namespace, Socket } from 'socket.io';
import { SessionsService, type SocketSessionData } from '../auth/sessions.service.js';
import { AlarmsService } from './alarms.service.js';

type Data = SocketSessionData;
type SupervisorNamespace = Namespace<SupervisorClientEvents, SupervisorServerEvents, Record<string, never>, Data>;
type SupervisorSocket = Socket<SupervisorClientEvents, SupervisorServerEvents, Record<string, never>, Data>;

/** The supervisor console: open alarms in scope on connect, then every change; popups for recipients. */
@WebSocketGateway({ namespace: SUPERVISOR_NAMESPACE, cors: { origin: false } })
export class SupervisorGateway implements OnGatewayInit<SupervisorNamespace>, OnGatewayConnection<SupervisorSocket> {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AlarmsService) private readonly alarms: AlarmsService,
  ) {}

  afterInit(namespace: SupervisorNamespace): void {
    this.sessions.guard(namespace, ['admin', 'supervisor']);
    this.alarms.onChangeEvent((change) => {
      for (const socket of namespace.sockets.values()) {
        const user = socket.data.user;
        void this.alarms.inScope(user, change.alarm).then((ok) => {
          if (!ok) return;
          const popup = (change.kind === 'raised' || change.kind === 'escalated') && change.alarm.resolvedAt === null && change.alarm.recipients.includes(user.username);
          socket.emit('alarm', { ...change, popup });
        });
      }
    });
  }

  async handleConnection(socket: SupervisorSocket): Promise<void> {
    socket.emit('alarms', await this.alarms.list(socket.data.user, 'open', undefined));
  }

  @SubscribeMessage('resync')
  async resync(@ConnectedSocket() socket: SupervisorSocket): Promise<void> {
    socket.emit('alarms', await this.alarms.list(socket.data.user, 'open', undefined));
  }
}

import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AuthService, sessionHolds } from './auth.service.js';
import type { Principal, Role, Session } from './auth.types.js';
import { UsersRepository } from './users.repository.js';

/** What the socket namespaces keep of the token a socket was admitted with. */
export interface SocketSessionData {
  user: Principal;
  session: Session;
}

type AnySocket = Socket<never, never, never, SocketSessionData>;
type AnyNamespace = Namespace<never, never, never, SocketSessionData>;

/** A room per user in every namespace, so its sockets can be closed by name on every instance. */
export const userRoom = (username: string) => `user:${username}`;
/** A room per token, so a logout closes that token's sockets and no others of the same user. */
export const tokenRoom = (jti: string) => `token:${jti}`;

/** How often every open socket's session is checked again against the stored user. */
export const SWEEP_MS = 1000;

/**
 * Open sockets end with the session that opened them. A change of the user (revoke, role,
 * scope, password, disable, delete) closes its sockets at once through the namespaces' rooms,
 * which the socket.io adapter carries to every instance; and each instance checks its own
 * sockets every second against the stored users and their tokens' expiry, so a socket ends
 * within SWEEP_MS of its token even where no adapter carries the close.
 */
@Injectable()
export class SessionsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Sessions');
  private readonly namespaces: Array<{ namespace: AnyNamespace; roles: readonly Role[] }> = [];
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The handshake check of a namespace: a valid token (`auth.token`) of one of `roles`. */
  guard(namespace: Namespace, roles: readonly Role[]) {
    const ns = namespace as unknown as AnyNamespace;
    this.namespaces.push({ namespace: ns, roles });
    ns.use((socket, next) => {
      void this.admit(socket, roles).then(
        (refusal) => next(refusal ? new Error(refusal) : undefined),
        // Redis away: not a refusal of the token; the client retries.
        () => next(new Error('unavailable')),
      );
    });
  }

  /** Refusals say 'unauthorized', 'forbidden' or 'too-many-sockets' ('unavailable' when Redis cannot answer), so a client knows what to do. */
  private async admit(socket: AnySocket, roles: readonly Role[]): Promise<string | undefined> {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    // A revoke that lands while this runs does not find the socket yet: the next sweep does.
    const session = await this.auth.verify(typeof token === 'string' ? token : undefined);
    if (!session) return 'unauthorized';
    if (!roles.includes(session.role)) return 'forbidden';
    if (this.count(session.username) >= this.config.SOCKETS_PER_USER) return 'too-many-sockets';
    socket.data.user = { username: session.username, role: session.role };
    socket.data.session = session;
    await socket.join([userRoom(session.username), tokenRoom(session.tokenId)]);
    return undefined;
  }

  private count(username: string): number {
    let n = 0;
    for (const { namespace } of this.namespaces) n += namespace.adapter.rooms.get(userRoom(username))?.size ?? 0;
    return n;
  }

  /** Closes every socket of the user, here and (through the adapter) on every instance. */
  endSessions(username: string): void {
    for (const { namespace } of this.namespaces) namespace.in(userRoom(username)).disconnectSockets(true);
  }

  /** Closes the sockets opened with one token, on every instance. */
  endToken(jti: string): void {
    for (const { namespace } of this.namespaces) namespace.in(tokenRoom(jti)).disconnectSockets(true);
  }

  /** Closes this instance's sockets whose token no longer holds (stored user changed, token expired). */
  async sweep(now = Date.now()): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const sockets: Array<{ socket: AnySocket; roles: readonly Role[] }> = [];
      for (const { namespace, roles } of this.namespaces) for (const socket of namespace.sockets.values()) if (socket.data.session) sockets.push({ socket, roles });
      if (!sockets.length) return;
      const stored = await this.users.many([...new Set(sockets.map(({ socket }) => socket.data.session.username))]);
      const loggedOut = await this.users.revokedTokens(sockets.map(({ socket }) => socket.data.session.tokenId));
      for (const { socket, roles } of sockets) {
        const { session } = socket.data;
        const user = stored.get(session.username);
        if (session.expiresAt <= now || loggedOut.has(session.tokenId) || !sessionHolds(user, session.tokenVersion, session.role) || !roles.includes(user!.role))
          socket.disconnect(true);
      }
    } catch (e) {
      this.logger.warn(`session sweep failed: ${(e as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }
}

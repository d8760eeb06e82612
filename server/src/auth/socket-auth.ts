import type { Socket } from 'socket.io';
import type { AuthService } from './auth.service.js';
import type { Principal, Role } from './auth.types.js';
import { userRoom } from './user-sockets.repository.js';

/**
 * The handshake check of a socket namespace: a valid token (`auth.token`) of one of `roles`.
 * Refusals carry 'unauthorized' or 'forbidden' so a client knows whether to log in again.
 */
export function socketAuth(auth: AuthService, roles: readonly Role[]) {
  return (socket: Socket<never, never, never, { user: Principal }>, next: (err?: Error) => void): void => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    auth
      .verify(typeof token === 'string' ? token : undefined)
      .then((user) => {
        if (!user) return next(new Error('unauthorized'));
        if (!roles.includes(user.role)) return next(new Error('forbidden'));
        socket.data.user = user;
        void socket.join(userRoom(user.username));
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  };
}

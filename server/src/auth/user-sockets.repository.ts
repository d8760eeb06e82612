import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';

/** The room every socket of a user joins at its handshake. */
export function userRoom(username: string): string {
  return `user:${username}`;
}

/**
 * The sockets of one user across every namespace and, through socket.io's Redis adapter,
 * every instance: a revoke on one instance disconnects the user's walls on all of them.
 */
@Injectable()
export class UserSocketsRepository {
  private readonly namespaces = new Set<Pick<Namespace, 'in'>>();

  register(namespace: Pick<Namespace, 'in'>): void {
    this.namespaces.add(namespace);
  }

  disconnect(username: string): void {
    for (const namespace of this.namespaces) namespace.in(userRoom(username)).disconnectSockets(true);
  }
}

import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { canSeeAlarm, prewarnedItems, type PagingUser, type SupervisorServerEvents, type WarningItem } from '@wall/shared';
import type { Namespace, Socket } from 'socket.io';
import type { Principal } from '../auth/auth.types.js';
import { UsersRepository } from '../auth/users.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';

/** Yellow turns on by time alone: look once a second. */
const TICK_MS = 1000;
/** A user's scope is read again after this long (an admin's edit reaches open consoles). */
const SCOPE_MS = 30_000;

type AnySocket = Socket<never, SupervisorServerEvents, never, { user: Principal }>;
interface Seen {
  user?: PagingUser;
  loadedAt: number;
  last: string;
}

/**
 * The supervisor consoles' yellow list (预警): the pending limits past their share, read off
 * the projection every second, each console sent the ones in its scope when they change.
 */
@Injectable()
export class PrewarningService implements OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly seen = new WeakMap<AnySocket, Seen>();

  constructor(
    private readonly live: LiveStateService,
    private readonly reference: ReferenceService,
    private readonly users: UsersRepository,
  ) {}

  attach(namespace: Namespace): void {
    this.timer = setInterval(() => {
      if (namespace.sockets.size === 0 || !this.live.ready) return;
      const items = prewarnedItems(this.live.state, Date.now(), this.reference.index);
      for (const socket of namespace.sockets.values()) void this.send(socket as unknown as AnySocket, items);
    }, TICK_MS);
    this.timer.unref();
  }

  /** A new console gets its list at once. */
  greet(socket: AnySocket): Promise<void> {
    return this.send(socket, prewarnedItems(this.live.state, Date.now(), this.reference.index));
  }

  private async send(socket: AnySocket, items: WarningItem[]): Promise<void> {
    let seen = this.seen.get(socket);
    if (!seen || Date.now() - seen.loadedAt > SCOPE_MS) {
      const stored = await this.users.get(socket.data.user.username);
      seen = { user: stored, loadedAt: Date.now(), last: seen?.last ?? '' };
      this.seen.set(socket, seen);
    }
    const mine = items.filter((i) => canSeeAlarm(seen.user, i));
    const json = JSON.stringify(mine);
    if (json === seen.last) return;
    seen.last = json;
    socket.emit('prewarnings', mine);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

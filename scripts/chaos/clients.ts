import { SUPERVISOR_NAMESPACE, type Alarm, WALL_NAMESPACE, type AlarmChange, type ClientToServerEvents, type ServerToClientEvents } from '@wall/shared';
import { io, type Socket } from 'socket.io-client';
import { WallConnection, type SocketLike } from '../../client/src/lib/connection.js';
import type { History } from './history.js';
import { WallLink } from './sut.js';

// The walls run the client's own connection logic (WallConnection and its ViewReplica) on a
// real socket.io client, each through a link of its own that a fault can cut; the supervisor
// consoles are socket.io clients of /supervisor. What each shows is recorded with its time.

const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
  random: () => Math.random(),
};

export class Wall {
  readonly link = new WallLink();
  connection!: WallConnection;
  /** A page reload (the wall sent back to the login): never expected. */
  reloads = 0;
  constructor(
    readonly name: string,
    private readonly history: History,
  ) {}

  async start(nginxPort: number, from: string, token: string): Promise<void> {
    await this.link.start(nginxPort, from);
    this.connection = new WallConnection(
      () =>
        io(`${this.link.url}${WALL_NAMESPACE}`, {
          auth: { token },
          autoConnect: false,
          reconnection: true,
          reconnectionDelay: 1000,
          reconnectionDelayMax: 15_000,
          randomizationFactor: 0.5,
          timeout: 10_000,
          forceNew: true,
        }) as unknown as SocketLike,
      {
        onData: (view, kind) => this.history.record({ type: 'wall', wall: this.name, kind, seq: view.seq, rev: view.rev }),
        onState: () => undefined,
        onUnauthorized: () => this.reloads++,
      },
      timers,
    );
    this.connection.start();
  }

  get seq(): number {
    return this.connection.replica.seq;
  }

  async stop(): Promise<void> {
    this.connection?.stop();
    await this.link.close();
  }
}

export class Console {
  readonly link = new WallLink();
  private socket: Socket | null = null;
  constructor(
    readonly user: string,
    private readonly history: History,
  ) {}

  async start(nginxPort: number, from: string, token: string): Promise<void> {
    await this.link.start(nginxPort, from);
    const s: Socket<ServerToClientEvents & { alarm: (c: AlarmChange) => void; alarms: (list: Alarm[]) => void }, ClientToServerEvents> = io(
      `${this.link.url}${SUPERVISOR_NAMESPACE}`,
      {
        auth: { token },
        reconnectionDelay: 1000,
        reconnectionDelayMax: 5000,
        forceNew: true,
      },
    );
    s.on('alarms', (list: Alarm[]) => {
      for (const a of list) this.history.record({ type: 'console', console: this.user, kind: 'listed', alarm: a.id, level: a.level });
    });
    s.on('alarm', (c: AlarmChange) => this.history.record({ type: 'console', console: this.user, kind: c.kind, alarm: c.alarm.id, level: c.alarm.level }));
    this.socket = s as unknown as Socket;
  }

  async stop(): Promise<void> {
    this.socket?.close();
    await this.link.close();
  }
}

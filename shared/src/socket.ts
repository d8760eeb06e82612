import type { WallSections } from './view.js';

// The socket.io event map, used by the server's `Server<...>` and the client's `Socket<...>`.

export const WALL_NAMESPACE = '/wall';

export interface WallSnapshot {
  /** Applied events reflected (the feed answer's `seq`). */
  seq: number;
  /** This server's view revision; each delta names the revision it follows. */
  rev: number;
  /** Server time the view was computed for (epoch ms). */
  at: number;
  sections: WallSections;
}

export interface WallDelta {
  seq: number;
  rev: number;
  prevRev: number;
  at: number;
  sections: Partial<WallSections>;
}

/** Sent every few seconds, never dropped: a wall whose rev differs missed a (volatile) delta. */
export interface WallHeartbeat {
  seq: number;
  rev: number;
  at: number;
}

export interface ServerToClientEvents {
  snapshot: (snapshot: WallSnapshot) => void;
  delta: (delta: WallDelta) => void;
  heartbeat: (beat: WallHeartbeat) => void;
}

export interface ClientToServerEvents {
  /** Asks for a fresh snapshot, e.g. after a gap in revisions. */
  resync: () => void;
}

/** GET /api/settings: what the browser takes from the server before it draws. */
export interface ClientSettings {
  /** TZ_REPORTS: every day, month and clock time on every page is in this zone. */
  timeZone: string;
  /** The built-in simulator runs on this server (its store is a demo store). */
  simulate: boolean;
}

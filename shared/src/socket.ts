import { z } from 'zod';
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

/**
 * A wall screen says who it is and what it shows, on connecting and after each heartbeat, so
 * the server can list the screens alive (GET /api/wall/screens).
 */
export const wallScreenReportSchema = z.strictObject({
  /** Chosen by the screen (`?screen=`) or generated once per browser tab. */
  id: z.string().regex(/^[A-Za-z0-9._,:-]{1,64}$/, 'letters, digits and . _ , : - only, at most 64'),
  /** The seq it shows. */
  seq: z.number().int().nonnegative(),
  /** The layout it shows ("16x9", …) and its tile of a splice wall ("4x2@3,1"), if any. */
  layout: z.string().max(16),
  tile: z.string().max(16).nullable(),
  /** What it shows right now: the live wall or another view of its playlist. */
  view: z.enum(['live', 'bulletin', 'replay']),
  /** Its CSS viewport and device pixel ratio, "1920x1080@1.25". */
  screen: z.string().max(32),
});
export type WallScreenReport = z.infer<typeof wallScreenReportSchema>;

/** A screen the server heard from lately, as the admin list shows it. */
export interface WallScreen extends WallScreenReport {
  user: string;
  /** Server time of its last report (epoch ms). */
  lastContact: number;
  connectedAt: number;
}

export interface ClientToServerEvents {
  /** Asks for a fresh snapshot, e.g. after a gap in revisions. */
  resync: () => void;
  screen: (report: WallScreenReport) => void;
}

/** GET /api/settings: what the browser takes from the server before it draws. */
export interface ClientSettings {
  /** TZ_REPORTS: every day, month and clock time on every page is in this zone. */
  timeZone: string;
  /** The built-in simulator runs on this server (its store is a demo store). */
  simulate: boolean;
}

import type { TickerItem } from '@wall/shared';

// Short-lived "new incident" markers for the map: an incident that appears in the ticker and
// was reported within the last TTL gets a marker that fades out in a few steps. Bounded in
// count and time.

export const RECENT_TTL_MS = 90_000;
export const RECENT_MAX = 30;
/**
 * The fade goes in steps, not continuously: a marker changes looks twice in its life, and the
 * map is redrawn only then (a continuous fade redrew or animated every marker all the time).
 */
export const RECENT_STAGES = 3;

export interface RecentMarker {
  incident: string;
  t: number;
  district: string | null;
  location: { lng: number; lat: number } | null;
  /** When the wall first saw it (its own clock): the marker ends RECENT_TTL_MS later. */
  seenAt: number;
  /** 0 when new, up to RECENT_STAGES - 1 as it ages. */
  stage: number;
}

export function recentStage(seenAt: number, now: number): number {
  return Math.max(0, Math.min(RECENT_STAGES - 1, Math.floor(((now - seenAt) * RECENT_STAGES) / RECENT_TTL_MS)));
}

export class RecentIncidents {
  private markers: RecentMarker[] = [];
  private seen = new Set<string>();

  /**
   * Takes the latest ticker; returns true when the marker list changed. `now` is server time
   * (the incident's age), `seenAt` the wall's own clock reading.
   */
  update(ticker: TickerItem[], now: number): boolean {
    let changed = false;
    const nextSeen = new Set<string>();
    for (const item of ticker) {
      nextSeen.add(item.incident);
      if (this.seen.has(item.incident)) continue;
      if (now - item.t > RECENT_TTL_MS || item.t - now > RECENT_TTL_MS) continue;
      if (this.markers.some((m) => m.incident === item.incident)) continue;
      this.markers.push({ incident: item.incident, t: item.t, district: item.district, location: item.location, seenAt: now, stage: 0 });
      changed = true;
    }
    // Only what the ticker holds now is remembered: the set stays as small as the ticker.
    this.seen = nextSeen;
    if (this.markers.length > RECENT_MAX) {
      this.markers.sort((a, b) => b.seenAt - a.seenAt || b.t - a.t);
      this.markers.length = RECENT_MAX;
      changed = true;
    }
    return this.prune(now) || changed;
  }

  /** Drops markers older than the TTL and moves the others' fade on; true when any changed. */
  prune(now: number): boolean {
    const before = this.markers.length;
    this.markers = this.markers.filter((m) => now - m.seenAt < RECENT_TTL_MS);
    let changed = this.markers.length !== before;
    for (const m of this.markers) {
      const stage = recentStage(m.seenAt, now);
      if (stage !== m.stage) {
        m.stage = stage;
        changed = true;
      }
    }
    return changed;
  }

  list(): readonly RecentMarker[] {
    return this.markers;
  }

  clear(): void {
    this.markers = [];
    this.seen.clear();
  }
}

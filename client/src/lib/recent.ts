import type { TickerItem } from '@wall/shared';

// Short-lived "new incident" markers for the map: an incident that appears in the ticker and
// was reported within the last TTL gets a marker that fades out. Bounded in count and time.

export const RECENT_TTL_MS = 90_000;
export const RECENT_MAX = 30;

export interface RecentMarker {
  incident: string;
  t: number;
  district: string | null;
  location: { lng: number; lat: number } | null;
  /** When the wall first saw it (its own clock): the marker ends RECENT_TTL_MS later. */
  seenAt: number;
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
      this.markers.push({ incident: item.incident, t: item.t, district: item.district, location: item.location, seenAt: now });
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

  /** Drops markers older than the TTL; true when any went. */
  prune(now: number): boolean {
    const before = this.markers.length;
    this.markers = this.markers.filter((m) => now - m.seenAt < RECENT_TTL_MS);
    return this.markers.length !== before;
  }

  list(): readonly RecentMarker[] {
    return this.markers;
  }

  clear(): void {
    this.markers = [];
    this.seen.clear();
  }
}

import { Zone, type ClientSettings } from '@wall/shared';

// The report zone (TZ_REPORTS) as the server announces it at GET /api/settings. Every page
// shows days, months and clock times in it, so the wall PC's own zone never matters and the
// zone is configured in one place: the server.

let current: Zone | null = null;

export function setReportZone(timeZone: string): Zone {
  current = new Zone(timeZone);
  return current;
}

/** The zone the server counts in. Loaded before the app mounts (main.ts). */
export function reportZone(): Zone {
  if (!current) throw new Error('the report zone is not loaded yet (GET /api/settings)');
  return current;
}

export async function loadSettings(signal?: AbortSignal): Promise<ClientSettings> {
  const res = await fetch('/api/settings', { signal });
  if (!res.ok) throw new Error(`/api/settings: ${res.status}`);
  const settings = (await res.json()) as ClientSettings;
  setReportZone(settings.timeZone);
  return settings;
}

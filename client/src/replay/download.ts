import { parseStored, type StoredEvent, type Zone } from '@wall/shared';
import { apiFetch } from '../lib/api';
import { readLines } from './lines';
import type { ReplayParams } from './params';

export interface DownloadProgress {
  events: number;
  bytes: number;
  /** 0..1: how far into the range the downloaded events reach. */
  reach: number;
}

/** The stored events of the replay's range, from GET /api/events (NDJSON, read as it streams). */
export async function downloadEvents(token: string, params: ReplayParams, zone: Zone, signal: AbortSignal, onProgress: (p: DownloadProgress) => void): Promise<StoredEvent[]> {
  const q = new URLSearchParams({ from: params.downloadFrom, to: params.downloadTo });
  const res = await apiFetch(`/api/events?${q}`, { token, signal, failure: (status) => `事件下载失败 (${status})` });
  if (!res.body) throw new Error(`事件下载失败 (${res.status})`);
  const events: StoredEvent[] = [];
  const from = zone.startOfDay(params.downloadFrom);
  let latest = from;
  await readLines(
    res.body,
    (line) => {
      const e = parseStored(line);
      events.push(e);
      if (e.t > latest) latest = e.t;
    },
    (p) => onProgress({ events: events.length, bytes: p.bytes, reach: Math.min(1, Math.max(0, (latest - from) / (params.end - from))) }),
  );
  return events;
}

import type { Alarm, Roster } from '@wall/shared';
import { apiJson, type ApiOptions } from '../lib/api';

// The REST calls of the supervisor console.

function call<T>(token: string, path: string, options: Omit<ApiOptions, 'token'> = {}): Promise<T> {
  return apiJson<T>(path, { failure: (status) => `请求失败 (${status})`, ...options, token });
}

export function fetchHistory(token: string, since: number, signal?: AbortSignal): Promise<Alarm[]> {
  return call<Alarm[]>(token, `/api/alarms?state=all&since=${encodeURIComponent(new Date(since).toISOString())}`, { signal });
}

export function acknowledge(token: string, id: string, note: string): Promise<Alarm> {
  return call<Alarm>(token, `/api/alarms/${encodeURIComponent(id)}/ack`, {
    method: 'POST',
    body: note.trim() ? { note: note.trim() } : {},
  });
}

export function fetchRoster(token: string, signal?: AbortSignal): Promise<Roster> {
  return call<Roster>(token, '/api/roster', { signal });
}

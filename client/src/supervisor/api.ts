import type { Alarm, Roster } from '@wall/shared';
import { UnauthorizedError } from '../lib/auth';

// The REST calls of the supervisor console.

async function call<T>(token: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...(init.headers ?? {}) },
  });
  if (res.status === 401) throw new UnauthorizedError();
  const body = (await res.json().catch(() => ({}))) as T & { message?: string | string[] };
  if (!res.ok) {
    const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
    throw new Error(message || `请求失败 (${res.status})`);
  }
  return body;
}

export function fetchHistory(token: string, since: number, signal?: AbortSignal): Promise<Alarm[]> {
  return call<Alarm[]>(token, `/api/alarms?state=all&since=${encodeURIComponent(new Date(since).toISOString())}`, { signal });
}

export function acknowledge(token: string, id: string, note: string): Promise<Alarm> {
  return call<Alarm>(token, `/api/alarms/${encodeURIComponent(id)}/ack`, {
    method: 'POST',
    body: JSON.stringify(note.trim() ? { note: note.trim() } : {}),
  });
}

export function fetchRoster(token: string, signal?: AbortSignal): Promise<Roster> {
  return call<Roster>(token, '/api/roster', { signal });
}

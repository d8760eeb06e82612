import type { CalendarDay, CoverageWarning, EnteredConflict } from '@wall/shared';
import { apiJson } from '../lib/api';

// The calendar and notice-import calls (server/src/roster/calendar.controller.ts, holidays.controller.ts).

export interface Coverage {
  now: string;
  today: string;
  coveredUntil: string;
  warning: CoverageWarning | null;
  conflicts: EnteredConflict[];
}

const failure = (status: number) => `请求失败 (${status})`;

export function fetchCoverage(token: string, signal?: AbortSignal): Promise<Coverage> {
  return apiJson<Coverage>('/api/calendar/coverage', { token, signal, failure });
}

export function parseNotice(token: string, text: string): Promise<{ year: number; days: CalendarDay[] }> {
  return apiJson('/api/roster/holidays/parse', { token, method: 'POST', body: { text }, failure });
}

export function storeYear(token: string, year: number, days: CalendarDay[]): Promise<unknown> {
  return apiJson(`/api/roster/holidays/${year}`, { token, method: 'PUT', body: { days }, failure });
}

/** The role in the session's token (the server checks it again on every call). */
export function tokenRole(token: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)))) as { role?: unknown };
    return typeof payload.role === 'string' ? payload.role : null;
  } catch {
    return null;
  }
}

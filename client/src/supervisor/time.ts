import { dutyPeriodOn, type Roster } from '@wall/shared';
import { formatDuration, localDayKey, localParts } from '../lib/format';

// Times of the supervisor console, in the report zone (lib/zone.ts) as in lib/format.

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** How long an alarm is overdue at `now`: "00:07", "1:02:03"; before its due time "00:00". */
export function overdueText(now: number, dueAt: string | number): string {
  const due = typeof dueAt === 'number' ? dueAt : Date.parse(dueAt);
  return formatDuration(now - due);
}

/** "10-03 14:32:08" in the report zone; "—" for null or an invalid time. */
export function formatDateTime(t: string | number | null | undefined): string {
  if (t === null || t === undefined) return '—';
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) return '—';
  const p = localParts(ms);
  return `${pad2(p.month)}-${pad2(p.day)} ${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** "14:32:08" in the report zone. */
export function formatTime(t: string | number): string {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) return '—';
  const p = localParts(ms);
  return `${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** Lateness in seconds as words: 42 -> "42秒", 192 -> "3分12秒", 3725 -> "1小时02分05秒"; null -> "—". */
export function formatLate(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}小时${pad2(m)}分${pad2(r)}秒`;
  if (m > 0) return `${m}分${pad2(r)}秒`;
  return `${r}秒`;
}

export const SHIFT_HOURS = 12;

/** The start of "this shift" for the history: the last 12 hours, on a whole minute. */
export function shiftStart(now: number, hours = SHIFT_HOURS): number {
  const t = now - hours * 3600_000;
  return t - (t % 60_000);
}

/** The holiday-duty period on today (report zone), if any. */
export function dutyToday(roster: Roster | null, now: number): { name: string; from: string; to: string } | null {
  if (!roster) return null;
  return dutyPeriodOn(roster, localDayKey(now)) ?? null;
}

/** The username (JWT `sub`) of a token, without verifying it; null when it is not a JWT. */
export function tokenSubject(token: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bin = atob(b64);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}

/** Who may use the console: supervisors and admins; a stored role of null (unknown) is let the server decide. */
export function roleAllowed(role: string | null): boolean {
  return role === null || role === 'supervisor' || role === 'admin';
}

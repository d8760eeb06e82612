import { LIMIT_LABELS, type LimitName } from '@wall/shared';
import { reportZone } from './zone';

// Formatting of the wall's figures. No DOM; local times are in the report zone the server
// announces (lib/zone.ts), read through the shared Zone (offsets cached per day).

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
export const DASH = '—';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** Wall-clock parts of instant t in the report zone. */
export function localParts(t: number): LocalParts {
  // Every offset in use is whole minutes, so the second is the UTC one.
  return { ...reportZone().parts(t), second: new Date(t).getUTCSeconds() };
}

/** "YYYY-MM-DD" of instant t in the report zone. */
export function localDayKey(t: number): string {
  return reportZone().dayKey(t);
}

/** "2020年10月03日" */
export function formatDate(t: number): string {
  const p = localParts(t);
  return `${p.year}年${pad2(p.month)}月${pad2(p.day)}日`;
}

/** "星期六" */
export function formatWeekday(t: number): string {
  return WEEKDAYS[localParts(t).weekday]!;
}

/** "14:32:08" */
export function formatClock(t: number): string {
  const p = localParts(t);
  return `${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** "14:32" */
export function formatHm(t: number): string {
  const p = localParts(t);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** Integer with thousands separators: 1027 -> "1,027"; null -> "—". */
export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  const sign = n < 0 ? '-' : '';
  const s = String(Math.round(Math.abs(n)));
  return sign + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count without grouping, for narrow table columns (as the bulletin prints them). */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return String(Math.round(n));
}

/**
 * A percentage already in percent units: 99.61 -> "99.61%". Trailing zeros are kept to the
 * given digits so columns line up ("100.00%"); null (nothing to divide) -> "—".
 */
export function formatPercent(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${v.toFixed(digits)}%`;
}

/**
 * How long overdue: "06:41" under an hour, "1:02:03" under a day, "2天 03:04:05" beyond.
 * Negative or NaN -> "00:00".
 */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600) % 24;
  const d = Math.floor(total / 86400);
  if (d > 0) return `${d}天 ${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  if (h > 0) return `${h}:${pad2(m)}:${pad2(s)}`;
  return `${pad2(m)}:${pad2(s)}`;
}

export interface Change {
  dir: 'up' | 'down' | 'flat';
  /** "+12", "-3", "±0" */
  diff: string;
  /** "+3.9%", "-10.0%", or "" when yesterday had none. */
  pct: string;
}

/** The change of a count against yesterday at the same time. */
export function formatChange(now: number, before: number): Change {
  const d = now - before;
  const dir = d > 0 ? 'up' : d < 0 ? 'down' : 'flat';
  const diff = d > 0 ? `+${formatInt(d)}` : d < 0 ? `-${formatInt(-d)}` : '±0';
  const pct = before > 0 ? `${d >= 0 ? '+' : '-'}${((Math.abs(d) * 100) / before).toFixed(1)}%` : '';
  return { dir, diff, pct };
}

export const KIND_LABELS: Record<string, string> = { alarm: '报警', help: '求助', complaint: '投诉' };

export function limitLabel(limit: string): string {
  return LIMIT_LABELS[limit as LimitName] ?? limit;
}

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

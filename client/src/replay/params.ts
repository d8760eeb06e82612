import { Zone } from '@wall/shared';

// The replay's URL: /replay?from=2020-08-01&to=2020-08-31&speed=3600[&at=2020-08-14T02:10][&play=1]
// Days and times are local to the report zone (TZ_REPORTS, from the server: lib/zone.ts).

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY_MS = 24 * HOUR;
/** The longest range one replay downloads. */
export const MAX_RANGE_DAYS = 92;
export const SPEEDS = [1, 10, 60, 300, 600, 1800, 3600, 10_000, 36_000, 100_000] as const;
export const MIN_SPEED = 1;
export const MAX_SPEED = 100_000;
export const DEFAULT_SPEED = 3600;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const AT_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

export interface ReplayParams {
  /** "YYYY-MM-DD", first day replayed. */
  from: string;
  /** "YYYY-MM-DD", last day replayed (inclusive). */
  to: string;
  /** The range in epoch ms: from 00:00 to the last millisecond of `to`. */
  start: number;
  end: number;
  /** What to download: from the day before the month of `from` (yesterday and month-to-date figures), to `to`. */
  downloadFrom: string;
  downloadTo: string;
  speed: number;
  /** Where the virtual clock starts (`at`, else `from` 00:00). */
  initial: number;
  /** Start playing at once. */
  play: boolean;
}

export type ParseResult = { ok: true; params: ReplayParams } | { ok: false; error: string };

function validDay(s: string | null): s is string {
  const m = s ? DAY_RE.exec(s) : null;
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The day before the first of the month of `day`: "2020-08-14" -> "2020-07-31". */
export function dayBeforeMonth(day: string): string {
  return Zone.previousDay(`${day.slice(0, 7)}-01`);
}

/** "2020-08-14T02:10" (local) -> instant; undefined when malformed. */
export function parseLocalTime(text: string, zone: Zone): number | undefined {
  const m = AT_RE.exec(text.trim());
  if (!m || !validDay(m[1]!)) return undefined;
  const h = Number(m[2]);
  const min = Number(m[3]);
  const s = m[4] === undefined ? 0 : Number(m[4]);
  if (h > 23 || min > 59 || s > 59) return undefined;
  // Whole hours from local midnight: exact for a zone without DST (China since 1991).
  return zone.startOfDay(m[1]!) + h * HOUR + min * MINUTE + s * 1000;
}

export function clampSpeed(speed: number): number {
  if (!Number.isFinite(speed)) return DEFAULT_SPEED;
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}

/**
 * Reads the replay's query string. Missing `from`/`to` default to this month up to today
 * (`now` decides "today"); anything malformed is an error naming the parameter.
 */
export function parseReplayParams(search: string, now: number, zone: Zone): ParseResult {
  const q = new URLSearchParams(search);
  const today = zone.dayKey(now);
  const from = q.get('from') ?? `${today.slice(0, 7)}-01`;
  const to = q.get('to') ?? (q.get('from') ? from : today);
  if (!validDay(from)) return { ok: false, error: `from: 应为 YYYY-MM-DD（收到 "${from}"）` };
  if (!validDay(to)) return { ok: false, error: `to: 应为 YYYY-MM-DD（收到 "${to}"）` };
  if (to < from) return { ok: false, error: `to (${to}) 早于 from (${from})` };
  const start = zone.startOfDay(from);
  const end = zone.startOfDay(nextDay(to)) - 1;
  if (end - start > MAX_RANGE_DAYS * DAY_MS) return { ok: false, error: `回放范围最多 ${MAX_RANGE_DAYS} 天` };

  const speedText = q.get('speed');
  let speed = DEFAULT_SPEED;
  if (speedText !== null) {
    const n = Number(speedText);
    if (!Number.isFinite(n) || n <= 0) return { ok: false, error: `speed: 应为 1 至 100000 的数（收到 "${speedText}"）` };
    speed = clampSpeed(n);
  }

  let initial = start;
  const atText = q.get('at');
  if (atText !== null) {
    const at = parseLocalTime(atText, zone);
    if (at === undefined) return { ok: false, error: `at: 应为 YYYY-MM-DDTHH:MM（收到 "${atText}"）` };
    initial = Math.min(end, Math.max(start, at));
  }
  const playText = q.get('play');
  const play = playText !== null && playText !== '0' && playText !== 'false';
  return { ok: true, params: { from, to, start, end, downloadFrom: dayBeforeMonth(from), downloadTo: to, speed, initial, play } };
}

/** The speed choices, with an odd speed from the URL kept in its place. */
export function speedChoices(current: number): number[] {
  const list: number[] = [...SPEEDS];
  if (!list.includes(current)) list.push(current);
  return list.sort((a, b) => a - b);
}

/** "1x", "3,600x", "100,000x" */
export function speedLabel(speed: number): string {
  const s = Number.isInteger(speed) ? String(speed) : speed.toFixed(1);
  return `${s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}x`;
}

import chineseDays from 'chinese-days';

// The State Council's holidays and 调休 make-up workdays, from the maintained `chinese-days`
// package (its data ships in the package: nothing is fetched), plus the years an admin entered
// from the State Council's notice (holiday-notice.ts) that the package does not cover yet.
// Dates neither covers fall back to Monday-Friday workdays, and `coveredUntil` says where that
// begins; the roster's own days go on top (roster.ts).

export interface StatutoryDay {
  /** false on weekends and holidays, true on workdays including 调休 make-up days. */
  work: boolean;
  /** The holiday's Chinese name (国庆节, 春节 ...) on holidays and their make-up workdays, else null. */
  holiday: string | null;
}

/** One day as GET /api/calendar and the notice import carry it. */
export interface CalendarDay extends StatutoryDay {
  date: string;
}

/** Days entered from a notice, by the notice's year ("2027"): only its holidays and make-up workdays. */
export type EnteredHolidays = Readonly<Record<string, readonly CalendarDay[]>>;

const memo = new Map<string, StatutoryDay>();
const MEMO_MAX = 4000;

// The package shortens three names; the notices (and so an entered year) use the full ones.
const FULL_NAMES: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

export function addDays(dayKey: string, n: number): string {
  const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The package's day: a weekday or weekend by the week where it has no data. */
export function statutoryDay(dayKey: string): StatutoryDay {
  let day = memo.get(dayKey);
  if (day) return day;
  const detail = chineseDays.getDayDetail(dayKey);
  // Holidays and make-up days are named "English,中文,days"; ordinary days by their weekday.
  const parts = detail.name.split(',');
  day = { work: detail.work, holiday: parts.length === 3 ? (FULL_NAMES[parts[1]!] ?? parts[1]!) : null };
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(dayKey, day);
  return day;
}

const coveredYears = new Map<number, boolean>();

/** The package has a year when it knows that year's 春节, which every notice sets. */
export function libraryCovers(year: number): boolean {
  let covered = coveredYears.get(year);
  if (covered === undefined) {
    covered = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-03-31`, false).some((d) => statutoryDay(d).holiday === '春节');
    coveredYears.set(year, covered);
  }
  return covered;
}

let libraryLast: number | undefined;

/** The last year the package covers (2026 for chinese-days 1.5.7). */
export function libraryLastYear(): number {
  if (libraryLast === undefined) {
    let y = 2004; // the package's first year
    while (libraryCovers(y + 1)) y++;
    libraryLast = y;
  }
  return libraryLast;
}

const enteredIndex = new WeakMap<EnteredHolidays, Map<string, CalendarDay>>();

// An entered year counts only where the package has no data of its own: a newer package wins.
function enteredDays(entered: EnteredHolidays): Map<string, CalendarDay> {
  let index = enteredIndex.get(entered);
  if (!index) {
    index = new Map();
    for (const [year, days] of Object.entries(entered)) {
      if (libraryCovers(Number(year))) continue;
      for (const day of days) index.set(day.date, day);
    }
    enteredIndex.set(entered, index);
  }
  return index;
}

/** The day as duty sees it: an entered year's day where the package has none, else the package's. */
export function calendarDay(dayKey: string, entered: EnteredHolidays = {}): StatutoryDay {
  const own = enteredDays(entered).get(dayKey);
  return own ? { work: own.work, holiday: own.holiday } : statutoryDay(dayKey);
}

/** Every day from `from` to `to` (both included). */
export function calendarDays(from: string, to: string, entered: EnteredHolidays = {}): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push({ date: d, ...calendarDay(d, entered) });
  return out;
}

/** The last day the statutory data reaches: the package's last year, then each following year entered, in a row. */
export function coveredUntil(entered: EnteredHolidays = {}): string {
  let y = libraryLastYear();
  while ((entered[String(y + 1)]?.length ?? 0) > 0) y++;
  return `${y}-12-31`;
}

/** The statutory holiday `dayKey` falls in, as a period of its consecutive days off, or undefined. */
export function statutoryHoliday(dayKey: string, entered: EnteredHolidays = {}): { name: string; from: string; to: string } | undefined {
  const today = calendarDay(dayKey, entered);
  if (today.work || today.holiday === null) return undefined;
  const same = (k: string) => {
    const d = calendarDay(k, entered);
    return !d.work && d.holiday === today.holiday;
  };
  let from = dayKey;
  let to = dayKey;
  for (let i = 0; i < 20 && same(addDays(from, -1)); i++) from = addDays(from, -1);
  for (let i = 0; i < 20 && same(addDays(to, 1)); i++) to = addDays(to, 1);
  return { name: today.holiday, from, to };
}

export interface EnteredConflict {
  date: string;
  entered: StatutoryDay;
  library: StatutoryDay;
}

/**
 * Entered days a newer package now disagrees with, for the admin to see: the package's are used.
 * The package's own holidays and make-up days of an entered year that the entry lacks count too.
 */
export function enteredConflicts(entered: EnteredHolidays): EnteredConflict[] {
  const out: EnteredConflict[] = [];
  for (const [year, days] of Object.entries(entered)) {
    if (!libraryCovers(Number(year))) continue;
    const own = new Map(days.map((d) => [d.date, d]));
    const dates = new Set(days.map((d) => d.date));
    for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
      const named = statutoryDay(d).holiday;
      // A late-December 元旦 is next year's notice's (2022-12-31 is 2023's).
      if (named !== null && !(named === '元旦' && d.slice(5, 7) === '12')) dates.add(d);
    }
    for (const date of [...dates].sort()) {
      const library = statutoryDay(date);
      const mine = own.get(date);
      const entry = mine ? { work: mine.work, holiday: mine.holiday } : ordinaryDay(date);
      if (entry.work !== library.work || entry.holiday !== library.holiday) out.push({ date, entered: entry, library });
    }
  }
  return out;
}

/** A day no notice names: Monday to Friday worked. */
export function ordinaryDay(dayKey: string): StatutoryDay {
  const w = new Date(`${dayKey}T00:00:00Z`).getUTCDay();
  return { work: w !== 0 && w !== 6, holiday: null };
}

export interface CoverageWarning {
  /** warn: from 1 November while next year is missing; red: today itself is past the data. */
  level: 'warn' | 'red';
  /** The year whose notice must be imported. */
  year: number;
  message: string;
}

/** What the consoles tell admins about the calendar on `today` (a day key in the report zone). */
export function coverageWarning(today: string, until: string): CoverageWarning | null {
  const year = Number(today.slice(0, 4));
  if (today > until) {
    return { level: 'red', year, message: `${year}年法定节假日未导入：节假日按普通工作日和周末处理，请导入国务院办公厅关于${year}年部分节假日安排的通知` };
  }
  if (today.slice(5) >= '11-01' && until < `${year + 1}-12-31`) {
    return { level: 'warn', year: year + 1, message: `${year + 1}年法定节假日尚未导入（日历只到${until}），国务院办公厅通知发布后请及时导入` };
  }
  return null;
}

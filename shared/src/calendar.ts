import chineseDays from 'chinese-days';

// The State Council's holidays and 调休 make-up workdays, from the maintained `chinese-days`
// package (its data ships in the package: nothing is fetched). Dates it does not cover yet
// fall back to Monday-Friday workdays; the roster's own days go on top (roster.ts).

export interface StatutoryDay {
  /** false on weekends and holidays, true on workdays including 调休 make-up days. */
  work: boolean;
  /** The holiday's Chinese name (国庆节, 春节 ...) on holidays and their make-up workdays, else null. */
  holiday: string | null;
}

const memo = new Map<string, StatutoryDay>();
const MEMO_MAX = 4000;

function addDays(dayKey: string, n: number): string {
  const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export function statutoryDay(dayKey: string): StatutoryDay {
  let day = memo.get(dayKey);
  if (day) return day;
  const detail = chineseDays.getDayDetail(dayKey);
  // Holidays and make-up days are named "English,中文,days"; ordinary days by their weekday.
  const parts = detail.name.split(',');
  day = { work: detail.work, holiday: parts.length === 3 ? parts[1]! : null };
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(dayKey, day);
  return day;
}

/** The statutory holiday `dayKey` falls in, as a period of its consecutive days off, or undefined. */
export function statutoryHoliday(dayKey: string): { name: string; from: string; to: string } | undefined {
  const today = statutoryDay(dayKey);
  if (today.work || today.holiday === null) return undefined;
  const same = (k: string) => {
    const d = statutoryDay(k);
    return !d.work && d.holiday === today.holiday;
  };
  let from = dayKey;
  let to = dayKey;
  for (let i = 0; i < 20 && same(addDays(from, -1)); i++) from = addDays(from, -1);
  for (let i = 0; i < 20 && same(addDays(to, 1)); i++) to = addDays(to, 1);
  return { name: today.holiday, from, to };
}

import { addDays, ordinaryDay, type CalendarDay } from '@wall/shared';

// The confirm calendar of a parsed notice: its holidays as periods, and the months it touches
// as week rows (Monday first), each cell a day off, a make-up workday, or an ordinary day.

export interface HolidaySummary {
  name: string;
  from: string;
  to: string;
  offDays: number;
  makeUp: string[];
}

export type CellKind = 'off' | 'makeup' | 'weekend' | 'workday';

export interface Cell {
  date: string;
  day: number;
  kind: CellKind;
  holiday: string | null;
}

export interface MonthGrid {
  month: string; // YYYY-MM
  weeks: Array<Array<Cell | null>>;
}

/** One row per holiday name, in date order: its first and last day off, how many, and its make-up days. */
export function summarize(days: readonly CalendarDay[]): HolidaySummary[] {
  const by = new Map<string, HolidaySummary>();
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    if (d.holiday === null) continue;
    let s = by.get(d.holiday);
    if (!s) by.set(d.holiday, (s = { name: d.holiday, from: '', to: '', offDays: 0, makeUp: [] }));
    if (d.work) s.makeUp.push(d.date);
    else {
      if (!s.from || d.date < s.from) s.from = d.date;
      if (d.date > s.to) s.to = d.date;
      s.offDays++;
    }
  }
  return [...by.values()].sort((a, b) => (a.from || a.makeUp[0]!).localeCompare(b.from || b.makeUp[0]!));
}

/** The months with at least one of `days`, as Monday-first weeks. */
export function monthGrids(days: readonly CalendarDay[]): MonthGrid[] {
  const own = new Map(days.map((d) => [d.date, d]));
  const months = [...new Set(days.map((d) => d.date.slice(0, 7)))].sort();
  return months.map((month) => {
    const weeks: Array<Array<Cell | null>> = [];
    let week: Array<Cell | null> = [];
    const first = `${month}-01`;
    const lead = (new Date(`${first}T00:00:00Z`).getUTCDay() + 6) % 7;
    for (let i = 0; i < lead; i++) week.push(null);
    for (let d = first; d.startsWith(month); d = addDays(d, 1)) {
      const entry = own.get(d);
      const kind: CellKind = entry ? (entry.work ? 'makeup' : 'off') : ordinaryDay(d).work ? 'workday' : 'weekend';
      week.push({ date: d, day: Number(d.slice(8)), kind, holiday: entry?.holiday ?? null });
      if (week.length === 7) {
        weeks.push(week);
        week = [];
      }
    }
    if (week.length) weeks.push([...week, ...Array<null>(7 - week.length).fill(null)]);
    return { month, weeks };
  });
}

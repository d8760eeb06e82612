// Which month the bulletin shows: `?month=YYYY-MM` when valid, else the month before `now`
// (a bulletin is written in the month after the one it reports).

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function previousMonth(now: Date): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export function monthFromSearch(search: string, now: Date): string {
  const month = new URLSearchParams(search).get('month');
  return month && MONTH.test(month) ? month : previousMonth(now);
}

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

import { localParts } from '../lib/format';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** "回放 2020-08-14 02:10" */
export function bannerText(t: number): string {
  return `回放 ${localMinute(t)}`;
}

/** "2020-08-14 02:10" in the report zone. */
export function localMinute(t: number): string {
  const p = localParts(t);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** "2020-08-14T02:10" for the `at` URL parameter. */
export function atParam(t: number): string {
  return localMinute(t).replace(' ', 'T');
}

/** "8/14" */
export function shortDay(t: number): string {
  const p = localParts(t);
  return `${p.month}/${p.day}`;
}

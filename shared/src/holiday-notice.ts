import chineseDays from 'chinese-days';
import type { CalendarDay } from './calendar.js';

// The State Council's yearly notice (国务院办公厅关于YYYY年部分节假日安排的通知), pasted by an
// admin, as the days it sets: each holiday's days off (weekends inside a holiday included) and
// its 调休 make-up workdays. Pure. Its items read "二、春节：2月15日（…、周日）至23日（…、周一）放
// 假调休，共9天。2月14日（周六）、2月28日（周六）上班。"; a supplementary notice (2020's
// "一、延长2020年春节假期至2月2日…") pasted with it extends a holiday. Anything in an item that
// names a holiday and cannot be read fails the whole text, naming the line: half a year stored
// would route duty on a guess.

/** The names the notices use, as `CalendarDay.holiday` carries them. */
export const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;

export interface ParsedNotice {
  year: number;
  /** Sorted by date; dates before the year appear when 元旦 starts on 31 December. */
  days: CalendarDay[];
}

export interface NoticeError {
  /** 1-based line of the pasted text; 0 for the text as a whole. */
  line: number;
  text: string;
  reason: string;
}

export type NoticeResult = ({ ok: true } & ParsedNotice) | { ok: false; error: NoticeError };

export class NoticeParseError extends Error {
  constructor(readonly error: NoticeError) {
    super(error.line ? `第${error.line}行「${error.text}」：${error.reason}` : error.reason);
  }
}

const NUMERAL = '[一二三四五六七八九十]+';
const DATE = '(?:(\\d{4})年)?(?:(\\d{1,2})月)?(\\d{1,2})日';
const PAREN = '(?:（([^）]*)）)?';
const WEEKDAYS = '日一二三四五六';

// Half-width punctuation (as many web copies have it) read as the originals' full-width.
function normalize(text: string): string {
  return text
    .replace(/\r/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）')
    .replace(/:/g, '：')
    .replace(/,/g, '，')
    .replace(/;/g, '；')
    .replace(/[ \t\u3000\u00a0]+/g, '');
}

function key(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return t.toISOString().slice(0, 10);
}

function addDays(dayKey: string, n: number): string {
  const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function weekday(dayKey: string): number {
  return new Date(`${dayKey}T00:00:00Z`).getUTCDay();
}

function dayLabel(dayKey: string): string {
  const [, m, d] = dayKey.split('-').map(Number) as [number, number, number];
  return `${m}月${d}日`;
}

class LineError extends Error {}

/** A date of the text: year and month default to the previous date's (the notice's year first). */
function readDate(match: Array<string | undefined>, at: number, context: { year: number; month?: number }): string {
  const y = match[at] ? Number(match[at]) : context.year;
  const mo = match[at + 1] ? Number(match[at + 1]) : context.month;
  if (mo === undefined) throw new LineError(`日期「${match[at + 2]}日」缺少月份`);
  const k = key(y, mo, Number(match[at + 2]));
  if (!k) throw new LineError(`${y}年${mo}月${match[at + 2]}日不是有效日期`);
  context.year = y;
  context.month = mo;
  return k;
}

/** The weekday in a parenthesis (周日, 星期六, 农历除夕、周二) must be the date's own: a typo would shift a holiday. */
function checkWeekday(dayKey: string, paren: string | undefined): void {
  const said = paren?.match(/(?:周|星期)([日天一二三四五六])/)?.[1];
  if (said === undefined) return;
  const n = said === '天' ? 0 : WEEKDAYS.indexOf(said);
  if (n !== weekday(dayKey)) throw new LineError(`${dayLabel(dayKey)}是周${WEEKDAYS[weekday(dayKey)]}，通知写的是「${paren}」`);
}

function chineseCount(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const digits = '零一二三四五六七八九';
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + digits.indexOf(s[1]!);
  return digits.indexOf(s);
}

interface Holiday {
  names: string[];
  off: string[];
  work: string[];
}

const HOLIDAY_ITEM = new RegExp(`^${NUMERAL}、([^：]+)：(.*)$`);
const RANGE = new RegExp(`^${DATE}${PAREN}(?:至${DATE}${PAREN})?放假(?:调休)?(?:(\\d+|[一二三四五六七八九十]+)天)?(?:，(.*))?$`);
const WORKDAY = new RegExp(`^${DATE}${PAREN}$`);
const IN_LIEU = new RegExp(`^${DATE}${PAREN}补休$`);
const EXTENSION = new RegExp(`^${NUMERAL}、延长(\\d{4})年(\\S+?)假期至${DATE}${PAREN}`);
const NAMES = new Set<string>(HOLIDAY_NAMES);

function readHoliday(names: string[], body: string, year: number): Holiday {
  const sentences = body.split('。').filter((s) => s.length > 0);
  const first = sentences.shift() ?? '';
  const range = RANGE.exec(first);
  if (!range) throw new LineError('读不出放假日期：应为「M月D日至D日放假调休，共N天」或「M月D日放假」');
  const context: { year: number; month?: number } = { year };
  const from = readDate(range, 1, context);
  checkWeekday(from, range[4]);
  const to = range[7] ? readDate(range, 5, context) : from;
  if (range[7]) checkWeekday(to, range[8]);
  if (to < from) throw new LineError(`结束日${dayLabel(to)}早于开始日${dayLabel(from)}`);
  const off: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) off.push(d);
  if (off.length > 15) throw new LineError(`放假${off.length}天，超过任何法定假期`);
  const counted = range[9] ?? range[10]?.match(/^共(\d+|[一二三四五六七八九十]+)天$/)?.[1];
  if (counted !== undefined && chineseCount(counted) !== off.length) {
    throw new LineError(`写的是共${counted}天，${dayLabel(from)}至${dayLabel(to)}却是${off.length}天`);
  }
  // Older notices give a day in lieu after the day itself: "1月1日放假，1月2日（星期一）补休".
  const inLieu = range[10] ? IN_LIEU.exec(range[10]) : null;
  if (inLieu) {
    const d = readDate(inLieu, 1, { year: Number(from.slice(0, 4)), month: Number(from.slice(5, 7)) });
    checkWeekday(d, inLieu[4]);
    if (!off.includes(d)) off.push(d);
  }
  const work: string[] = [];
  for (const sentence of sentences) {
    if (sentence.endsWith('上班')) {
      const ctx: { year: number; month?: number } = { year };
      for (const part of sentence.slice(0, -2).split(/、(?=\d)/)) {
        const m = WORKDAY.exec(part);
        if (!m) throw new LineError(`读不出上班日「${part}」：应为「M月D日（星期X）」`);
        const d = readDate(m, 1, ctx);
        checkWeekday(d, m[4]);
        if (off.includes(d)) throw new LineError(`${dayLabel(d)}既放假又上班`);
        work.push(d);
      }
    } else if (/\d+月\d+日[^。]*(?:补休|放假)$/.test(sentence)) {
      throw new LineError(`读不出「${sentence}」：放假与补休日应写在本条第一句`);
    }
    // Other sentences (鼓励各单位…安排职工在除夕休息) set no day.
  }
  return { names, off, work };
}

/** The Mid-Autumn day inside a combined 国庆节、中秋节 holiday is named 中秋节, unless it is 1 October itself. */
function dayName(holiday: Holiday, dayKey: string): string {
  const primary = holiday.names.includes('国庆节') ? '国庆节' : holiday.names[0]!;
  if (holiday.names.length > 1 && holiday.names.includes('中秋节') && !dayKey.endsWith('-10-01')) {
    const lunar = chineseDays.getLunarDate(dayKey);
    if (lunar.lunarMon === 8 && lunar.lunarDay === 15 && !lunar.isLeap) return '中秋节';
  }
  return primary;
}

function noticeYear(lines: string[]): number | NoticeError {
  const years = new Set<number>();
  for (const line of lines) {
    for (const m of line.matchAll(/关于(?:延长)?(\d{4})年(?:部分节假日安排|\S*假期)的通知|现将(\d{4})年元旦/g)) years.add(Number(m[1] ?? m[2]));
  }
  if (years.size === 0) return { line: 0, text: '', reason: '找不到年份：应含标题「国务院办公厅关于YYYY年部分节假日安排的通知」或「现将YYYY年元旦…」' };
  if (years.size > 1) return { line: 0, text: '', reason: `文中有不止一个年份（${[...years].join('、')}），一次只能导入一年` };
  return [...years][0]!;
}

export function parseHolidayNotice(input: string): NoticeResult {
  const lines = normalize(input).split('\n');
  const year = noticeYear(lines);
  if (typeof year !== 'number') return { ok: false, error: year };
  const holidays: Holiday[] = [];
  const extensions: Array<{ line: number; text: string; name: string; to: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const fail = (reason: string): NoticeResult => ({ ok: false, error: { line: i + 1, text: input.replace(/\r/g, '').split('\n')[i]!.trim(), reason } });
    try {
      const ext = EXTENSION.exec(text);
      if (ext) {
        const name = ext[2]!.endsWith('节') || ext[2] === '元旦' ? ext[2]! : `${ext[2]}节`;
        if (!NAMES.has(name)) return fail(`「${ext[2]}」不是法定节假日`);
        const to = readDate(ext, 3, { year: Number(ext[1]) });
        checkWeekday(to, ext[6]);
        extensions.push({ line: i + 1, text, name, to });
        continue;
      }
      const item = HOLIDAY_ITEM.exec(text);
      if (!item) {
        // Outside the numbered items only prose may mention days off; a dated one is a broken item.
        if (/\d+月\d+日[^。]*(?:放假|上班)/.test(text) && !/^(?:经|按照|根据)/.test(text)) return fail('像是一条放假安排，但不是以「一、」等序号和节日名开头');
        continue;
      }
      const names = item[1]!.split('、');
      const unknown = names.filter((n) => !NAMES.has(n));
      if (unknown.length) {
        // An item about something else (推迟开学, 工资报酬) is not a holiday unless it sets days.
        if (/放假|上班/.test(item[2]!)) return fail(`「${unknown.join('、')}」不是法定节假日：应为${HOLIDAY_NAMES.join('、')}之一`);
        continue;
      }
      if (holidays.some((h) => h.names.some((n) => names.includes(n)))) return fail(`${names.join('、')}出现了两次`);
      holidays.push(readHoliday(names, item[2]!, year));
    } catch (e) {
      if (e instanceof LineError) return fail(e.message);
      throw e;
    }
  }
  for (const ext of extensions) {
    const holiday = holidays.find((h) => h.names.includes(ext.name));
    const fail = (reason: string): NoticeResult => ({ ok: false, error: { line: ext.line, text: ext.text, reason } });
    if (!holiday) return fail(`延长${ext.name}假期，但文中没有${ext.name}的原安排：请与原通知一起粘贴`);
    const last = holiday.off[holiday.off.length - 1]!;
    if (ext.to <= last) return fail(`延长至${dayLabel(ext.to)}，不晚于原定的${dayLabel(last)}`);
    for (let d = addDays(last, 1); d <= ext.to; d = addDays(d, 1)) holiday.off.push(d);
    // A make-up workday inside the extension is a day off now (2020-02-01).
    holiday.work = holiday.work.filter((d) => d <= last || d > ext.to);
  }
  if (holidays.length === 0) return { ok: false, error: { line: 0, text: '', reason: '文中没有任何「一、元旦：…」这样的放假安排' } };
  const days = new Map<string, CalendarDay>();
  for (const h of holidays) {
    for (const d of h.off) {
      if (days.has(d)) return { ok: false, error: { line: 0, text: '', reason: `${dayLabel(d)}同时属于两个假期` } };
      days.set(d, { date: d, work: false, holiday: dayName(h, d) });
    }
    for (const d of h.work) {
      if (days.has(d)) return { ok: false, error: { line: 0, text: '', reason: `${dayLabel(d)}同时是放假日和上班日` } };
      days.set(d, { date: d, work: true, holiday: h.names.includes('国庆节') ? '国庆节' : h.names[0]! });
    }
  }
  return { ok: true, year, days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}

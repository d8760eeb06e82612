import { describe, expect, it } from 'vitest';
import { addDays, ordinaryDay, statutoryDay } from './calendar.js';
import { HOLIDAY_NOTICES } from './holiday-notices.fixture.js';
import { parseHolidayNotice, type ParsedNotice } from './holiday-notice.js';

function parsed(text: string): ParsedNotice {
  const result = parseHolidayNotice(text);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.reason}`);
  return result;
}

const years = Object.keys(HOLIDAY_NOTICES).map(Number);

// Each notice against chinese-days, day by day: every day of its year plus the days it sets
// before it (2023's 元旦 from 2022-12-31); the days the next year's notice sets (that 2022-12-31
// again) are that notice's. A day the notice does not set is an ordinary weekday or weekend.
describe('the State Council notices against chinese-days', () => {
  it('has the seven years the library covers', () => {
    expect(years).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });

  for (const year of years) {
    it(`${year}: every day equals the library's`, () => {
      const notice = parsed(HOLIDAY_NOTICES[year]!);
      expect(notice.year).toBe(year);
      const own = new Map(notice.days.map((d) => [d.date, d]));
      const next = HOLIDAY_NOTICES[year + 1] ? new Set(parsed(HOLIDAY_NOTICES[year + 1]!).days.map((d) => d.date)) : new Set<string>();
      const first = notice.days[0]!.date < `${year}-01-01` ? notice.days[0]!.date : `${year}-01-01`;
      const mismatches: string[] = [];
      let compared = 0;
      for (let d = first; d <= `${year}-12-31`; d = addDays(d, 1)) {
        compared++;
        if (next.has(d)) continue;
        const mine = own.get(d);
        const actual = mine ? { work: mine.work, holiday: mine.holiday } : ordinaryDay(d);
        const expected = statutoryDay(d);
        if (actual.work !== expected.work || actual.holiday !== expected.holiday) mismatches.push(`${d}: parsed ${JSON.stringify(actual)}, library ${JSON.stringify(expected)}`);
      }
      expect(mismatches).toEqual([]);
      expect(compared).toBeGreaterThanOrEqual(365);
      // The notice sets days at all: an empty parse would pass only on a year without holidays.
      expect(notice.days.filter((d) => !d.work).length).toBeGreaterThan(20);
    });
  }

  it("the task brief's 春节 line reads as 2026-02-15..23 off, 02-14 and 02-28 worked", () => {
    const text =
      '国务院办公厅关于2026年部分节假日安排的通知\n二、春节：2月15日（农历腊月二十八、周日）至2月23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。';
    const days = parsed(text).days;
    expect(days.filter((d) => !d.work).map((d) => d.date)).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ]);
    expect(days.filter((d) => d.work)).toEqual([
      { date: '2026-02-14', work: true, holiday: '春节' },
      { date: '2026-02-28', work: true, holiday: '春节' },
    ]);
  });

  it('reads web copies with half-width punctuation the same', () => {
    const half = HOLIDAY_NOTICES[2024]!.replace(/（/g, '(').replace(/）/g, ')').replace(/：/g, ':').replace(/，/g, ',');
    expect(parsed(half)).toEqual(parsed(HOLIDAY_NOTICES[2024]!));
  });

  it('2020 without its extension notice ends 春节 on 01-30 and works 02-01: the extension is what the library has', () => {
    const main = HOLIDAY_NOTICES[2020]!.split('\n\n')[0]!;
    const days = new Map(parsed(main).days.map((d) => [d.date, d]));
    expect(days.get('2020-01-31')).toBeUndefined();
    expect(days.get('2020-02-01')).toEqual({ date: '2020-02-01', work: true, holiday: '春节' });
  });
});

describe('older wording', () => {
  // 2017's notice (国办发明电〔2016〕17号), outside the library's check here: a day in lieu (补休) and "与周末连休".
  const y2017 = `国务院办公厅关于2017年部分节假日安排的通知
一、元旦：1月1日放假，1月2日（星期一）补休。
四、劳动节：5月1日放假，与周末连休。
六、中秋节、国庆节：10月1日至8日放假调休，共8天。9月30日（星期六）上班。`;

  it('a 补休 day is a day off of that holiday', () => {
    const days = parsed(y2017).days;
    expect(days.filter((d) => d.holiday === '元旦')).toEqual([
      { date: '2017-01-01', work: false, holiday: '元旦' },
      { date: '2017-01-02', work: false, holiday: '元旦' },
    ]);
    expect(days.filter((d) => d.holiday === '劳动节').map((d) => d.date)).toEqual(['2017-05-01']);
    // 2017's 中秋 fell on 10-04: that day carries its name inside the combined holiday.
    expect(days.find((d) => d.date === '2017-10-04')?.holiday).toBe('中秋节');
    expect(days.find((d) => d.date === '2017-09-30')).toEqual({ date: '2017-09-30', work: true, holiday: '国庆节' });
  });

  it('and matches the library on those days', () => {
    for (const d of parsed(y2017).days) expect({ date: d.date, ...statutoryDay(d.date) }).toEqual(d);
  });
});

describe('a wrong 调休 day fails', () => {
  // A break of the fixture: 2024's National Day make-up Saturday moved by a week.
  it('the library comparison catches a make-up day moved by a week', () => {
    const broken = parsed(HOLIDAY_NOTICES[2024]!.replace('10月12日（星期六）', '10月19日（星期六）'));
    const byDate = new Map(broken.days.map((d) => [d.date, d]));
    const wrong = ['2024-10-12', '2024-10-19'].filter((d) => {
      const mine = byDate.get(d);
      const actual = mine ? { work: mine.work, holiday: mine.holiday } : ordinaryDay(d);
      return JSON.stringify(actual) !== JSON.stringify(statutoryDay(d));
    });
    expect(wrong).toEqual(['2024-10-12', '2024-10-19']);
  });

  it("a weekday that is not the date's own names the line", () => {
    const result = parseHolidayNotice(HOLIDAY_NOTICES[2024]!.replace('10月12日（星期六）', '10月13日（星期六）'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.line).toBe(HOLIDAY_NOTICES[2024]!.split('\n').findIndex((l) => l.startsWith('七、国庆节')) + 1);
    expect(result.error.text).toContain('七、国庆节');
    expect(result.error.reason).toContain('10月13日是周日');
  });
});

describe('unparseable text', () => {
  const fails = (text: string) => {
    const result = parseHolidayNotice(text);
    if (result.ok) throw new Error(`parsed: ${JSON.stringify(result.days)}`);
    return result.error;
  };
  const head = '国务院办公厅关于2027年部分节假日安排的通知\n';

  it('no year', () => {
    expect(fails('一、元旦：1月1日放假，共1天。').reason).toContain('找不到年份');
  });

  it('a count that does not match the range names the line', () => {
    const e = fails(`${head}一、元旦：1月1日至3日放假，共3天。\n二、春节：2月5日至11日放假调休，共8天。`);
    expect(e).toMatchObject({ line: 3, text: '二、春节：2月5日至11日放假调休，共8天。' });
    expect(e.reason).toContain('共8天');
  });

  it('an unknown holiday', () => {
    expect(fails(`${head}一、建军节：8月1日放假，共1天。`)).toMatchObject({ line: 2 });
  });

  it('an item without a readable date', () => {
    expect(fails(`${head}一、元旦：元月一日放假。`).reason).toContain('读不出放假日期');
  });

  it('an invalid date', () => {
    expect(fails(`${head}一、元旦：2月30日放假，共1天。`).reason).toContain('不是有效日期');
  });

  it('a make-up day it cannot read', () => {
    expect(fails(`${head}二、春节：2月5日至11日放假调休，共7天。二月一日（星期一）上班。`).reason).toContain('读不出上班日');
  });

  it('a dated arrangement outside the numbered items', () => {
    expect(fails(`${head}一、元旦：1月1日放假，共1天。\n春节：2月5日至11日放假调休，共7天。`)).toMatchObject({ line: 3 });
  });

  it('two years at once', () => {
    expect(fails(`${head}${HOLIDAY_NOTICES[2026]}`).reason).toContain('不止一个年份');
  });

  it('an extension without the holiday it extends', () => {
    expect(fails('国务院办公厅关于延长2020年春节假期的通知\n一、延长2020年春节假期至2月2日（农历正月初九，星期日），2月3日（星期一）起正常上班。').reason).toContain(
      '请与原通知一起粘贴',
    );
  });

  it('a title alone sets no day', () => {
    expect(fails(head).reason).toContain('没有任何');
  });
});

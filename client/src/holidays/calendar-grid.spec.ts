import { describe, expect, it } from 'vitest';
import { parseHolidayNotice } from '@wall/shared';
import { monthGrids, summarize } from './calendar-grid';

const notice = parseHolidayNotice(
  '国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n二、春节：2月15日（农历腊月二十八、周日）至2月23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。',
);
if (!notice.ok) throw new Error(notice.error.reason);

describe('the confirm calendar', () => {
  it('summarizes each holiday with its days off and make-up days', () => {
    expect(summarize(notice.days)).toEqual([
      { name: '元旦', from: '2026-01-01', to: '2026-01-03', offDays: 3, makeUp: ['2026-01-04'] },
      { name: '春节', from: '2026-02-15', to: '2026-02-23', offDays: 9, makeUp: ['2026-02-14', '2026-02-28'] },
    ]);
  });

  it('lays the months out Monday first, marking days off and make-up days', () => {
    const [jan, feb] = monthGrids(notice.days);
    expect(jan!.month).toBe('2026-01');
    // 2026-01-01 is a Thursday: three blanks before it.
    expect(jan!.weeks[0]!.slice(0, 4).map((c) => c?.kind ?? null)).toEqual([null, null, null, 'off']);
    expect(jan!.weeks[0]![6]).toMatchObject({ date: '2026-01-04', kind: 'makeup', holiday: '元旦' });
    expect(jan!.weeks[1]![5]).toMatchObject({ date: '2026-01-10', kind: 'weekend', holiday: null });
    expect(jan!.weeks.flat().filter((c) => c !== null)).toHaveLength(31);
    expect(feb!.weeks.flat().filter((c) => c?.kind === 'off')).toHaveLength(9);
    expect(feb!.weeks.every((w) => w.length === 7)).toBe(true);
  });
});

import { z } from 'zod';
import { HOLIDAY_NAMES } from './holiday-notice.js';

// A year of statutory days as an admin stores it (PUT /api/roster/holidays/:year), after the
// notice import's preview: only the days the notice sets, each once, all inside that notice's
// reach (its 元旦 may start on 31 December of the year before).

const dayKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const calendarDaySchema = z.strictObject({
  date: dayKey,
  work: z.boolean(),
  holiday: z.enum(HOLIDAY_NAMES, { error: `must be one of ${HOLIDAY_NAMES.join(', ')}` }).nullable(),
});

export const yearKeySchema = z.string().regex(/^(19|20|21)\d{2}$/, 'must be a year YYYY');

/** The days of notice `year`: in its reach, each date once, every one a holiday's (a plain weekday needs no entry). */
export function holidayYearSchema(year: number) {
  return z.strictObject({
    days: z
      .array(calendarDaySchema)
      .min(1, 'a year of holidays has at least one day')
      .max(80)
      .superRefine((days, ctx) => {
        const seen = new Set<string>();
        days.forEach((d, i) => {
          if (!(d.date >= `${year - 1}-12-01` && d.date <= `${year}-12-31`)) {
            ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `must lie in ${year} (or late December ${year - 1} for 元旦)` });
          }
          if (seen.has(d.date)) ctx.addIssue({ code: 'custom', path: [i, 'date'], message: 'appears twice' });
          seen.add(d.date);
          if (d.holiday === null) ctx.addIssue({ code: 'custom', path: [i, 'holiday'], message: 'must name the holiday the day belongs to' });
        });
      }),
  });
}

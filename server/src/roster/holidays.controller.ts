import { BadRequestException, Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { NoticeParseError, holidayYearSchema, parseHolidayNotice, redactRoster, yearKeySchema, type CalendarDay, type Roster } from '@wall/shared';
import { z } from 'zod';
import { AuditRepository } from '../audit/audit.repository.js';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { RosterRepository } from './roster.repository.js';

/** The pasted notice: its text as published (the title line names the year). */
export const noticeSchema = z.strictObject({ text: z.string().min(1, 'paste the notice text').max(20_000) });

/** The State Council's notice import: a preview that stores nothing, then an admin stores the confirmed year. */
@Controller('roster/holidays')
export class HolidaysController {
  constructor(
    private readonly roster: RosterRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Roles('admin')
  @Post('parse')
  @HttpCode(200)
  parse(@Body() body: unknown): { year: number; days: CalendarDay[] } {
    const { text } = parseBody(noticeSchema, body);
    const result = parseHolidayNotice(text);
    if (!result.ok) {
      const message = new NoticeParseError(result.error).message;
      throw new BadRequestException({ statusCode: 400, message: `text: ${message}`, errors: [`text: ${message}`], line: result.error.line, reason: result.error.reason });
    }
    return { year: result.year, days: result.days };
  }

  @Roles('admin')
  @Put(':year')
  async put(@Param('year') year: string, @Body() body: unknown, @CurrentUser() user: Principal): Promise<Roster> {
    parseBody(z.object({ year: yearKeySchema }), { year });
    const { days } = parseBody(holidayYearSchema(Number(year)), body);
    const stored = await this.roster.get();
    const roster: Roster = { ...stored, holidays: { ...stored.holidays, [year]: [...days].sort((a, b) => a.date.localeCompare(b.date)) } };
    await this.roster.put(roster, this.audit.entry(user.username, 'roster.holidays', { year: Number(year), days: days.length }));
    return redactRoster(roster);
  }
}

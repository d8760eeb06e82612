import { Controller, Get, Inject, Query } from '@nestjs/common';
import { calendarDays, coverageWarning, coveredUntil, enteredConflicts, Zone, type CalendarDay, type CoverageWarning, type EnteredConflict } from '@wall/shared';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import { parseBody } from '../common/parse-body.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RosterRepository } from './roster.repository.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const MAX_DAYS = 400;
export const calendarQuery = z
  .object({ from: day, to: day })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) < MAX_DAYS * 86_400_000, { path: ['to'], message: `the range may span at most ${MAX_DAYS} days` });

export interface CoverageAnswer {
  /** The server's instant and day in the report zone: the warning is decided by the server's clock, not the browser's. */
  now: string;
  today: string;
  coveredUntil: string;
  warning: CoverageWarning | null;
  /** Entered days a newer chinese-days now disagrees with (its data is used). */
  conflicts: EnteredConflict[];
}

/** The statutory calendar as duty sees it: chinese-days with the entered notice years on top. */
@Controller('calendar')
export class CalendarController {
  private readonly zone: Zone;

  constructor(
    private readonly roster: RosterRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.zone = new Zone(config.TZ_REPORTS);
  }

  @Roles('admin', 'supervisor', 'viewer', 'wall')
  @Get()
  async days(@Query() query: unknown): Promise<{ coveredUntil: string; days: CalendarDay[] }> {
    const { from, to } = parseBody(calendarQuery, query);
    const { holidays } = await this.roster.get();
    return { coveredUntil: coveredUntil(holidays), days: calendarDays(from, to, holidays) };
  }

  @Roles('admin', 'supervisor')
  @Get('coverage')
  async coverage(): Promise<CoverageAnswer> {
    const now = Date.now();
    const { holidays } = await this.roster.get();
    const today = this.zone.dayKey(now);
    const until = coveredUntil(holidays);
    return { now: new Date(now).toISOString(), today, coveredUntil: until, warning: coverageWarning(today, until), conflicts: enteredConflicts(holidays) };
  }
}

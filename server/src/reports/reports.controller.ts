import { Controller, Get, Query } from '@nestjs/common';
import { MONTH_KEY, drillReport, monthlyReport, type DrillRow, type MonthlyReport } from '@wall/shared';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';

const monthQuery = z.object({ month: z.string().regex(MONTH_KEY, 'must be YYYY-MM') });

@Controller('reports')
export class ReportsController {
  constructor(
    private readonly live: LiveStateService,
    private readonly reference: ReferenceService,
  ) {}

  @Get('monthly')
  monthly(@Query() query: unknown): MonthlyReport {
    const { month } = parseBody(monthQuery, query);
    return monthlyReport(this.live.state, month, this.reference.index);
  }

  @Get('drills')
  drills(@Query() query: unknown): DrillRow[] {
    const { month } = parseBody(monthQuery, query);
    return drillReport(this.live.state, month, this.reference.index, this.live.zone);
  }
}

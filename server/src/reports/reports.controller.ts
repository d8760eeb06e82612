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
  async monthly(@Query() query: unknown): Promise<MonthlyReport> {
    const { month } = parseBody(monthQuery, query);
    await this.live.catchUp();
    return monthlyReport(this.live.state, month, this.reference.index);
  }

  @Get('drills')
  async drills(@Query() query: unknown): Promise<DrillRow[]> {
    const { month } = parseBody(monthQuery, query);
    await this.live.catchUp();
    return drillReport(this.live.state, month, this.reference.index, this.live.zone);
  }
}

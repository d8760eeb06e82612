import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { MONTH_KEY, assessmentRules, type AssessmentReport, type AssessmentRules, type DrillRow, type MonthlyReport, type QualityReport } from '@wall/shared';
import { z } from 'zod';
import { AuditRepository } from '../audit/audit.repository.js';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { AssessmentRulesRepository } from './assessment-rules.repository.js';
import { BulletinService } from './bulletin.service.js';

export const monthQuery = z.object({ month: z.string({ error: 'is required (YYYY-MM)' }).regex(MONTH_KEY, 'must be YYYY-MM') });

// Reads need a user token (the global AuthGuard); changing the assessment rules needs an admin.
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly bulletin: BulletinService,
    private readonly rules: AssessmentRulesRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Get('monthly')
  monthly(@Query() query: unknown): Promise<MonthlyReport> {
    return this.bulletin.monthly(parseBody(monthQuery, query).month);
  }

  @Get('drills')
  drills(@Query() query: unknown): Promise<DrillRow[]> {
    return this.bulletin.drills(parseBody(monthQuery, query).month);
  }

  /** 三个一律: each unit's deductions for the month, ranked, and the units to be named. */
  @Get('assessment')
  assessment(@Query() query: unknown): Promise<AssessmentReport> {
    return this.bulletin.assessment(parseBody(monthQuery, query).month);
  }

  /** Inconsistent events of the month, counted by kind, the first 200 listed. */
  @Get('quality')
  quality(@Query() query: unknown): Promise<QualityReport> {
    return this.bulletin.quality(parseBody(monthQuery, query).month);
  }

  @Get('assessment-rules')
  getRules(): Promise<AssessmentRules> {
    return this.rules.get();
  }

  /** Replaces the rules (audited); a field left out takes its default. Answers the rules now in force. */
  @Put('assessment-rules')
  @Roles('admin')
  async putRules(@Body() body: unknown, @CurrentUser() user: Principal): Promise<AssessmentRules> {
    const rules = parseBody(assessmentRules, body ?? {});
    await this.rules.put(rules, this.audit.entry(user.username, 'assessment-rules.set'));
    return rules;
  }
}

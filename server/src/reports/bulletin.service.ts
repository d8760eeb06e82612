import { Injectable } from '@nestjs/common';
import { assessmentReport, drillReport, monthlyReport, qualityReport, type AssessmentReport, type DrillRow, type MonthlyReport, type QualityReport } from '@wall/shared';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { AssessmentRulesRepository } from './assessment-rules.repository.js';
import type { BulletinData } from './bulletin-tables.js';

/** The month's reports off this instance's projection, after catching up with the event log. */
@Injectable()
export class BulletinService {
  constructor(
    private readonly live: LiveStateService,
    private readonly reference: ReferenceService,
    private readonly rules: AssessmentRulesRepository,
    private readonly log: EventLogRepository,
  ) {}

  async monthly(month: string): Promise<MonthlyReport> {
    await this.live.catchUp();
    return monthlyReport(this.live.state, month, this.reference.index);
  }

  async drills(month: string): Promise<DrillRow[]> {
    await this.live.catchUp();
    return drillReport(this.live.state, month, this.reference.index, this.live.zone);
  }

  async assessment(month: string): Promise<AssessmentReport> {
    const rules = await this.rules.get();
    await this.live.catchUp();
    return assessmentReport(this.live.state, month, this.reference.index, rules);
  }

  async quality(month: string): Promise<QualityReport> {
    const conflicts = await this.log.conflicts();
    await this.live.catchUp();
    return qualityReport(this.live.state, month, this.live.zone, { now: Date.now(), conflicts });
  }

  /** Everything the exports need, read off one state (no event applied between the parts). */
  async all(month: string): Promise<BulletinData> {
    const [rules, conflicts] = await Promise.all([this.rules.get(), this.log.conflicts()]);
    await this.live.catchUp();
    const { state, zone } = this.live;
    const ref = this.reference.index;
    return {
      month,
      monthly: monthlyReport(state, month, ref),
      drills: drillReport(state, month, ref, zone),
      assessment: assessmentReport(state, month, ref, rules),
      quality: qualityReport(state, month, zone, { now: Date.now(), conflicts }),
    };
  }
}

import { Injectable } from '@nestjs/common';
import {
  artifactState,
  assessmentReport,
  drillReport,
  isLiveMonth,
  monthlyReport,
  qualityReport,
  type AssessmentReport,
  type DrillRow,
  type MonthArtifact,
  type MonthlyReport,
  type QualityReport,
} from '@wall/shared';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { HistoryService } from '../history/history.service.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { AssessmentRulesRepository } from './assessment-rules.repository.js';
import type { BulletinData } from './bulletin-tables.js';

/**
 * The month's reports: a live month (the current or the previous one) off this instance's
 * projection after catching up with the event log; a closed month off its stored artifact.
 */
@Injectable()
export class BulletinService {
  constructor(
    private readonly live: LiveStateService,
    private readonly reference: ReferenceService,
    private readonly rules: AssessmentRulesRepository,
    private readonly log: EventLogRepository,
    private readonly history: HistoryService,
  ) {}

  /** The closed month's artifact, or undefined for a live month (after catching up). */
  private async closed(month: string): Promise<MonthArtifact | undefined> {
    if (!isLiveMonth(month, Date.now(), this.live.zone)) return this.history.artifact(month);
    await this.live.catchUp();
    return undefined;
  }

  async monthly(month: string): Promise<MonthlyReport> {
    const artifact = await this.closed(month);
    return monthlyReport(artifact ? artifactState(artifact) : this.live.state, month, this.reference.index);
  }

  async drills(month: string): Promise<DrillRow[]> {
    const artifact = await this.closed(month);
    return artifact ? artifact.drills : drillReport(this.live.state, month, this.reference.index, this.live.zone);
  }

  async assessment(month: string): Promise<AssessmentReport> {
    const rules = await this.rules.get();
    const artifact = await this.closed(month);
    return assessmentReport(artifact ? artifactState(artifact) : this.live.state, month, this.reference.index, rules);
  }

  async quality(month: string): Promise<QualityReport> {
    const artifact = await this.closed(month);
    if (artifact) return artifact.quality;
    const conflicts = await this.log.conflicts();
    return qualityReport(this.live.state, month, this.live.zone, { now: Date.now(), conflicts });
  }

  /** Everything the exports need, read off one state (no event applied between the parts). */
  async all(month: string): Promise<BulletinData> {
    const [rules, conflicts] = await Promise.all([this.rules.get(), this.log.conflicts()]);
    const artifact = await this.closed(month);
    const ref = this.reference.index;
    if (artifact) {
      const state = artifactState(artifact);
      return { month, monthly: monthlyReport(state, month, ref), drills: artifact.drills, assessment: assessmentReport(state, month, ref, rules), quality: artifact.quality };
    }
    const { state, zone } = this.live;
    return {
      month,
      monthly: monthlyReport(state, month, ref),
      drills: drillReport(state, month, ref, zone),
      assessment: assessmentReport(state, month, ref, rules),
      quality: qualityReport(state, month, zone, { now: Date.now(), conflicts }),
    };
  }
}

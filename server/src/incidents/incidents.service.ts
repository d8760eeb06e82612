import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { isLiveMonth, type IncidentMarked } from '@wall/shared';
import { randomBytes } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/auth.types.js';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { FeedService } from '../feed/feed.service.js';
import { LiveStateService } from '../live/live-state.service.js';

@Injectable()
export class IncidentsService {
  constructor(
    private readonly feed: FeedService,
    private readonly live: LiveStateService,
    private readonly audit: AuditRepository,
    private readonly log: EventLogRepository,
  ) {}

  /** The incident's report `at`: from the live window, else from the month indexes (newest first). */
  private async reportTime(id: string): Promise<number | undefined> {
    const live = this.live.state.incidents.get(id)?.report;
    if (live) return live.t;
    return this.log.reportTime(id, (await this.log.months()).reverse());
  }

  /**
   * Marks an incident as a drill (拉动检查) or as real after the fact. The mark goes into the
   * event log like any event, through the feed's validation, so every instance, replay and
   * report sees the same decision.
   */
  async markDrill(id: string, drill: boolean, user: Principal): Promise<{ incident: string; drill: boolean; seq: number }> {
    await this.live.catchUp();
    const reportT = await this.reportTime(id);
    if (reportT === undefined) throw new NotFoundException(`incident ${id} has no report`);
    const month = this.live.zone.monthKey(reportT);
    if ((await this.log.archivedMonths()).has(month)) throw new ConflictException(`incident ${id} belongs to ${month}, which is archived: its events can no longer change`);
    const event: IncidentMarked = {
      id: `mark-${randomBytes(9).toString('base64url')}`,
      type: 'incident.marked',
      at: new Date().toISOString(),
      incident: id,
      drill,
      by: user.username,
    };
    // A mark of a closed month's incident is stored under its report day, where that month's
    // settle span finds it; a live one under its own day, as any event.
    // The mark and its audit entry are stored in one step.
    const entry = this.audit.entry(user.username, 'incident.mark', { incident: id, drill, event: event.id });
    const seq = await this.feed.appendServerEvent(event, isLiveMonth(month, Date.now(), this.live.zone) ? undefined : reportT, this.audit.scriptArgs(entry));
    return { incident: id, drill, seq };
  }
}

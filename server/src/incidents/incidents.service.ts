import { Injectable, NotFoundException } from '@nestjs/common';
import type { IncidentMarked } from '@wall/shared';
import { randomBytes } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/auth.types.js';
import { FeedService } from '../feed/feed.service.js';
import { LiveStateService } from '../live/live-state.service.js';

@Injectable()
export class IncidentsService {
  constructor(
    private readonly feed: FeedService,
    private readonly live: LiveStateService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Marks an incident as a drill (拉动检查) or as real after the fact. The mark goes into the
   * event log like any event, through the feed's validation, so every instance, replay and
   * report sees the same decision.
   */
  async markDrill(id: string, drill: boolean, user: Principal): Promise<{ incident: string; drill: boolean; seq: number }> {
    await this.live.catchUp();
    if (!this.live.state.incidents.get(id)?.report) throw new NotFoundException(`incident ${id} has no report`);
    const event: IncidentMarked = {
      id: `mark-${randomBytes(9).toString('base64url')}`,
      type: 'incident.marked',
      at: new Date().toISOString(),
      incident: id,
      drill,
      by: user.username,
    };
    const seq = await this.feed.appendServerEvent(event);
    await this.audit.record(user.username, 'incident.mark', { incident: id, drill, event: event.id });
    return { incident: id, drill, seq };
  }
}

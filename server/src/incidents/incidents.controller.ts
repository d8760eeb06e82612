import { Body, Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import type { IncidentMarked } from '@wall/shared';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AuditRepository } from '../audit/audit.repository.js';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { LiveStateService } from '../live/live-state.service.js';

const markBody = z.strictObject({ drill: z.boolean({ error: 'must be true or false' }) });

@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly log: EventLogRepository,
    private readonly live: LiveStateService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Marks an incident as a drill (拉动检查) or as real after the fact. The mark goes into the
   * event log like any event, so every instance, replay and report sees the same decision.
   */
  @Roles('admin')
  @Post(':id/drill')
  @HttpCode(200)
  async mark(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: Principal) {
    const { drill } = parseBody(markBody, body);
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
    const { seq } = await this.log.append([{ id: event.id, fingerprint: event.id, json: JSON.stringify(event) }], 'server');
    await this.audit.record(user.username, 'incident.mark', { incident: id, drill });
    return { incident: id, drill, seq };
  }
}

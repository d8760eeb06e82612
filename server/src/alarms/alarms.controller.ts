import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { Alarm } from '@wall/shared';
import { z } from 'zod';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { AlarmsService } from './alarms.service.js';

const listQuery = z.strictObject({
  state: z.enum(['open', 'all']).default('open'),
  since: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time with offset or Z' }).optional(),
});
const ackBody = z.strictObject({ note: z.string().max(500, 'must be at most 500 characters').optional() });

@Roles('admin', 'supervisor')
@Controller('alarms')
export class AlarmsController {
  constructor(private readonly alarms: AlarmsService) {}

  @Get()
  list(@Query() query: unknown, @CurrentUser() user: Principal): Promise<Alarm[]> {
    const { state, since } = parseBody(listQuery, query);
    return this.alarms.list(user, state, since ? Date.parse(since) : undefined);
  }

  /** Acknowledging twice is harmless: the first acknowledgement stands and is returned. */
  @Post(':id/ack')
  @HttpCode(200)
  ack(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: Principal): Promise<Alarm> {
    const { note } = parseBody(ackBody, body ?? {});
    return this.alarms.acknowledge(id, user, note);
  }
}

/** For the API document (server/src/openapi). */
export { listQuery as alarmsQuery, ackBody as ackRequest };

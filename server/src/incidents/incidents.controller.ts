import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { IncidentsService } from './incidents.service.js';

const markBody = z.strictObject({ drill: z.boolean({ error: 'must be true or false' }) });

@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  /** Marks an incident as a drill (拉动检查) or as real after the fact. */
  @Roles('admin')
  @Post(':id/drill')
  @HttpCode(200)
  mark(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: Principal) {
    return this.incidents.markDrill(id, parseBody(markBody, body).drill, user);
  }
}

/** For the API document (server/src/openapi). */
export { markBody as drillMarkRequest };

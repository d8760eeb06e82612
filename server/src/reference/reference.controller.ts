import { Body, Controller, Get, Put } from '@nestjs/common';
import { referenceSchema, type ReferenceData } from '@wall/shared';
import { AuditRepository } from '../audit/audit.repository.js';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { ReferenceService } from './reference.service.js';

@Controller('reference')
export class ReferenceController {
  constructor(
    private readonly reference: ReferenceService,
    private readonly audit: AuditRepository,
  ) {}

  @Roles('admin', 'supervisor', 'viewer', 'wall')
  @Get()
  get(): ReferenceData {
    return this.reference.index.data;
  }

  /** Replaces the reference data whole; validated like feed events, nothing applied on any error. */
  @Roles('admin')
  @Put()
  async put(@Body() body: unknown, @CurrentUser() user: Principal): Promise<ReferenceData> {
    const data = parseBody(referenceSchema, body);
    await this.reference.replace(data, this.audit.entry(user.username, 'reference.update'));
    return data;
  }
}

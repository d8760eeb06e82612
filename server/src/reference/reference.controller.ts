import { Body, Controller, Get, Put } from '@nestjs/common';
import { keepUnitSecrets, redactUnitContacts, referenceSchema, type ReferenceData } from '@wall/shared';
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
    return redacted(this.reference.index.data);
  }

  /** Replaces the reference data whole; validated like feed events, nothing applied on any error. */
  @Roles('admin')
  @Put()
  async put(@Body() body: unknown, @CurrentUser() user: Principal): Promise<ReferenceData> {
    const parsed = parseBody(referenceSchema, body);
    // Units' webhook secrets are never shown; a PUT without one keeps the stored one of the same unit and URL.
    const contacts = keepUnitSecrets(parsed.unitContacts, this.reference.index.data.unitContacts);
    const data: ReferenceData = contacts ? { ...parsed, unitContacts: contacts } : parsed;
    await this.reference.replace(data, this.audit.entry(user.username, 'reference.update'));
    return redacted(data);
  }
}

function redacted(data: ReferenceData): ReferenceData {
  return data.unitContacts ? { ...data, unitContacts: redactUnitContacts(data.unitContacts) } : data;
}

import { Body, Controller, Get, Put } from '@nestjs/common';
import { keepSecrets, redactRoster, rosterSchema, type Roster } from '@wall/shared';
import { AuditRepository } from '../audit/audit.repository.js';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { RosterRepository } from './roster.repository.js';

@Controller('roster')
export class RosterController {
  constructor(
    private readonly roster: RosterRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Roles('admin', 'supervisor')
  @Get()
  async get(): Promise<Roster> {
    return redactRoster(await this.roster.get());
  }

  @Roles('admin')
  @Put()
  async put(@Body() body: unknown, @CurrentUser() user: Principal): Promise<Roster> {
    const roster = keepSecrets(parseBody(rosterSchema, body), await this.roster.get());
    await this.roster.put(roster, this.audit.entry(user.username, 'roster.update'));
    return redactRoster(roster);
  }
}

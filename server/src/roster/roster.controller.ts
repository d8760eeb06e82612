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
    const stored = await this.roster.get();
    const parsed = keepSecrets(parseBody(rosterSchema, body), stored);
    // The entered notice years have their own writer (PUT /api/roster/holidays/:year): a roster
    // edited without them (an older console, a script) keeps them rather than wiping them.
    const omitted = typeof body === 'object' && body !== null && !('holidays' in body);
    const roster = omitted ? { ...parsed, holidays: stored.holidays } : parsed;
    await this.roster.put(roster, this.audit.entry(user.username, 'roster.update'));
    return redactRoster(roster);
  }
}

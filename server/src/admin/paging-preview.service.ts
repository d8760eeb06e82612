import { BadRequestException, Injectable } from '@nestjs/common';
import { ladderOf, pagingSteps, userDirectory, type PagingPreview } from '@wall/shared';
import { UsersRepository } from '../auth/users.repository.js';
import { ClockRepository } from '../deadlines/clock.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { MIN_TOP_LEVEL } from '../paging/paging.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { RosterRepository } from '../roster/roster.repository.js';

/**
 * "If an alarm fired now": the stored roster and users, the unit's center and type from the
 * reference data, and shared's pagingSteps to the level escalations go to (paging.service.ts).
 */
@Injectable()
export class PagingPreviewService {
  constructor(
    private readonly roster: RosterRepository,
    private readonly users: UsersRepository,
    private readonly reference: ReferenceService,
    private readonly live: LiveStateService,
    private readonly clock: ClockRepository,
  ) {}

  async preview(center: string, unitId: string, at: string | undefined): Promise<PagingPreview> {
    const index = this.reference.index;
    if (!index.centers.has(center)) throw new BadRequestException(`center: ${center} is not a center`);
    const unit = index.units.get(unitId);
    if (!unit) throw new BadRequestException(`unit: ${unitId} is not a unit`);
    if (unit.center !== center) throw new BadRequestException(`unit: ${unitId} belongs to ${unit.center}, not ${center}`);
    const t = at === undefined ? await this.clock.now() : Date.parse(at);
    const [roster, users] = await Promise.all([this.roster.get(), this.users.list()]);
    const topLevel = Math.max(MIN_TOP_LEVEL, ladderOf(roster).length - 1);
    const steps = pagingSteps(roster, userDirectory(users), { center, unitType: unit.type }, t, this.live.zone, topLevel);
    return { center, unit: unitId, at: new Date(t).toISOString(), steps };
  }
}

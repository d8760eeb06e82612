import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { countUrges, Zone, type UnitUrgeCount, type Urge } from '@wall/shared';
import { z } from 'zod';
import { AlarmsService } from '../alarms/alarms.service.js';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ClockRepository } from '../deadlines/clock.repository.js';
import { UrgeService } from './urge.service.js';

export const superviseRequest = z.strictObject({ note: z.string().trim().min(1, "a 督办 needs the supervisor's note").max(500, 'must be at most 500 characters') });
/** `?alarm=ID` or `?month=YYYY-MM`, not both. */
export const listQuery = z.union([
  z.strictObject({ alarm: z.string().min(1).max(300) }),
  z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM') }),
]);
export const urgeCountsQuery = z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM') });

/** 催办 and 督办 of an alarm's late unit, and the month's counts per unit (for the assessment and the bulletin). */
@Roles('admin', 'supervisor')
@Controller()
export class UrgeController {
  private readonly zone: Zone;

  constructor(
    private readonly urges: UrgeService,
    private readonly alarms: AlarmsService,
    private readonly clock: ClockRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.zone = new Zone(config.TZ_REPORTS);
  }

  @Post('alarms/:id/urge')
  async urge(@Param('id') id: string, @CurrentUser() user: Principal): Promise<Urge> {
    await this.visible(id, user);
    return this.urges.press(id, user.username, await this.clock.now());
  }

  @Post('alarms/:id/supervise')
  async supervise(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: Principal): Promise<Urge> {
    const { note } = parseBody(superviseRequest, body ?? {});
    await this.visible(id, user);
    return this.urges.supervise(id, user.username, note, await this.clock.now());
  }

  /** `?alarm=ID`: that alarm's records; `?month=YYYY-MM`: the month's, in the report zone. */
  @Get('urges')
  async list(@Query() query: unknown, @CurrentUser() user: Principal): Promise<Urge[]> {
    const q = parseBody(listQuery, query);
    if ('alarm' in q) {
      await this.visible(q.alarm, user);
      return this.urges.forAlarm(q.alarm);
    }
    const [from, to] = this.monthRange(q.month);
    const all = await this.urges.between(from, to);
    return user.role === 'admin'
      ? all
      : (await Promise.all(all.map(async (u) => ((await this.canSee(u.alarmId, user)) ? u : undefined)))).filter((u): u is Urge => u !== undefined);
  }

  /** The month's 催办 and 督办 per unit: the report data of the assessment and the bulletin (countUrges in shared). */
  @Roles('admin', 'supervisor', 'viewer')
  @Get('urges/counts')
  async counts(@Query() query: unknown): Promise<{ month: string; units: UnitUrgeCount[] }> {
    const { month } = parseBody(urgeCountsQuery, query);
    const [from, to] = this.monthRange(month);
    return { month, units: countUrges(await this.urges.between(from, to), month, this.zone) };
  }

  /** The month's instants in the report zone, with a day's margin: countUrges decides by the zone's day. */
  private monthRange(month: string): [number, number] {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return [Date.UTC(y, m - 1, 1) - 86_400_000, Date.UTC(y, m, 1) + 86_400_000];
  }

  private async canSee(id: string, user: Principal): Promise<boolean> {
    const alarm = await this.alarms.get(id);
    return alarm !== undefined && (await this.alarms.inScope(user, alarm));
  }

  private async visible(id: string, user: Principal): Promise<void> {
    if (!(await this.canSee(id, user))) throw new NotFoundException(`alarm ${id} does not exist or is not in your scope`);
  }
}

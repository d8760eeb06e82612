import { Controller, Get, Inject } from '@nestjs/common';
import type { ClientSettings } from '@wall/shared';
import { Public } from '../auth/auth.decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * What every page needs before it draws: the report zone (TZ_REPORTS), so the browser shows
 * days, months and clock times in the zone the server counts in, whatever the PC's own zone.
 * Public: the login page needs it too, and it tells nothing about the data.
 */
@Controller('settings')
export class SettingsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get()
  settings(): ClientSettings {
    return { timeZone: this.config.TZ_REPORTS, simulate: this.config.simulate };
  }
}

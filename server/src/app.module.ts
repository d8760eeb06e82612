import { Module, type DynamicModule } from '@nestjs/common';
import { AlarmsModule } from './alarms/alarms.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import type { AppConfig } from './config/config.js';
import { EventsModule } from './events/events.module.js';
import { FeedModule } from './feed/feed.module.js';
import { HealthController } from './health/health.controller.js';
import { SettingsController } from './settings/settings.controller.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { LiveModule } from './live/live.module.js';
import { CoreModule } from './redis/core.module.js';
import { ReferenceModule } from './reference/reference.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { UsersModule } from './users/users.module.js';
import { WallModule } from './wall/wall.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, redisUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, redisUrl),
        AuditModule,
        AuthModule,
        AlarmsModule,
        ReferenceModule,
        FeedModule,
        LiveModule,
        WallModule,
        ReportsModule,
        EventsModule,
        IncidentsModule,
        UsersModule,
      ],
      controllers: [HealthController, SettingsController],
    };
  }
}

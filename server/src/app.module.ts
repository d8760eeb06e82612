import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import { AlarmsModule } from './alarms/alarms.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { DeadlinesModule } from './deadlines/deadlines.module.js';
import type { AppConfig } from './config/config.js';
import { EventsModule } from './events/events.module.js';
import { FeedModule } from './feed/feed.module.js';
import { HealthModule } from './health/health.module.js';
import { HistoryModule } from './history/history.module.js';
import { loggerModule } from './logging/logging.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import type { RedisTarget } from './redis/connection.js';
import { SettingsController } from './settings/settings.controller.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { LiveModule } from './live/live.module.js';
import { CoreModule } from './redis/core.module.js';
import { ReferenceModule } from './reference/reference.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RosterModule } from './roster/roster.module.js';
import { UsersModule } from './users/users.module.js';
import { WallModule } from './wall/wall.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, target: RedisTarget): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggerModule(config),
        CoreModule.forRoot(config, target),
        HealthModule,
        AuditModule,
        AuthModule,
        UsersModule,
        RosterModule,
        HistoryModule,
        AlarmsModule,
        DeadlinesModule,
        ReferenceModule,
        FeedModule,
        LiveModule,
        WallModule,
        ReportsModule,
        EventsModule,
        IncidentsModule,
        AdminModule,
        OpenApiModule,
      ],
      controllers: [MetricsController, SettingsController],
    };
  }
}

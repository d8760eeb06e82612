import { Module, type DynamicModule } from '@nestjs/common';
import { AlarmsModule } from './alarms/alarms.module.js';
import { AuditModule } from './audit/audit.module.js';
import { DeadlinesModule } from './deadlines/deadlines.module.js';
import type { AppConfig } from './config/config.js';
import { HeartbeatRepository } from './health/heartbeat.repository.js';
import { LiveModule } from './live/live.module.js';
import { loggerModule } from './logging/logging.js';
import type { RedisTarget } from './redis/connection.js';
import { CoreModule } from './redis/core.module.js';

/**
 * The worker process (npm run worker): the projection, the deadline queue's worker and the
 * sweeper, nothing that serves HTTP or sockets. It runs as a Nest application context, so
 * the controllers and gateways of the modules it shares with the API are never mounted.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, target: RedisTarget): DynamicModule {
    return {
      module: WorkerModule,
      imports: [loggerModule(config), CoreModule.forRoot(config, target), AuditModule, AlarmsModule, DeadlinesModule, LiveModule],
      providers: [HeartbeatRepository],
    };
  }
}

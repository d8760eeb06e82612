import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { AlarmsController } from './alarms.controller.js';
import { AlarmsRepository } from './alarms.repository.js';
import { AlarmsService } from './alarms.service.js';
import { PrewarningService } from './prewarning.service.js';
import { SupervisorGateway } from './supervisor.gateway.js';

/** The alarm store: storing, resolving, acknowledging, listing, and the supervisor console's socket. */
@Module({
  imports: [AuthModule, LiveModule, ReferenceModule],
  controllers: [AlarmsController],
  providers: [AlarmsRepository, AlarmsService, PrewarningService, SupervisorGateway],
  exports: [AlarmsService],
})
export class AlarmsModule {}

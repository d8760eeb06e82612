import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClockRepository } from '../deadlines/clock.repository.js';
import { DeadlineQueueRepository } from '../deadlines/deadline-queue.repository.js';
import { DeadlineService } from '../deadlines/deadline.service.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { RosterController } from '../roster/roster.controller.js';
import { RosterRepository } from '../roster/roster.repository.js';
import { AlarmsController } from './alarms.controller.js';
import { AlarmsRepository } from './alarms.repository.js';
import { AlarmsService } from './alarms.service.js';
import { SupervisorGateway } from './supervisor.gateway.js';

@Module({
  imports: [AuthModule, LiveModule, ReferenceModule],
  controllers: [AlarmsController, RosterController],
  providers: [ClockRepository, AlarmsRepository, AlarmsService, DeadlineQueueRepository, DeadlineService, RosterRepository, SupervisorGateway],
  exports: [AlarmsService, DeadlineService],
})
export class AlarmsModule {}

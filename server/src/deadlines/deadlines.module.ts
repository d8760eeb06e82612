import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { JobQueueRepository } from '../jobs/job-queue.repository.js';
import { JobWorkerService } from '../jobs/job-worker.service.js';
import { LiveModule } from '../live/live.module.js';
import { NotifierService } from '../notify/notifier.service.js';
import { PagingService } from '../paging/paging.service.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { UrgeController } from '../urge/urge.controller.js';
import { UrgeRepository } from '../urge/urge.repository.js';
import { UrgeService } from '../urge/urge.service.js';
import { ClockRepository } from './clock.repository.js';
import { DeadlineService } from './deadline.service.js';

/** Deadlines and paging: the job queue, its one worker, the scheduler and sweeper, who is paged, their work notifications, and the 催办/督办 of late units. */
@Module({
  imports: [AlarmsModule, AuthModule, LiveModule, ReferenceModule, RosterModule],
  controllers: [UrgeController],
  providers: [ClockRepository, JobQueueRepository, JobWorkerService, NotifierService, PagingService, DeadlineService, UrgeRepository, UrgeService],
  exports: [DeadlineService],
})
export class DeadlinesModule {}

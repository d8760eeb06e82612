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
import { ClockRepository } from './clock.repository.js';
import { DeadlineService } from './deadline.service.js';

/** Deadlines and paging: the job queue, its one worker, the scheduler and sweeper, who is paged, and their work notifications. */
@Module({
  imports: [AlarmsModule, AuthModule, LiveModule, ReferenceModule, RosterModule],
  providers: [ClockRepository, JobQueueRepository, JobWorkerService, NotifierService, PagingService, DeadlineService],
  exports: [DeadlineService],
})
export class DeadlinesModule {}

import { Injectable } from '@nestjs/common';
import { PagingService } from '../paging/paging.service.js';
import { JobQueueRepository } from './job-queue.repository.js';
import type { JobHandlers } from './jobs.js';

/** The one place that says which code runs each job of the queue; checked before the worker starts. */
@Injectable()
export class JobWorkerService {
  constructor(
    private readonly queue: JobQueueRepository,
    private readonly paging: PagingService,
  ) {}

  handlers(): JobHandlers {
    return {
      'order-due': ({ o }) => this.paging.orderDue(o),
      escalate: ({ alarmId, level }) => this.paging.escalate(alarmId, level),
    };
  }

  start(): void {
    this.queue.startWorker(this.handlers());
  }
}

import { Injectable } from '@nestjs/common';
import { NotifierService } from '../notify/notifier.service.js';
import { PagingService } from '../paging/paging.service.js';
import { JobQueueRepository } from './job-queue.repository.js';
import type { JobHandlers } from './jobs.js';

/** The one place that says which code runs each job of the queue; checked before the worker starts. */
@Injectable()
export class JobWorkerService {
  constructor(
    private readonly queue: JobQueueRepository,
    private readonly paging: PagingService,
    private readonly notifier: NotifierService,
  ) {}

  handlers(): JobHandlers {
    return {
      'order-due': ({ o }) => this.paging.orderDue(o),
      escalate: ({ alarmId, level }) => this.paging.escalate(alarmId, level),
      notify: (data, run) => this.notifier.deliver(data, run),
    };
  }

  start(): void {
    this.queue.startWorker(this.handlers());
  }
}

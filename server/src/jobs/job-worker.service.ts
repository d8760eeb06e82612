import { Injectable, type OnModuleInit } from '@nestjs/common';
import { NotifierService } from '../notify/notifier.service.js';
import { PagingService } from '../paging/paging.service.js';
import { UrgeService } from '../urge/urge.service.js';
import { JobQueueRepository } from './job-queue.repository.js';
import { checkHandlers, type JobHandlers } from './jobs.js';

/** The one place that says which code runs each job of the queue; checked before the worker starts. */
@Injectable()
export class JobWorkerService implements OnModuleInit {
  constructor(
    private readonly queue: JobQueueRepository,
    private readonly paging: PagingService,
    private readonly notifier: NotifierService,
    private readonly urges: UrgeService,
  ) {}

  handlers(): JobHandlers {
    return {
      'order-due': ({ o, d }) => this.paging.orderDue(o, d),
      escalate: ({ alarmId, level }) => this.paging.escalate(alarmId, level),
      notify: (data, run) => this.notifier.deliver(data, run),
      urge: (data, run) => this.urges.deliver(data, run),
    };
  }

  /** At startup on every instance, worker or not: a job without a handler stops the boot. */
  onModuleInit(): void {
    checkHandlers(this.handlers());
  }

  start(): void {
    this.queue.startWorker(this.handlers());
  }
}

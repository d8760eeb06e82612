import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../redis/core.module.js';
import { KEY_PREFIX } from '../redis/redis.tokens.js';
import { checkHandlers, type DeadlineHandlers, type DeadlineJobName, type DeadlineJobs } from './deadline-jobs.js';

const QUEUE = 'deadlines';

/** BullMQ job ids may not contain ':' and order ids may: use a digest. */
function digest(value: string): string {
  return createHash('sha1').update(value).digest('base64url').slice(0, 22);
}

/** One id per order and due time: a re-delivered dispatch or a second instance adds nothing. */
export function orderJobId(order: string, dueAt: number): string {
  return `due-${digest(order)}-${dueAt.toString(36)}`;
}

export function escalationJobId(alarmId: string, level: number): string {
  return `esc-${alarmId}-${level}`;
}

function bullConnection(url: string, name: string): Redis {
  // BullMQ's blocking connections must retry forever rather than fail a command.
  const redis = new Redis(url, { connectionName: name, maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(100 * n, 2000) });
  redis.on('error', () => undefined);
  return redis;
}

@Injectable()
export class DeadlineQueueRepository implements OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineQueue');
  private readonly queueConnection: Redis;
  readonly queue: Queue;
  private worker?: Worker;

  constructor(@Inject(REDIS_URL) private readonly url: string) {
    this.queueConnection = bullConnection(url, 'wall-deadline-queue');
    this.queue = new Queue(QUEUE, { connection: this.queueConnection, prefix: `${KEY_PREFIX}bull` });
    this.queue.on('error', () => undefined);
  }

  private add<K extends DeadlineJobName>(name: K, data: DeadlineJobs[K], jobId: string, at: number) {
    // Same jobId, same job: a re-delivered dispatch or a second instance schedules nothing new.
    return this.queue.add(name, data, {
      jobId,
      delay: Math.max(0, at - Date.now()),
      removeOnComplete: true,
      removeOnFail: 1000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
    });
  }

  async scheduleOrder(order: string, dueAt: number): Promise<void> {
    await this.scheduleOrders([{ order, dueAt }]);
  }

  async scheduleOrders(items: Array<{ order: string; dueAt: number }>): Promise<void> {
    if (!items.length) return;
    const now = Date.now();
    // Lean jobs: short data keys, no retries (the sweeper is the retry), gone once done.
    await this.queue.addBulk(
      items.map(({ order, dueAt }) => ({
        name: 'order-due',
        data: { o: order, d: dueAt },
        opts: { jobId: orderJobId(order, dueAt), delay: Math.max(0, dueAt - now), removeOnComplete: true, removeOnFail: 100 },
      })),
    );
  }

  async scheduleEscalation(alarmId: string, level: number, at: number): Promise<void> {
    await this.add('escalate', { alarmId, level }, escalationJobId(alarmId, level), at);
  }

  /** Removes a pending escalation; a job already running finishes and finds the ack. */
  async cancelEscalation(alarmId: string, level: number): Promise<void> {
    const job = await this.queue.getJob(escalationJobId(alarmId, level));
    await job?.remove().catch(() => undefined);
  }

  startWorker(handlers: Partial<DeadlineHandlers>, concurrency = 64): void {
    checkHandlers(handlers);
    this.worker = new Worker(
      QUEUE,
      async (job: Job) => {
        const handler = handlers[job.name as DeadlineJobName] as (data: unknown) => Promise<void>;
        await handler(job.data);
      },
      { connection: bullConnection(this.url, 'wall-deadline-worker'), prefix: `${KEY_PREFIX}bull`, concurrency },
    );
    this.worker.on('error', (e) => this.logger.warn(`worker: ${e.message}`));
    this.worker.on('failed', (job, e) => this.logger.warn(`job ${job?.name} ${job?.id} failed: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    this.queueConnection.disconnect();
  }
}

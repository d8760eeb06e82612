import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker, type Job as BullJob } from 'bullmq';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis, type RedisTarget } from '../redis/connection.js';
import { REDIS_TARGET } from '../redis/core.module.js';
import { KEY_PREFIX } from '../redis/redis.tokens.js';
import { countPendingDeadlines } from '../metrics/metrics.js';
import { checkHandlers, type JobData, type JobHandlers, type JobName, type JobRun } from './jobs.js';

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

export function notifyJobId(alarmId: string, user: string, level: number): string {
  return `ntf-${alarmId}-${level}-${digest(user)}`;
}

/** A webhook that fails this often in a row (about a minute of backoff) is given up, and the failure stays on the alarm. */
export const NOTIFY_ATTEMPTS = 8;

function bullConnection(target: RedisTarget, name: string): Redis {
  // BullMQ's blocking connections must retry forever rather than fail a command.
  const redis = connectRedis(target, name, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  return redis;
}

@Injectable()
/** The one BullMQ queue (named 'deadlines' for the jobs already stored under it): adding, removing, the worker. */
export class JobQueueRepository implements OnApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  private readonly queueConnection: Redis;
  readonly queue: Queue;
  private worker?: Worker;

  constructor(@Inject(REDIS_TARGET) private readonly target: RedisTarget) {
    this.queueConnection = bullConnection(target, 'wall-deadline-queue');
    this.queue = new Queue(QUEUE, { connection: this.queueConnection, prefix: `${KEY_PREFIX}bull` });
    this.queue.on('error', () => undefined);
    countPendingDeadlines(async () => {
      const counts = await this.queue.getJobCounts('delayed', 'waiting', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    });
  }

  // Delays are `at` less Redis's `now` (the clock decisions read), and BullMQ adds its own
  // process's clock: so a job added after a step of this machine's clock still fires at `at`.
  private add<K extends JobName>(name: K, data: JobData<K>, jobId: string, at: number, now: number) {
    // Same jobId, same job: a re-delivered dispatch or a second instance schedules nothing new.
    return this.queue.add(name, data, {
      jobId,
      delay: Math.max(0, at - now),
      removeOnComplete: true,
      removeOnFail: 1000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
    });
  }

  /** `again`: the job of this due time fired early (a clock step) and is still running, so the new one needs an id of its own. */
  async scheduleOrder(order: string, dueAt: number, now: number, again = false): Promise<void> {
    await this.scheduleOrders([{ order, dueAt }], now, again ? `-r${now.toString(36)}` : '');
  }

  /** `now`: Redis's clock (see add). */
  async scheduleOrders(items: Array<{ order: string; dueAt: number }>, now: number, idSuffix = ''): Promise<void> {
    if (!items.length) return;
    // Lean jobs: short data keys, no retries (the sweeper is the retry), gone once done.
    await this.queue.addBulk(
      items.map(({ order, dueAt }) => ({
        name: 'order-due',
        data: { o: order, d: dueAt },
        opts: { jobId: orderJobId(order, dueAt) + idSuffix, delay: Math.max(0, dueAt - now), removeOnComplete: true, removeOnFail: 100 },
      })),
    );
  }

  /**
   * One job per (alarm, recipient, level), kept a week after it completes so the same popup
   * cannot be queued (and sent) again; retried with backoff (0.5, 1, 2, 4 ... s) on failure.
   */
  async scheduleNotify(alarmId: string, user: string, level: number): Promise<void> {
    await this.queue.add(
      'notify',
      { alarmId, user, level },
      {
        jobId: notifyJobId(alarmId, user, level),
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
        attempts: NOTIFY_ATTEMPTS,
        backoff: { type: 'exponential', delay: 500 },
      },
    );
  }

  /** One job per 催办/督办 record, kept a week so it cannot be queued (and sent) again; retried as a notification is. */
  async scheduleUrge(id: string): Promise<void> {
    await this.queue.add(
      'urge',
      { id },
      {
        jobId: `urg-${digest(id)}`,
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
        attempts: NOTIFY_ATTEMPTS,
        backoff: { type: 'exponential', delay: 500 },
      },
    );
  }

  async scheduleEscalation(alarmId: string, level: number, at: number, now: number): Promise<void> {
    await this.add('escalate', { alarmId, level, t: at }, escalationJobId(alarmId, level), at, now);
  }

  /**
   * After this machine's clock stepped by `stepMs` (wall clock against the monotonic one):
   * every delayed job keeps its instant. BullMQ scored it on the clock before the step, so a
   * step back would hold it back that long and a step forward fire it early. A job that knows
   * its instant (an order's due time, an escalation's) is set to it by Redis's clock `now`;
   * any other is moved by the step. Returns how many.
   */
  async shiftDelayed(stepMs: number, now: number): Promise<number> {
    let moved = 0;
    for (let start = 0; ; start += 1000) {
      const jobs = await this.queue.getDelayed(start, start + 999);
      if (!jobs.length) return moved;
      const local = Date.now();
      await Promise.all(
        jobs.map(async (job) => {
          const data = job.data as { d?: number; t?: number };
          const known = job.name === 'order-due' ? data.d : job.name === 'escalate' ? data.t : undefined;
          const delay = known !== undefined ? known - now : job.timestamp + job.delay + stepMs - local;
          await (job as BullJob).changeDelay(Math.max(0, delay)).then(
            () => moved++,
            () => undefined, // run or removed meanwhile
          );
        }),
      );
      if (jobs.length < 1000) return moved;
    }
  }

  /** Removes a pending escalation; a job already running finishes and finds the ack. */
  async cancelEscalation(alarmId: string, level: number): Promise<void> {
    const job = await this.queue.getJob(escalationJobId(alarmId, level));
    await job?.remove().catch(() => undefined);
  }

  startWorker(handlers: Partial<JobHandlers>, concurrency = 64): void {
    checkHandlers(handlers);
    this.worker = new Worker(
      QUEUE,
      async (job: BullJob) => {
        const handler = handlers[job.name as JobName] as ((data: unknown, run: JobRun) => Promise<void>) | undefined;
        if (!handler) throw new Error(`unknown job ${job.name}`);
        await handler(job.data, { attempt: job.attemptsMade + 1 });
      },
      { connection: bullConnection(this.target, 'wall-deadline-worker'), prefix: `${KEY_PREFIX}bull`, concurrency },
    );
    this.worker.on('error', (e) => this.logger.warn(`worker: ${e.message}`));
    this.worker.on('failed', (job, e) => this.logger.warn(`job ${job?.name} ${job?.id} failed: ${e.message}`));
  }

  /** True while this process's BullMQ worker is running (not closing, not paused). */
  workerRunning(): boolean {
    return !!this.worker && this.worker.isRunning() && !this.worker.isPaused();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    this.queueConnection.disconnect();
  }
}

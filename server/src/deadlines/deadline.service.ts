import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { LIMIT_NAMES, dueAt, limitStatus, type Touched } from '@wall/shared';
import { AlarmsService, alarmId } from '../alarms/alarms.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { JobQueueRepository } from '../jobs/job-queue.repository.js';
import { JobWorkerService } from '../jobs/job-worker.service.js';
import { LiveStateService } from '../live/live-state.service.js';
import { PagingService } from '../paging/paging.service.js';
import { keys } from '../redis/redis.tokens.js';
import { ClockRepository } from './clock.repository.js';

type Due = { order: string; dueAt: number };

/** The sweeper leaves a limit this long to its own job before raising it itself. */
const SWEEP_GRACE_MS = 5_000;

/** A wall-clock jump against the monotonic clock larger than this is a step. */
const CLOCK_STEP_MS = 1000;

/** Remembered recently scheduled wake-ups, so each instance adds a job once, not on every event of the order. */
const SCHEDULED_MEMORY = 200_000;

/**
 * Turns dispatched orders into delayed jobs, one per order, due at its next undecided limit
 * (the handler wakes it again at the one after), starts the worker and runs the sweeper.
 * Every instance schedules from the log it follows; job ids make the copies one job.
 */
@Injectable()
export class DeadlineService implements OnApplicationShutdown {
  private readonly logger = new Logger('Deadlines');
  private readonly scheduled = new Set<string>();
  private unsubscribe?: () => void;
  private chain: Promise<void> = Promise.resolve();
  private keeper?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: JobQueueRepository,
    private readonly worker: JobWorkerService,
    private readonly live: LiveStateService,
    private readonly alarms: AlarmsService,
    private readonly paging: PagingService,
    private readonly clock: ClockRepository,
  ) {}

  async start(): Promise<void> {
    await this.alarms.start();
    this.paging.start();
    // After a restart, open orders get their jobs again (existing ids are left as they are).
    await this.schedule(this.pendingLimits([...this.live.state.open], Date.now()));
    this.unsubscribe = this.live.onApplied((touched) => this.onApplied(touched));
    if (this.config.DEADLINE_WORKER === 'on') {
      this.worker.start();
      this.watchClock();
      // The sweeper runs on this process's monotonic timer, not on a schedule kept in Redis
      // or on the wall clock: lost jobs, a Redis restart or a clock step cannot stop it. A
      // short lock lets one instance sweep per round.
      const every = this.config.SWEEP_INTERVAL_MS;
      this.keeper = setInterval(() => {
        void this.clock
          .lock(keys.sweepLock, Math.max(every - 100, 100))
          .then((mine) => (mine ? this.sweep() : 0))
          .catch((e: Error) => this.logger.warn(`sweep failed: ${e.message}`));
      }, every);
      this.keeper.unref();
    }
  }

  private onApplied(touched: Touched[]): void {
    const orders = new Set<string>();
    for (const t of touched) for (const o of t.orders) orders.add(o);
    const due = this.pendingLimits([...orders], Date.now());
    // Serialised so a burst of batches does not open a burst of Redis round trips.
    this.chain = this.chain.then(() => this.schedule(due)).catch((e: Error) => this.logger.warn(`scheduling failed: ${e.message}`));
  }

  /** Each open order's earliest undecided limit still young enough to page someone, unless already scheduled. */
  private pendingLimits(orders: string[], now: number): Due[] {
    const out: Due[] = [];
    for (const id of orders) {
      const order = this.live.state.orders.get(id);
      if (!order?.dispatch || !this.live.state.open.has(id)) continue;
      const incident = this.live.state.incidents.get(order.dispatch.incident);
      let next: number | undefined;
      for (const limit of LIMIT_NAMES) {
        const status = limitStatus(order, incident, limit, now);
        if (status !== 'pending' && status !== 'overdue') continue;
        const due = dueAt(order, limit)!;
        if (this.paging.pages(id, due, now) && (next === undefined || due < next)) next = due;
      }
      if (next === undefined) continue;
      const key = `${id}|${next}`;
      if (this.scheduled.has(key)) continue;
      if (this.scheduled.size >= SCHEDULED_MEMORY) this.scheduled.clear();
      this.scheduled.add(key);
      out.push({ order: id, dueAt: next });
    }
    return out;
  }

  private async schedule(items: Due[]): Promise<void> {
    if (!items.length) return;
    const now = await this.clock.now();
    for (let i = 0; i < items.length; i += 1000) await this.queue.scheduleOrders(items.slice(i, i + 1000), now);
  }

  /**
   * Watches this machine's wall clock against its monotonic one: on a step (NTP, an operator),
   * the delayed jobs are moved by it so each still fires at its instant (BullMQ times them by
   * the wall clock). One instance moves them per step: a lock named by the step.
   */
  private watchClock(): void {
    let wall = Date.now();
    let mono = performance.now();
    this.stepWatch = setInterval(() => {
      const w = Date.now();
      const m = performance.now();
      const step = w - wall - (m - mono);
      wall = w;
      mono = m;
      if (Math.abs(step) < CLOCK_STEP_MS) return;
      void this.clock
        .lock(`${keys.clockStepLock}:${Math.round(step / 1000)}`, 30_000)
        .then(async (mine) => {
          if (!mine) return;
          const moved = await this.queue.shiftDelayed(step, await this.clock.now());
          this.logger.warn(`the clock stepped ${(step / 1000).toFixed(1)} s: ${moved} delayed job(s) moved to keep their instants`);
        })
        .catch((e: Error) => this.logger.warn(`moving delayed jobs after a clock step failed: ${e.message}`));
    }, 250);
    this.stepWatch.unref();
  }

  private stepWatch?: NodeJS.Timeout;

  /**
   * Raises any unmet limit overdue (by Redis's clock) for longer than its own job should take
   * and still without an alarm: a lost job, a Redis restart without persistence, a clock step
   * that makes BullMQ's timers fire late.
   */
  async sweep(): Promise<number> {
    await this.live.catchUp();
    const now = await this.clock.now();
    let raised = 0;
    for (const id of this.live.state.open) {
      const order = this.live.state.orders.get(id)!;
      const incident = this.live.state.incidents.get(order.dispatch!.incident);
      for (const limit of LIMIT_NAMES) {
        if (limitStatus(order, incident, limit, now) !== 'overdue') continue;
        const due = dueAt(order, limit)!;
        if (due > now - SWEEP_GRACE_MS || !this.paging.pages(id, due, now)) continue;
        if (await this.alarms.exists(alarmId(id, limit))) continue;
        if (await this.paging.raise(id, limit, now)) raised++;
      }
    }
    if (raised) this.logger.warn(`sweeper raised ${raised} alarm(s) whose jobs were missing`);
    const rerouted = await this.paging.retryUnreached();
    if (rerouted) this.logger.log(`sweeper found recipients for ${rerouted} alarm(s) nobody could take`);
    return raised;
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.keeper);
    clearInterval(this.stepWatch);
    await this.chain;
  }
}

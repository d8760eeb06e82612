import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  LIMIT_NAMES,
  ackTimeoutMs,
  ladderOf,
  dueAt,
  isDrill,
  isUnreached,
  limitStatus,
  recipientsFor,
  routesBlind,
  userDirectory,
  type Alarm,
  type LimitName,
  type UserDirectory,
} from '@wall/shared';
import { AlarmsService } from '../alarms/alarms.service.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { UsersRepository } from '../auth/users.repository.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ClockRepository } from '../deadlines/clock.repository.js';
import { JobQueueRepository } from '../jobs/job-queue.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { NotifierService } from '../notify/notifier.service.js';
import { UrgeService } from '../urge/urge.service.js';
import { RosterRepository } from '../roster/roster.repository.js';

/** Escalations go on to at least this level (the top rung paged again) or to the ladder's top. */
export const MIN_TOP_LEVEL = 3;

/**
 * Who is paged and when: the order-due and escalation jobs, and the retry of alarms nobody
 * could take (无人接收). The decisions are shared's `recipientsFor`; this loads its inputs
 * (roster, users, Redis's clock) and writes the outcome through AlarmsService.
 */
@Injectable()
export class PagingService implements OnApplicationShutdown {
  private readonly logger = new Logger('Paging');
  private readonly offs: Array<() => void> = [];
  private retrying?: Promise<number>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alarms: AlarmsService,
    private readonly queue: JobQueueRepository,
    private readonly live: LiveStateService,
    private readonly roster: RosterRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly clock: ClockRepository,
    private readonly notifier: NotifierService,
    private readonly urges: UrgeService,
  ) {}

  start(): void {
    // An acknowledged or resolved alarm needs no escalation: drop the pending job (one
    // already running finds the alarm closed and does nothing).
    this.offs.push(
      this.alarms.onChangeEvent(({ kind, alarm }) => {
        if (kind !== 'acknowledged' && kind !== 'resolved') return;
        void this.queue.cancelEscalation(alarm.id, alarm.level + 1).catch(() => undefined);
      }),
    );
    this.offs.push(this.roster.onChange(() => void this.retryUnreached().catch((e: Error) => this.logger.warn(`reroute: ${e.message}`))));
  }

  private async directory(): Promise<UserDirectory> {
    return userDirectory(await this.users.list());
  }

  /**
   * The order-due job: raises an alarm for each limit of the order that is due and unmet (or
   * was met late before anyone looked), then wakes again at the next undecided limit.
   */
  /** `jobDue`: the due time the job was scheduled for (a job that fires before it is scheduled again). */
  async orderDue(order: string, jobDue?: number): Promise<void> {
    const [now] = await Promise.all([this.clock.now(), this.live.catchUpShared()]);
    const facts = this.live.state.orders.get(order);
    if (!facts?.dispatch) return;
    const incident = this.live.state.incidents.get(facts.dispatch.incident);
    if (isDrill(incident)) return;
    let next: number | undefined;
    for (const limit of LIMIT_NAMES) {
      const status = limitStatus(facts, incident, limit, now);
      const due = dueAt(facts, limit)!;
      if (status === 'pending') next = next === undefined ? due : Math.min(next, due);
      else if ((status === 'overdue' || status === 'late' || status === 'missed') && this.pages(order, due, now)) await this.raise(order, limit, now);
    }
    // Fired before its time (a clock step): the same due again, under an id of its own.
    if (next !== undefined) await this.queue.scheduleOrder(order, next, now, next === jobDue);
  }

  /**
   * Backfill and replayed old logs count in the statistics but page nobody: a limit pages only
   * if it was not already long past when its dispatch reached us (Redis's time of storing it,
   * so no server clock step can turn live orders into backfill).
   */
  pages(order: string, due: number, now: number): boolean {
    const learnt = this.live.receivedAt(order) ?? now;
    return due >= learnt - this.config.ALARM_MAX_AGE_MINUTES * 60_000;
  }

  /** Raises the alarm of an order's limit with its level-0 recipients; the alarm when this call created it. */
  async raise(order: string, limit: LimitName, now: number): Promise<Alarm | undefined> {
    const draft = this.alarms.draft(order, limit, now);
    if (!draft) return undefined;
    const open = draft.resolvedAt === null;
    const roster = await this.roster.get();
    const decision = open ? recipientsFor(roster, await this.directory(), draft, 0, now, this.live.zone) : undefined;
    // Routed on a day without statutory data: the alarm says so (the console and webhooks show it).
    const blind = open && routesBlind(roster, now, this.live.zone);
    const routed = decision ? { ...draft, recipients: decision.recipients, route: decision.route } : draft;
    const alarm: Alarm = blind ? { ...routed, calendarMissing: true } : routed;
    // Nobody to take it (无人接收): the alarm and that entry are one step.
    const unreached = open && isUnreached(alarm);
    const audit = unreached
      ? this.audit.scriptArgs(this.audit.entry('system', 'alarm.unreached', { id: alarm.id, order, limit, center: alarm.center, unitType: alarm.unitType, level: 0 }, null))
      : [];
    const created = await this.alarms.store(alarm, audit);
    if (!created || !open) return created;
    // Escalation is scheduled for nobody's alarm too: by then a leader may be on duty.
    await this.queue.scheduleEscalation(created.id, 1, now + ackTimeoutMs(roster, now, this.live.zone, 0), now);
    if (!unreached) await this.notifier.popped(created, 0);
    // The late unit itself is pressed (催办) at the limit, whoever is on duty.
    await this.urges.atLimit(created, now);
    return created;
  }

  /** The escalation job: not acknowledged in time, so the next level on duty gets it. */
  async escalate(id: string, level: number): Promise<void> {
    const now = await this.clock.now();
    const alarm = await this.alarms.get(id);
    if (!alarm || alarm.acknowledgedBy !== null || alarm.resolvedAt !== null || alarm.level >= level) return;
    const roster = await this.roster.get();
    const { recipients, route } = recipientsFor(roster, await this.directory(), alarm, level, now, this.live.zone, alarm.recipients);
    // The escalation and its entry are one step.
    const entry = this.audit.entry('system', route === 'none' ? 'alarm.unreached' : 'alarm.escalate', { id, level, recipients, route }, null);
    const updated = await this.alarms.updateOpen(id, 'escalated', { level, recipients, route }, this.audit.scriptArgs(entry));
    if (!updated) return;
    await this.notifier.popped(updated, level);
    if (level < Math.max(MIN_TOP_LEVEL, ladderOf(roster).length - 1))
      await this.queue.scheduleEscalation(id, level + 1, now + ackTimeoutMs(roster, now, this.live.zone, level), now);
  }

  /**
   * Alarms nobody could take (无人接收), tried again: after a roster edit, and by the sweeper
   * every round (a shift coming on duty, a user created or given a wider scope). Returns how
   * many found someone.
   */
  retryUnreached(): Promise<number> {
    // One retry at a time: a roster edit during a sweep must not page the same people twice.
    this.retrying ??= this.retryOnce().finally(() => (this.retrying = undefined));
    return this.retrying;
  }

  private async retryOnce(): Promise<number> {
    const waiting = this.alarms.openAlarms().filter(isUnreached);
    if (!waiting.length) return 0;
    const [now, roster, users] = await Promise.all([this.clock.now(), this.roster.get(), this.directory()]);
    let found = 0;
    for (const alarm of waiting) {
      const { recipients, route } = recipientsFor(roster, users, alarm, alarm.level, now, this.live.zone, []);
      if (!recipients.length) continue;
      // Only while it still has nobody: another instance's retry or an escalation may have won.
      const entry = this.audit.entry('system', 'alarm.reroute', { id: alarm.id, level: alarm.level, recipients, route }, null);
      const updated = await this.alarms.rerouteIfUnreached(alarm.id, { recipients, route }, this.audit.scriptArgs(entry));
      if (!updated) continue;
      found++;
      await this.notifier.popped(updated, updated.level);
    }
    return found;
  }

  onApplicationShutdown(): void {
    for (const off of this.offs) off();
  }
}

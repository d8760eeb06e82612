import { Inject, Injectable, Logger, NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import {
  LIMIT_NAMES,
  ackTimeoutMs,
  dueAt,
  endedAt,
  isDrill,
  limitStatus,
  milestoneAt,
  recipientsFor,
  scopeCovers,
  unitCenterOf,
  unitTypeOf,
  type Alarm,
  type AlarmChange,
  type IncidentFacts,
  type LimitName,
  type OrderFacts,
} from '@wall/shared';
import { createHash } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/auth.types.js';
import { UsersRepository } from '../auth/users.repository.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ClockRepository } from '../deadlines/clock.repository.js';
import { DeadlineQueueRepository } from '../deadlines/deadline-queue.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { RosterRepository } from '../roster/roster.repository.js';
import { AlarmsRepository } from './alarms.repository.js';

export function alarmId(order: string, limit: LimitName): string {
  return `${createHash('sha1').update(order).digest('hex').slice(0, 20)}-${limit}`;
}

export type ChangeListener = (change: AlarmChange) => void;

/**
 * Overdue alarms: raised when a limit's job finds it unmet, resolved when the late milestone
 * (or the order's end) arrives, acknowledged by a supervisor, escalated when nobody does.
 * Decisions read the projection; every write is an idempotent script in AlarmsRepository.
 */
@Injectable()
export class AlarmsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Alarms');
  /** Open alarms by order, a cache of Redis kept by the change channel, for cheap resolve checks. */
  private readonly openByOrder = new Map<string, Map<LimitName, Alarm>>();
  private readonly listeners = new Set<ChangeListener>();
  private unsubscribe?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alarms: AlarmsRepository,
    private readonly queue: DeadlineQueueRepository,
    private readonly live: LiveStateService,
    private readonly reference: ReferenceService,
    private readonly roster: RosterRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly clock: ClockRepository,
  ) {}

  async start(): Promise<void> {
    await this.alarms.subscribe((change) => this.onChange(change));
    for (const alarm of await this.alarms.many(await this.alarms.openIds())) this.cache(alarm);
    this.unsubscribe = this.live.onApplied((touched) => {
      const orders = new Set<string>();
      for (const t of touched) for (const o of t.orders) if (this.openByOrder.has(o)) orders.add(o);
      for (const order of orders) void this.resolveIfDone(order).catch((e: Error) => this.logger.warn(`resolve ${order}: ${e.message}`));
    });
  }

  onChangeEvent(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The acknowledging user of an open alarm of this order and limit, for the wall. */
  acknowledgedBy(order: string, limit: LimitName): string | null {
    return this.openByOrder.get(order)?.get(limit)?.acknowledgedBy ?? null;
  }

  private cache(alarm: Alarm): void {
    if (alarm.resolvedAt === null) {
      let limits = this.openByOrder.get(alarm.order);
      if (!limits) this.openByOrder.set(alarm.order, (limits = new Map<LimitName, Alarm>()));
      limits.set(alarm.limit, alarm);
    } else {
      const limits = this.openByOrder.get(alarm.order);
      limits?.delete(alarm.limit);
      if (limits?.size === 0) this.openByOrder.delete(alarm.order);
    }
  }

  private onChange(change: AlarmChange): void {
    this.cache(change.alarm);
    for (const listener of this.listeners) listener(change);
  }

  /**
   * The order-due job: raises an alarm for each limit of the order that is due and unmet (or
   * was met late before anyone looked), then wakes again at the next undecided limit.
   */
  async orderDue(order: string): Promise<void> {
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
    if (next !== undefined) await this.queue.scheduleOrder(order, next);
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

  async raise(order: string, limit: LimitName, now: number): Promise<Alarm | undefined> {
    const facts = this.live.state.orders.get(order)!;
    const d = facts.dispatch!;
    const incident = this.live.state.incidents.get(d.incident);
    const unitType = unitTypeOf(d.unit, this.reference.index);
    const center = incident?.report?.center ?? unitCenterOf(d.unit, this.reference.index);
    const due = dueAt(facts, limit)!;
    const status = limitStatus(facts, incident, limit, now);
    const resolved = this.resolution(facts, incident, limit, due);
    const roster = await this.roster.get();
    const recipients = resolved ? [] : recipientsFor(roster, { center, unitType }, 0, now, this.live.zone, () => undefined);
    const scoped = await this.withScopes(recipients, { center, unitType });
    const alarm: Alarm = {
      id: alarmId(order, limit),
      order,
      incident: d.incident,
      unit: d.unit,
      unitType,
      center,
      limit,
      dueAt: new Date(due).toISOString(),
      raisedAt: new Date(now).toISOString(),
      resolvedAt: resolved ? new Date(resolved.at).toISOString() : null,
      lateSeconds: resolved?.lateSeconds ?? null,
      outcome: resolved ? (status === 'late' ? 'late' : 'missed') : null,
      acknowledgedBy: null,
      acknowledgedAt: null,
      note: null,
      level: 0,
      recipients: scoped,
    };
    const created = await this.alarms.raise(alarm);
    if (created && !resolved) {
      await this.queue.scheduleEscalation(created.id, 1, now + ackTimeoutMs(roster, now, this.live.zone));
    }
    return created;
  }

  /** Supervisors named by the roster must also have the alarm in their own scope. */
  private async withScopes(users: string[], alarm: { center: string | null; unitType: string }): Promise<string[]> {
    const out: string[] = [];
    for (const name of users) {
      const user = await this.users.get(name);
      if (!user || user.role === 'viewer') continue;
      if (user.role === 'admin' || scopeCovers(user.scope, alarm)) out.push(name);
    }
    return out;
  }

  private resolution(facts: OrderFacts, incident: IncidentFacts | undefined, limit: LimitName, due: number): { at: number; lateSeconds: number | null } | undefined {
    const done = milestoneAt(facts, limit);
    if (done !== undefined) return { at: done, lateSeconds: Math.round((done - due) / 1000) };
    const status = limitStatus(facts, incident, limit, Number.MAX_SAFE_INTEGER);
    // The order's end is the projection's rule (endedAt), not re-derived here.
    if (status === 'missed') return { at: endedAt(facts, incident)!, lateSeconds: null };
    return undefined;
  }

  private async resolveIfDone(order: string): Promise<void> {
    const facts = this.live.state.orders.get(order);
    const limits = this.openByOrder.get(order);
    if (!facts?.dispatch || !limits) return;
    const incident = this.live.state.incidents.get(facts.dispatch.incident);
    for (const [limit, alarm] of limits) {
      const resolved = this.resolution(facts, incident, limit, Date.parse(alarm.dueAt));
      if (!resolved) continue;
      const outcome = resolved.lateSeconds === null ? 'missed' : 'late';
      await this.alarms.update(alarm.id, 'resolved', { resolvedAt: new Date(resolved.at).toISOString(), lateSeconds: resolved.lateSeconds, outcome }, 'resolvedAt', true);
      await this.queue.cancelEscalation(alarm.id, alarm.level + 1);
    }
  }

  async acknowledge(id: string, user: Principal, note: string | undefined): Promise<Alarm> {
    const alarm = await this.alarms.get(id);
    if (!alarm || !(await this.inScope(user, alarm))) throw new NotFoundException(`alarm ${id} does not exist or is not in your scope`);
    const updated = await this.alarms.update(
      id,
      'acknowledged',
      { acknowledgedBy: user.username, acknowledgedAt: new Date().toISOString(), note: note ?? null },
      'acknowledgedBy',
      false,
      this.audit.scriptArgs(this.audit.entry(user.username, 'alarm.acknowledge', { id, order: alarm.order, limit: alarm.limit, note: note ?? null })),
    );
    if (!updated) return alarm; // acknowledged before: the first acknowledgement stands
    await this.queue.cancelEscalation(id, updated.level + 1);
    return updated;
  }

  /** The escalation job: not acknowledged in time, so the next level on duty gets it. */
  async escalate(id: string, level: number): Promise<void> {
    const now = await this.clock.now();
    const alarm = await this.alarms.get(id);
    if (!alarm || alarm.acknowledgedBy !== null || alarm.resolvedAt !== null || alarm.level >= level) return;
    const roster = await this.roster.get();
    const found = recipientsFor(roster, alarm, level, now, this.live.zone, () => undefined);
    const recipients = await this.withScopes(found, alarm);
    const entry = this.audit.entry('system', 'alarm.escalate', { id, level, recipients }, null);
    const updated = await this.alarms.update(id, 'escalated', { level, recipients }, 'acknowledgedBy', false, this.audit.scriptArgs(entry));
    if (!updated) return;
    if (level < 3) await this.queue.scheduleEscalation(id, level + 1, now + ackTimeoutMs(roster, now, this.live.zone));
  }

  async inScope(user: Principal, alarm: Alarm): Promise<boolean> {
    if (user.role === 'admin') return true;
    if (user.role !== 'supervisor') return false;
    const stored = await this.users.get(user.username);
    return scopeCovers(stored?.scope, alarm);
  }

  async list(user: Principal, state: 'open' | 'all', since: number | undefined): Promise<Alarm[]> {
    const alarms =
      state === 'open'
        ? (await this.alarms.many(await this.alarms.openIds())).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
        : await this.alarms.raisedSince(since ?? 0, 5000);
    const stored = user.role === 'supervisor' ? await this.users.get(user.username) : undefined;
    return alarms.filter((a) => (since === undefined || Date.parse(a.raisedAt) >= since) && (user.role === 'admin' || scopeCovers(stored?.scope, a)));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }
}

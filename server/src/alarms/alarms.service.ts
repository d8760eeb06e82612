import type { ScriptArg } from '../redis/script.js';
import { Injectable, Logger, NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import {
  dueAt,
  endedAt,
  isUnreached,
  limitStatus,
  milestoneAt,
  scopeCovers,
  type Alarm,
  type AlarmChange,
  type Delivery,
  type IncidentFacts,
  type LimitName,
  type OrderFacts,
  unitCenterOf,
  unitTypeOf,
} from '@wall/shared';
import { createHash } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/auth.types.js';
import { UsersRepository } from '../auth/users.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { alarmLateness, alarmsAcknowledged, alarmsRaised, observeUnreached } from '../metrics/metrics.js';
import { AlarmsRepository } from './alarms.repository.js';

export function alarmId(order: string, limit: LimitName): string {
  return `${createHash('sha1').update(order).digest('hex').slice(0, 20)}-${limit}`;
}

export type ChangeListener = (change: AlarmChange) => void;

/**
 * The alarm store's service: builds an alarm from the projection, stores it, resolves it when
 * the late milestone (or the order's end) arrives, acknowledges and lists. Who is paged and
 * when is PagingService's; every write is an idempotent script in AlarmsRepository.
 */
@Injectable()
export class AlarmsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Alarms');
  /** Open alarms by order, a cache of Redis kept by the change channel, for cheap resolve checks. */
  private readonly openByOrder = new Map<string, Map<LimitName, Alarm>>();
  private readonly listeners = new Set<ChangeListener>();
  private unsubscribe?: () => void;

  constructor(
    private readonly alarms: AlarmsRepository,
    private readonly live: LiveStateService,
    private readonly reference: ReferenceService,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
  ) {}

  async start(): Promise<void> {
    await this.alarms.subscribe((change) => this.onChange(change));
    for (const alarm of await this.alarms.many(await this.alarms.openIds())) this.cache(alarm);
    // From the copy kept here: a scrape costs no Redis read.
    observeUnreached(() => this.openAlarms().filter(isUnreached).length);
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

  /** True while the open alarm of this order and limit has nobody to take it (无人接收), for the wall. */
  unreached(order: string, limit: LimitName): boolean {
    const alarm = this.openByOrder.get(order)?.get(limit);
    return alarm !== undefined && isUnreached(alarm);
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

  /** Open alarms, from this instance's copy of the store (kept by the change channel). */
  openAlarms(): Alarm[] {
    const out: Alarm[] = [];
    for (const limits of this.openByOrder.values()) out.push(...limits.values());
    return out;
  }

  get(id: string): Promise<Alarm | undefined> {
    return this.alarms.get(id);
  }

  exists(id: string): Promise<boolean> {
    return this.alarms.exists(id);
  }

  /** The alarm of an order's limit as the projection has it at `now`, without recipients; undefined for an unknown order. */
  draft(order: string, limit: LimitName, now: number): Alarm | undefined {
    const facts = this.live.state.orders.get(order);
    const d = facts?.dispatch;
    if (!facts || !d) return undefined;
    const incident = this.live.state.incidents.get(d.incident);
    const unitType = unitTypeOf(d.unit, this.reference.index);
    const center = incident?.report?.center ?? unitCenterOf(d.unit, this.reference.index);
    const due = dueAt(facts, limit)!;
    const status = limitStatus(facts, incident, limit, now);
    const resolved = this.resolution(facts, incident, limit, due);
    return {
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
      recipients: [],
    };
  }

  /** Stores the alarm unless one with its id exists; returns it when this call created it. */
  /** Stores the alarm unless it exists; `audit` (audit_write's arguments) is written with it, in the same step. */
  async store(alarm: Alarm, audit: ScriptArg[] = []): Promise<Alarm | undefined> {
    const created = await this.alarms.raise(alarm, audit);
    if (created) {
      alarmsRaised.inc({ limit: created.limit });
      if (created.resolvedAt === null) alarmLateness.observe(Math.max(0, Date.parse(created.raisedAt) - Date.parse(created.dueAt)) / 1000);
    }
    return created;
  }

  /** Applies `patch` unless the alarm is acknowledged or resolved by now; the changed alarm, or undefined. */
  async updateOpen(id: string, kind: AlarmChange['kind'], patch: Partial<Alarm>, audit: ScriptArg[] = []): Promise<Alarm | undefined> {
    return this.alarms.update(id, kind, patch, ['acknowledgedBy', 'resolvedAt'], false, false, audit);
  }

  /** Gives an open alarm nobody has (无人接收) its recipients, unless someone took it meanwhile. */
  rerouteIfUnreached(id: string, patch: Pick<Alarm, 'recipients' | 'route'>, audit: ScriptArg[] = []): Promise<Alarm | undefined> {
    return this.alarms.update(id, 'rerouted', patch, ['acknowledgedBy', 'resolvedAt'], false, true, audit);
  }

  recordDelivery(id: string, delivery: Delivery, audit: ScriptArg[] = []): Promise<Alarm | undefined> {
    return this.alarms.recordDelivery(id, delivery, audit);
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
      await this.alarms.update(alarm.id, 'resolved', { resolvedAt: new Date(resolved.at).toISOString(), lateSeconds: resolved.lateSeconds, outcome }, ['resolvedAt'], true);
    }
  }

  async acknowledge(id: string, user: Principal, note: string | undefined): Promise<Alarm> {
    const alarm = await this.alarms.get(id);
    if (!alarm || !(await this.inScope(user, alarm))) throw new NotFoundException(`alarm ${id} does not exist or is not in your scope`);
    const updated = await this.alarms.update(
      id,
      'acknowledged',
      { acknowledgedBy: user.username, acknowledgedAt: new Date().toISOString(), note: note ?? null },
      ['acknowledgedBy'],
      false,
      false,
      // The acknowledgement and its audit entry are one step: no acknowledgement goes unaudited.
      this.audit.scriptArgs(this.audit.entry(user.username, 'alarm.acknowledge', { id, order: alarm.order, limit: alarm.limit, note: note ?? null })),
    );
    if (!updated) return alarm; // acknowledged before: the first acknowledgement stands
    alarmsAcknowledged.inc();
    return updated;
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

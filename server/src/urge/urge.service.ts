import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { URGE_MIN_GAP_MS, urgeId, urgesAtLimit, type Alarm, type Delivery, type Urge, type UrgeKind } from '@wall/shared';
import { AlarmsService } from '../alarms/alarms.service.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { JobQueueRepository } from '../jobs/job-queue.repository.js';
import type { JobData, JobRun } from '../jobs/jobs.js';
import { accepted } from '../notify/webhook-messages.js';
import { ReferenceService } from '../reference/reference.service.js';
import { UrgeRepository } from './urge.repository.js';
import { urgeRequest } from './urge-messages.js';

const SEND_TIMEOUT_MS = 5000;

/**
 * 催办 and 督办 to the late unit's duty contact: a record claimed once per (order, limit,
 * level) by whichever instance raises the alarm or serves the press, then one queued job
 * that sends it to each of the unit's webhooks with a receipt per webhook (retried with
 * backoff; a webhook with a successful receipt is never sent again).
 */
@Injectable()
export class UrgeService {
  private readonly logger = new Logger('Urge');

  constructor(
    private readonly urges: UrgeRepository,
    private readonly alarms: AlarmsService,
    private readonly queue: JobQueueRepository,
    private readonly reference: ReferenceService,
    private readonly audit: AuditRepository,
  ) {}

  /** The alarm was raised at its limit: the unit's 催办 when on for that limit kind and the unit has a webhook. */
  async atLimit(alarm: Alarm, now: number): Promise<void> {
    const data = this.reference.index.data;
    if (!urgesAtLimit(data.urgeAtLimit, alarm.limit) || !data.unitContacts?.[alarm.unit]?.webhooks.length) return;
    await this.issue('urge', alarm, 0, 'system', null, now);
  }

  /** A supervisor's 催办 from the console: the next level of this alarm's 催办. */
  async press(alarmId: string, user: string, now: number): Promise<Urge> {
    const alarm = await this.openAlarm(alarmId);
    const earlier = (await this.urges.forAlarm(alarmId)).filter((u) => u.kind === 'urge');
    // Only a person's press blocks the next: the 催办 at the limit does not stop a supervisor's.
    const last = earlier.filter((u) => u.by !== 'system').at(-1);
    if (last && now - Date.parse(last.at) < URGE_MIN_GAP_MS) throw new ConflictException({ statusCode: 409, message: `已于 ${last.at} 催办过，请稍后再催` });
    return this.issueOrConflict('urge', alarm, earlier.length, user, null, now);
  }

  /** 督办: the step after 催办, with the supervisor's note. */
  async supervise(alarmId: string, user: string, note: string, now: number): Promise<Urge> {
    const alarm = await this.openAlarm(alarmId);
    const earlier = await this.urges.forAlarm(alarmId);
    if (!earlier.some((u) => u.kind === 'urge')) throw new ConflictException({ statusCode: 409, message: '督办须在催办之后：请先催办' });
    return this.issueOrConflict('supervise', alarm, earlier.filter((u) => u.kind === 'supervise').length, user, note, now);
  }

  forAlarm(alarmId: string): Promise<Urge[]> {
    return this.urges.forAlarm(alarmId);
  }

  between(from: number, to: number): Promise<Urge[]> {
    return this.urges.between(from, to);
  }

  /** The urge job. Throws while any webhook still fails, so BullMQ retries it with backoff. */
  async deliver({ id }: JobData<'urge'>, { attempt }: JobRun): Promise<void> {
    const urge = await this.urges.get(id);
    if (!urge) return;
    const hooks = this.reference.index.data.unitContacts?.[urge.unit]?.webhooks ?? [];
    const failed: string[] = [];
    for (const [i, hook] of hooks.entries()) {
      if (urge.deliveries.some((d) => d.hook === i && d.ok)) continue;
      const { url, body } = urgeRequest(hook, urge, this.names(), Date.now());
      let status: number | null = null;
      let verdict: { ok: boolean; error?: string };
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
        status = res.status;
        verdict = accepted(hook, res.status, await res.text());
      } catch (e) {
        verdict = { ok: false, error: (e as Error).message };
      }
      const receipt: Delivery = {
        user: urge.unit,
        level: urge.level,
        hook: i,
        kind: hook.kind,
        host: new URL(hook.url).host,
        ok: verdict.ok,
        status,
        attempts: attempt,
        at: new Date().toISOString(),
        ...(verdict.error ? { error: verdict.error.slice(0, 200) } : {}),
      };
      await this.urges.recordDelivery(id, receipt);
      await this.audit.record('system', verdict.ok ? `${urge.kind}.notify` : `${urge.kind}.notify.failed`, { id, ...receipt }, null);
      if (!verdict.ok) failed.push(`${hook.kind} ${receipt.host}: ${verdict.error}`);
    }
    if (failed.length) {
      this.logger.warn(`${id}, attempt ${attempt}: ${failed.join('; ')}`);
      throw new Error(failed.join('; '));
    }
  }

  private async openAlarm(alarmId: string): Promise<Alarm> {
    const alarm = await this.alarms.get(alarmId);
    if (!alarm) throw new NotFoundException({ statusCode: 404, message: `alarm ${alarmId}: no such alarm` });
    if (alarm.resolvedAt !== null) throw new ConflictException({ statusCode: 409, message: '该时限已完成或工单已结束，无需催办' });
    return alarm;
  }

  private async issueOrConflict(kind: UrgeKind, alarm: Alarm, level: number, by: string, note: string | null, now: number): Promise<Urge> {
    const urge = await this.issue(kind, alarm, level, by, note, now);
    if (!urge) throw new ConflictException({ statusCode: 409, message: `${kind === 'urge' ? '催办' : '督办'}刚刚已由他人发出` });
    return urge;
  }

  /** Claims the record (once per order, limit, level and kind), audits it and queues its sending; undefined when it existed. */
  private async issue(kind: UrgeKind, alarm: Alarm, level: number, by: string, note: string | null, now: number): Promise<Urge | undefined> {
    const urge: Urge = {
      id: urgeId(kind, alarm.order, alarm.limit, level),
      kind,
      alarmId: alarm.id,
      order: alarm.order,
      incident: alarm.incident,
      unit: alarm.unit,
      center: alarm.center,
      limit: alarm.limit,
      level,
      by,
      at: new Date(now).toISOString(),
      dueAt: alarm.dueAt,
      note,
      deliveries: [],
    };
    if (!(await this.urges.claim(urge))) return undefined;
    await this.audit.record(
      by,
      kind === 'urge' ? 'urge.send' : 'urge.supervise',
      { id: urge.id, alarm: alarm.id, order: alarm.order, unit: alarm.unit, limit: alarm.limit, level, ...(note ? { note } : {}) },
      by === 'system' ? null : undefined,
    );
    if (this.reference.index.data.unitContacts?.[alarm.unit]?.webhooks.length) await this.queue.scheduleUrge(urge.id);
    return urge;
  }

  private names() {
    const index = this.reference.index;
    return { unit: (id: string) => index.units.get(id)?.name ?? id };
  }
}

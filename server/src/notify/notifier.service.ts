import { Injectable, Logger } from '@nestjs/common';
import type { Alarm, Delivery } from '@wall/shared';
import { AlarmsService } from '../alarms/alarms.service.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { JobQueueRepository } from '../jobs/job-queue.repository.js';
import type { JobData, JobRun } from '../jobs/jobs.js';
import { ReferenceService } from '../reference/reference.service.js';
import { RosterRepository } from '../roster/roster.repository.js';
import { accepted, webhookRequest, type MessageNames } from './webhook-messages.js';
import { notifications } from '../metrics/metrics.js';

/** A receiver that has not answered in this long counts as a failed attempt. */
const SEND_TIMEOUT_MS = 5000;

/**
 * Work notifications (DingTalk / 浙政钉, WeCom, JSON webhooks) for every popup: queued as one
 * job per (alarm, recipient, level), sent to each of the recipient's webhooks, with a receipt
 * per webhook on the alarm and in the audit log. A webhook with a successful receipt is never
 * sent again, whatever retries or restarts follow.
 */
@Injectable()
export class NotifierService {
  private readonly logger = new Logger('Notify');

  constructor(
    private readonly alarms: AlarmsService,
    private readonly roster: RosterRepository,
    private readonly queue: JobQueueRepository,
    private readonly reference: ReferenceService,
    private readonly audit: AuditRepository,
  ) {}

  /** The alarm popped up for its recipients at `level`: queue the notifications of those with webhooks. */
  async popped(alarm: Alarm, level: number): Promise<void> {
    const { contacts } = await this.roster.get();
    for (const user of alarm.recipients) {
      if (contacts[user]?.webhooks.length) await this.queue.scheduleNotify(alarm.id, user, level);
    }
  }

  /** The notify job. Throws while any webhook still fails, so BullMQ retries it with backoff. */
  async deliver({ alarmId, user, level }: JobData<'notify'>, { attempt }: JobRun): Promise<void> {
    const alarm = await this.alarms.get(alarmId);
    // Handled meanwhile (acknowledged or resolved): nothing left to ask of anyone.
    if (!alarm || alarm.acknowledgedBy !== null || alarm.resolvedAt !== null) return;
    const hooks = (await this.roster.get()).contacts[user]?.webhooks ?? [];
    const failed: string[] = [];
    for (const [i, hook] of hooks.entries()) {
      if (alarm.deliveries?.some((d) => d.user === user && d.level === level && d.hook === i && d.ok)) continue;
      const { url, body } = webhookRequest(hook, alarm, level, user, this.names(), Date.now());
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
        user,
        level,
        hook: i,
        kind: hook.kind,
        host: new URL(hook.url).host,
        ok: verdict.ok,
        status,
        attempts: attempt,
        at: new Date().toISOString(),
        ...(verdict.error ? { error: verdict.error.slice(0, 200) } : {}),
      };
      // The receipt and its audit entry are one step.
      const entry = this.audit.entry('system', verdict.ok ? 'alarm.notify' : 'alarm.notify.failed', { id: alarmId, ...receipt }, null);
      await this.alarms.recordDelivery(alarmId, receipt, this.audit.scriptArgs(entry));
      notifications.inc({ kind: 'webhook', result: verdict.ok ? 'sent' : 'failed' });
      if (!verdict.ok) failed.push(`${hook.kind} ${receipt.host}: ${verdict.error}`);
    }
    if (failed.length) {
      this.logger.warn(`alarm ${alarmId} to ${user}, attempt ${attempt}: ${failed.join('; ')}`);
      throw new Error(failed.join('; '));
    }
  }

  private names(): MessageNames {
    const index = this.reference.index;
    return {
      unit: (id) => index.units.get(id)?.name ?? id,
      center: (id) => (id === null ? '—' : (index.centers.get(id)?.name ?? id)),
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Zone, checkEvent, type ConflictRecord, type IncidentMarked, type Limits, type LogEvent, type ReferenceIndex, type StoredEvent } from '@wall/shared';
import { createHash } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ReferenceService } from '../reference/reference.service.js';
import { feedEvents } from '../metrics/metrics.js';
import { EventLogRepository, type EventToAppend, type StoreMode } from './event-log.repository.js';
import type { ScriptArg } from '../redis/script.js';
import type { BodyItem } from './feed-body.js';

export interface Rejection {
  index: number;
  id: string | null;
  error: string;
}

export interface Conflict {
  index: number;
  id: string;
}

export interface FeedAnswer {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  seq: number;
  /** Duplicates whose content differs from the stored event (counted among `duplicates`). */
  conflicts: Conflict[];
}

/**
 * The content of an event as the sender meant it, order of keys and spelling of the instant
 * aside ("+08:00" and "Z" for the same instant are the same event): a re-sent id with another
 * fingerprint is a conflict. The event is zod's output, whose keys (nested ones too) come in
 * the schema's order whatever the sender's, so its JSON needs no sorting (a generic canonical
 * form cost 40 µs an event, this 5).
 */
export function fingerprint(event: StoredEvent): string {
  const { at: _at, ...rest } = event;
  return createHash('sha1').update(JSON.stringify(rest)).digest('base64url').slice(0, 16);
}

@Injectable()
export class FeedService {
  private readonly zone: Zone;

  constructor(
    private readonly log: EventLogRepository,
    private readonly reference: ReferenceService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.zone = new Zone(config.TZ_REPORTS);
  }

  /**
   * Validates every item, stores the valid ones in one atomic append, and answers per the
   * contract. `mode` 'demo' is the built-in simulator: its events are marked `sim` in the log;
   * 'server' the server's own events (drill marks), which only this path admits.
   */
  async ingest(items: BodyItem[], now = Date.now(), mode: StoreMode | 'server' = 'real', partitionT?: number, audit?: ScriptArg[]): Promise<FeedAnswer> {
    const ref = this.reference.index;
    const rejected: Rejection[] = [];
    const valid: Array<EventToAppend & { index: number; event: StoredEvent }> = [];
    items.forEach((item, index) => {
      if (!item.ok) return rejected.push({ index, id: null, error: item.error });
      const check = checkEvent(item.value, ref, now, { server: mode === 'server' });
      if (!check.ok) return rejected.push({ index, id: check.id ?? null, error: check.error });
      const { t: _t, ...event } = check.event;
      const stored: LogEvent = mode === 'demo' ? { ...freeze(event, ref), sim: true } : freeze(event, ref);
      // Stored under its own day; a mark under the marked incident's report day, where the
      // settle span of that incident's month finds it.
      const t = partitionT ?? check.event.t;
      const report = check.event.type === 'incident.reported' ? { incident: check.event.incident, t: check.event.t } : undefined;
      valid.push({
        index,
        id: event.id,
        fingerprint: fingerprint(check.event),
        json: JSON.stringify(stored),
        event: check.event,
        day: this.zone.dayKey(t),
        month: this.zone.monthKey(t),
        report,
      });
    });
    if (!valid.length) {
      feedEvents.inc({ result: 'rejected' }, rejected.length);
      return { accepted: 0, duplicates: 0, seq: await this.log.seq(), rejected, conflicts: [] };
    }
    const stored = await this.log.append(valid, mode, audit);
    const conflicts = stored.conflicts.map((i) => valid[i]!);
    for (const i of stored.archived) {
      const v = valid[i]!;
      rejected.push({ index: v.index, id: v.id, error: `at: month ${v.month} is archived; its events can no longer change` });
    }
    rejected.sort((a, b) => a.index - b.index);
    const receivedAt = new Date(now).toISOString();
    await this.log.recordConflicts(
      conflicts.map((c): ConflictRecord & { month: string } => ({ id: c.id, type: c.event.type, incident: c.event.incident, at: c.event.at, receivedAt, month: c.month })),
    );
    feedEvents.inc({ result: 'accepted' }, stored.accepted);
    feedEvents.inc({ result: 'duplicate' }, stored.duplicates - conflicts.length);
    feedEvents.inc({ result: 'conflict' }, conflicts.length);
    feedEvents.inc({ result: 'rejected' }, rejected.length);
    return {
      accepted: stored.accepted,
      duplicates: stored.duplicates,
      rejected,
      seq: stored.seq,
      conflicts: conflicts.map((c) => ({ index: c.index, id: c.id })),
    };
  }

  /** An event of the server's own (a drill mark), validated and stored like the feed's. */
  async appendServerEvent(event: IncidentMarked, partitionT?: number, audit?: ScriptArg[]): Promise<number> {
    const answer = await this.ingest([{ ok: true, value: event }], Date.now(), 'server', partitionT, audit);
    if (answer.rejected.length) throw new Error(`server event ${event.id} rejected: ${answer.rejected[0]!.error}`);
    return answer.seq;
  }
}

/**
 * What the reference data implies is written into the stored event (a dispatch's limits, an
 * incident's district), so later edits of the reference data never rewrite history.
 */
function freeze(event: LogEvent, ref: ReferenceIndex): LogEvent {
  if (event.type === 'order.dispatched') {
    const limits: Limits = ref.limitsFor(event.unit);
    return { ...event, deadlines: { ...limits, ...event.deadlines } };
  }
  if (event.type === 'incident.reported' && event.district === undefined) {
    const district = ref.districtOf(event.center, undefined);
    return district ? { ...event, district } : event;
  }
  return event;
}

import { Injectable } from '@nestjs/common';
import { checkEvent, type IncidentMarked, type Limits, type LogEvent, type ReferenceIndex } from '@wall/shared';
import { ReferenceService } from '../reference/reference.service.js';
import type { ScriptArg } from '../redis/script.js';
import { EventLogRepository } from './event-log.repository.js';
import type { BodyItem } from './feed-body.js';

export interface Rejection {
  index: number;
  id: string | null;
  error: string;
}

export interface FeedAnswer {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  seq: number;
}

@Injectable()
export class FeedService {
  constructor(
    private readonly log: EventLogRepository,
    private readonly reference: ReferenceService,
  ) {}

  /** Validates every item, stores the valid ones in one atomic append, and answers per the contract. */
  async ingest(items: BodyItem[], now = Date.now(), options: { server?: boolean; audit?: ScriptArg[] } = {}): Promise<FeedAnswer> {
    const ref = this.reference.index;
    const rejected: Rejection[] = [];
    const valid: Array<{ id: string; json: string }> = [];
    items.forEach((item, index) => {
      if (!item.ok) return rejected.push({ index, id: null, error: item.error });
      const check = checkEvent(item.value, ref, now, options);
      if (!check.ok) return rejected.push({ index, id: check.id ?? null, error: check.error });
      const { t: _t, ...event } = check.event;
      valid.push({ id: event.id, json: JSON.stringify(freeze(event, ref)) });
    });
    const stored = valid.length ? await this.log.append(valid, options.audit) : { accepted: 0, duplicates: 0, seq: await this.log.seq() };
    return { ...stored, rejected };
  }

  /** An event of the server's own (a drill mark), validated and stored like the feed's, with its audit entry. */
  async appendServerEvent(event: IncidentMarked, audit: ScriptArg[]): Promise<number> {
    const answer = await this.ingest([{ ok: true, value: event }], Date.now(), { server: true, audit });
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

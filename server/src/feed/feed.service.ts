import { Injectable } from '@nestjs/common';
import { checkEvent, type FeedEvent, type Limits } from '@wall/shared';
import { ReferenceService } from '../reference/reference.service.js';
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
  async ingest(items: BodyItem[], now = Date.now()): Promise<FeedAnswer> {
    const ref = this.reference.index;
    const rejected: Rejection[] = [];
    const valid: Array<{ id: string; json: string }> = [];
    items.forEach((item, index) => {
      if (!item.ok) return rejected.push({ index, id: null, error: item.error });
      const check = checkEvent(item.value, ref, now);
      if (!check.ok) return rejected.push({ index, id: check.id ?? null, error: check.error });
      const { t: _t, ...event } = check.event;
      valid.push({ id: event.id, json: JSON.stringify(this.freeze(event, ref.data.defaultLimits)) });
    });
    const stored = valid.length ? await this.log.append(valid) : { accepted: 0, duplicates: 0, seq: await this.log.seq() };
    return { ...stored, rejected };
  }

  /** A dispatch's limits are fixed when it is stored, so later edits of the defaults never rewrite history. */
  private freeze(event: FeedEvent, defaults: Limits): FeedEvent {
    if (event.type !== 'order.dispatched') return event;
    return { ...event, deadlines: { ...defaults, ...event.deadlines } };
  }
}

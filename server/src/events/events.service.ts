import { Injectable } from '@nestjs/common';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { LiveStateService } from '../live/live-state.service.js';

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const CHUNK = 5000;

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

@Injectable()
export class EventsService {
  constructor(
    private readonly log: EventLogRepository,
    private readonly live: LiveStateService,
  ) {}

  /**
   * The stored events whose `at` falls in [from, to] as NDJSON chunks, the log read 5,000 at a
   * time so a month never sits in memory at once. A date means the whole day in the report zone.
   */
  async *ndjson(from: string, to: string): AsyncGenerator<string> {
    const zone = this.live.zone;
    const start = DAY_PATTERN.test(from) ? zone.startOfDay(from) : Date.parse(from);
    const end = DAY_PATTERN.test(to) ? zone.startOfDay(nextDay(to)) - 1 : Date.parse(to);
    let after = '0';
    for (;;) {
      const batch = await this.log.readAfter(after, CHUNK);
      if (!batch.length) return;
      let out = '';
      for (const entry of batch) {
        const at = Date.parse((JSON.parse(entry.json) as { at: string }).at);
        if (at >= start && at <= end) out += entry.json + '\n';
      }
      if (out) yield out;
      after = batch[batch.length - 1]!.streamId;
    }
  }
}

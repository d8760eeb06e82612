import { Injectable } from '@nestjs/common';
import { nextDay } from '@wall/shared';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { HistoryService } from '../history/history.service.js';
import { LiveStateService } from '../live/live-state.service.js';

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

@Injectable()
export class EventsService {
  constructor(
    private readonly log: EventLogRepository,
    private readonly live: LiveStateService,
    private readonly history: HistoryService,
  ) {}

  /**
   * The stored events whose `at` falls in [from, to] as NDJSON chunks, day partition by day
   * partition (each in the order stored), so a window costs what it holds and a month never
   * sits in memory at once. A date means the whole day in the report zone.
   */
  async *ndjson(from: string, to: string): AsyncGenerator<string> {
    const zone = this.live.zone;
    const start = DAY_PATTERN.test(from) ? zone.startOfDay(from) : Date.parse(from);
    const end = DAY_PATTERN.test(to) ? zone.startOfDay(nextDay(to)) - 1 : Date.parse(to);
    if (end < start) return;
    const archived = await this.log.archivedMonths();
    const days = await this.log.days(zone.dayKey(start), zone.dayKey(end));
    // Archives are checked before the first line goes out, so a bad file is an error, not a short answer.
    for (const month of new Set(days.map((d) => d.slice(0, 7)))) if (archived.has(month)) this.history.archivedDays(month);
    for (const day of days) {
      const whole = zone.startOfDay(day) >= start && zone.startOfDay(nextDay(day)) - 1 <= end;
      for await (const batch of this.history.dayEvents(day, archived)) {
        let out = '';
        for (const json of batch) {
          // A mark is stored under its incident's report day, whatever its own `at`.
          if (whole && !json.includes('"incident.marked"')) out += json + '\n';
          else {
            const at = Date.parse((JSON.parse(json) as { at: string }).at);
            if (at >= start && at <= end) out += json + '\n';
          }
        }
        if (out) yield out;
      }
    }
  }
}

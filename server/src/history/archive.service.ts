import { BadRequestException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { MONTH_KEY, firstLiveMonth } from '@wall/shared';
import { AuditRepository } from '../audit/audit.repository.js';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ArchiveCorrupt, ArchiveRepository, ndjsonDigest } from './archive.repository.js';
import { HistoryService } from './history.service.js';

export interface ArchivedMonth {
  month: string;
  events: number;
  sha256: string;
  file: string;
}

/**
 * Moves whole closed months out of Redis: their events to compressed NDJSON, checked against
 * the store (count and hash) before the store frees them. Their artifacts stay, so the
 * bulletin reads as before; replay reads the files.
 */
@Injectable()
export class ArchiveService {
  private readonly logger = new Logger('Archive');

  constructor(
    private readonly log: EventLogRepository,
    private readonly archive: ArchiveRepository,
    private readonly history: HistoryService,
    private readonly live: LiveStateService,
    private readonly audit: AuditRepository,
  ) {}

  /** `who`: the admin who asked, or `system` for the retention round (audited per month freed). */
  async archiveBefore(before: string, who: string): Promise<{ archived: ArchivedMonth[]; already: string[] }> {
    if (!MONTH_KEY.test(before)) throw new BadRequestException('before: must be YYYY-MM');
    const firstLive = firstLiveMonth(Date.now(), this.live.zone);
    if (before > firstLive) throw new BadRequestException(`before: ${before} would archive a live month (the live window starts at ${firstLive})`);
    const done = await this.log.archivedMonths();
    const months = (await this.log.months()).filter((m) => m < before);
    // Every month written and checked first, then freed: one bad file frees nothing.
    const written: Array<ArchivedMonth & { days: string[] }> = [];
    for (const month of months) if (!done.has(month)) written.push(await this.writeMonth(month));
    for (const m of written) {
      const entry = this.audit.entry(who, 'history.archive', { month: m.month, before, events: m.events, sha256: m.sha256, file: m.file });
      await this.log.freeArchived(m.month, m.days, this.audit.scriptArgs(entry));
      this.logger.log(`archived ${m.month}: ${m.events} events to ${m.file}`);
    }
    return { archived: written.map(({ days: _days, ...m }) => m), already: months.filter((m) => done.has(m)) };
  }

  private async writeMonth(month: string): Promise<ArchivedMonth & { days: string[] }> {
    // The bulletin of the month stays readable from its artifact: make sure it is current first.
    await this.history.artifact(month);
    const days = await this.log.days(`${month}-01`, `${month}-31`);
    const lines: string[] = [];
    const perDay: Record<string, number> = {};
    for (const day of days) {
      for await (const batch of this.log.dayEvents(day)) for (const e of batch) lines.push(e.json);
      perDay[day] = lines.length - Object.values(perDay).reduce((a, b) => a + b, 0);
    }
    const store = { events: lines.length, sha256: ndjsonDigest(lines) };
    const file = this.archive.fileOf(month);
    try {
      // A file left by an earlier run must hold exactly what the store holds; a new one is
      // written, then read back and checked the same way.
      if (!this.archive.exists(month)) this.archive.write(month, lines, perDay);
      this.archive.read(month, store);
    } catch (e) {
      if (e instanceof ArchiveCorrupt) throw new ConflictException(`${e.message}; nothing was freed from Redis (remove or fix the file, then archive again)`);
      throw e;
    }
    return { month, events: store.events, sha256: store.sha256, file, days };
  }
}

import { Injectable, InternalServerErrorException, Logger } from '@nestjs/common';
import { applyEvent, closeMonth, emptyState, parseStored, settleSpan, spanMonths, type MonthArtifact } from '@wall/shared';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { CheckpointRepository } from '../live/checkpoint.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { ArchiveCorrupt, ArchiveRepository } from './archive.repository.js';
import { MonthArtifactRepository } from './month-artifact.repository.js';

const FOLD_LOCK_MS = 120_000;

/**
 * Reads of history: a day's events wherever they are (a partition in Redis, or the archive),
 * and closed months' artifacts, folded from their settle span when their stamp moved.
 */
@Injectable()
export class HistoryService {
  private readonly logger = new Logger('History');
  /** The archived month read last, by day: a settle span reads the same month for 30 days in a row. */
  private archiveCache?: { month: string; days: Map<string, string[]> };

  constructor(
    private readonly log: EventLogRepository,
    private readonly artifacts: MonthArtifactRepository,
    private readonly archive: ArchiveRepository,
    private readonly live: LiveStateService,
    private readonly reference: ReferenceService,
  ) {}

  /** The JSON of every event stored under `day`, in chunks. */
  async *dayEvents(day: string, archived?: Set<string>): AsyncGenerator<string[]> {
    const month = day.slice(0, 7);
    if ((archived ?? (await this.log.archivedMonths())).has(month)) {
      const lines = this.archivedDays(month).get(day);
      if (lines?.length) yield lines;
      return;
    }
    for await (const batch of this.log.dayEvents(day)) yield batch.map((e) => e.json);
  }

  /** An archived month's events by day, checked against its manifest (a file that differs is refused, never served). */
  archivedDays(month: string): Map<string, string[]> {
    if (this.archiveCache?.month === month) return this.archiveCache.days;
    let lines: string[];
    try {
      lines = this.archive.read(month).lines;
    } catch (e) {
      if (e instanceof ArchiveCorrupt) throw new InternalServerErrorException(e.message);
      throw e;
    }
    const days = new Map<string, string[]>();
    for (const line of lines) {
      const day = this.live.zone.dayKey(parseStored(line).t);
      let list = days.get(day);
      if (!list) days.set(day, (list = []));
      list.push(line);
    }
    this.archiveCache = { month, days };
    return days;
  }

  /** What a month's artifact must have been folded at to be current now. */
  private async stampOf(month: string): Promise<string> {
    const code = CheckpointRepository.keyOf(JSON.stringify(this.reference.index.data), this.live.zone.tz);
    const writes = await this.log.monthWrites(spanMonths(month));
    return `${code}:${writes.join(',')}`;
  }

  /** The closed month's reports: stored if current, else folded from its span (by one instance at a time) and stored. */
  async artifact(month: string): Promise<MonthArtifact> {
    const stamp = await this.stampOf(month);
    const stored = await this.artifacts.load(month);
    if (stored?.stamp === stamp) return stored.artifact;
    if (!(await this.artifacts.lock(month, FOLD_LOCK_MS))) {
      // Another instance folds it: wait for its artifact, fold here only if it never comes.
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 100));
        if ((await this.artifacts.stamp(month)) === stamp) return (await this.artifacts.load(month))!.artifact;
      }
    }
    try {
      const started = Date.now();
      const artifact = await this.fold(month);
      await this.artifacts.save(month, stamp, artifact);
      this.logger.log(`closed ${month}: ${artifact.events} events of its span folded in ${Date.now() - started} ms`);
      return artifact;
    } finally {
      await this.artifacts.unlock(month);
    }
  }

  private async fold(month: string): Promise<MonthArtifact> {
    const ref = this.reference.index;
    const zone = this.live.zone;
    const state = emptyState();
    const archived = await this.log.archivedMonths();
    let events = 0;
    for (const day of settleSpan(month)) {
      for await (const batch of this.dayEvents(day, archived)) {
        for (const json of batch) applyEvent(state, parseStored(json), ref, zone);
        events += batch.length;
      }
    }
    return closeMonth(state, month, ref, zone, { now: Date.now(), conflicts: await this.log.conflicts(), events });
  }
}

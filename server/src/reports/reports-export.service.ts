import { Injectable } from '@nestjs/common';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { AssessmentRulesRepository } from './assessment-rules.repository.js';
import { bulletinTitle, monthTitle } from '@wall/shared';
import { bulletinTables, type Table } from './bulletin-tables.js';
import { BulletinService } from './bulletin.service.js';
import { toCsv } from './csv.js';
import { ExportCache } from './export-cache.js';
import { toXlsx } from './xlsx.js';

export interface ExportFile {
  body: Buffer;
  ascii: string;
  chinese: string;
}

/** The bulletin's downloads, cached per (month, seq) with the reference data and rules they used. */
@Injectable()
export class ReportsExportService {
  private readonly tables = new ExportCache<{ tables: Table[]; demo: boolean }>();
  private readonly files = new ExportCache<Buffer>();
  private readonly referenceIds = new WeakMap<object, number>();
  private nextReferenceId = 1;

  constructor(
    private readonly bulletin: BulletinService,
    private readonly reference: ReferenceService,
    private readonly live: LiveStateService,
    private readonly rules: AssessmentRulesRepository,
  ) {}

  private async key(month: string): Promise<string> {
    await this.live.catchUp();
    const index = this.reference.index;
    if (!this.referenceIds.has(index)) this.referenceIds.set(index, this.nextReferenceId++);
    return `${month}|${this.live.seq}|${this.referenceIds.get(index)}|${JSON.stringify(await this.rules.get())}`;
  }

  /** The month's tables, and whether they hold simulated data (the files then say so). */
  private async monthTables(month: string, key: string): Promise<{ tables: Table[]; demo: boolean }> {
    return this.tables.get(key, async () => {
      const data = await this.bulletin.all(month);
      return { tables: bulletinTables(data, this.reference.index, this.live.zone), demo: data.monthly.simulated > 0 };
    });
  }

  async xlsx(month: string): Promise<ExportFile> {
    const key = await this.key(month);
    const { tables, demo } = await this.monthTables(month, key);
    const body = await this.files.get(`xlsx|${key}`, () => toXlsx(tables, bulletinTitle(month, demo)));
    return { body, ascii: `bulletin-${month}${demo ? '-demo' : ''}.xlsx`, chinese: `${bulletinTitle(month, demo)}.xlsx` };
  }

  async csv(month: string, table: string): Promise<ExportFile> {
    const key = await this.key(month);
    const { tables, demo } = await this.monthTables(month, key);
    const found = tables.find((t) => t.key === table)!;
    const body = await this.files.get(`csv|${table}|${key}`, async () => Buffer.from(toCsv(found), 'utf8'));
    return { body, ascii: `bulletin-${month}-${table}${demo ? '-demo' : ''}.csv`, chinese: `${demo ? '演示-' : ''}${monthTitle(month)}份${found.sheet}.csv` };
  }
}

import { Injectable } from '@nestjs/common';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { AssessmentRulesRepository } from './assessment-rules.repository.js';
import { bulletinTables, monthTitle, type Table } from './bulletin-tables.js';
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
  private readonly tables = new ExportCache<Table[]>();
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

  private async monthTables(month: string, key: string): Promise<Table[]> {
    return this.tables.get(key, async () => bulletinTables(await this.bulletin.all(month), this.reference.index, this.live.zone));
  }

  async xlsx(month: string): Promise<ExportFile> {
    const key = await this.key(month);
    const body = await this.files.get(`xlsx|${key}`, async () => toXlsx(await this.monthTables(month, key)));
    return { body, ascii: `bulletin-${month}.xlsx`, chinese: `${monthTitle(month)}份全市应急联动工作情况通报.xlsx` };
  }

  async csv(month: string, table: string): Promise<ExportFile> {
    const key = await this.key(month);
    const tables = await this.monthTables(month, key);
    const found = tables.find((t) => t.key === table)!;
    const body = await this.files.get(`csv|${table}|${key}`, async () => Buffer.from(toCsv(found), 'utf8'));
    return { body, ascii: `bulletin-${month}-${table}.csv`, chinese: `${monthTitle(month)}份${found.sheet}.csv` };
  }
}

import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { bulletinTitle, monthTitle } from '@wall/shared';
import { TABLE_KEYS, bulletinTables } from './bulletin-tables.js';
import { BulletinService } from './bulletin.service.js';
import { toCsv } from './csv.js';
import { monthQuery } from './reports.controller.js';
import { toXlsx } from './xlsx.js';

const csvQuery = monthQuery.extend({ table: z.enum(TABLE_KEYS, { error: `must be one of ${TABLE_KEYS.join(', ')}` }) });

/** An ASCII name for old clients and the Chinese one (RFC 6266 filename*) for the rest. */
function attachment(ascii: string, chinese: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(chinese)}`;
}

// Downloads of the bulletin's tables: the whole month as XLSX, or one table as CSV.
@Controller('reports')
export class ReportsExportController {
  constructor(
    private readonly bulletin: BulletinService,
    private readonly reference: ReferenceService,
    private readonly live: LiveStateService,
  ) {}

  @Get('monthly.xlsx')
  async xlsx(@Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { month } = parseBody(monthQuery, query);
    const data = await this.bulletin.all(month);
    const demo = data.monthly.simulated > 0;
    const body = await toXlsx(bulletinTables(data, this.reference.index, this.live.zone), bulletinTitle(month, demo));
    res.set({
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': attachment(`bulletin-${month}${demo ? '-demo' : ''}.xlsx`, `${bulletinTitle(month, demo)}.xlsx`),
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(body);
  }

  @Get('monthly.csv')
  async csv(@Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { month, table: key } = parseBody(csvQuery, query);
    const data = await this.bulletin.all(month);
    const demo = data.monthly.simulated > 0;
    const table = bulletinTables(data, this.reference.index, this.live.zone).find((t) => t.key === key)!;
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachment(`bulletin-${month}-${key}${demo ? '-demo' : ''}.csv`, `${demo ? '演示-' : ''}${monthTitle(month)}份${table.sheet}.csv`),
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(Buffer.from(toCsv(table), 'utf8'));
  }
}

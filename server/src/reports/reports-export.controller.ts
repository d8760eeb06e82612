import { Controller, Get, Query, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import { PerUserConcurrency } from '../common/per-user-concurrency.interceptor.js';
import { TABLE_KEYS } from './bulletin-tables.js';
import { monthQuery } from './reports.controller.js';
import { ReportsExportService, type ExportFile } from './reports-export.service.js';

const csvQuery = monthQuery.extend({ table: z.enum(TABLE_KEYS, { error: `must be one of ${TABLE_KEYS.join(', ')}` }) });

/** An ASCII name for old clients and the Chinese one (RFC 6266 filename*) for the rest. */
function attachment(file: ExportFile): string {
  return `attachment; filename="${file.ascii}"; filename*=UTF-8''${encodeURIComponent(file.chinese)}`;
}

// Downloads of the bulletin's tables: the whole month as XLSX, or one table as CSV.
@Controller('reports')
@UseInterceptors(PerUserConcurrency)
export class ReportsExportController {
  constructor(private readonly exports: ReportsExportService) {}

  @Get('monthly.xlsx')
  async xlsx(@Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.exports.xlsx(parseBody(monthQuery, query).month);
    res.set({
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': attachment(file),
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(file.body);
  }

  @Get('monthly.csv')
  async csv(@Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { month, table } = parseBody(csvQuery, query);
    const file = await this.exports.csv(month, table);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachment(file),
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(file.body);
  }
}

/** For the API document (server/src/openapi). */
export { csvQuery };

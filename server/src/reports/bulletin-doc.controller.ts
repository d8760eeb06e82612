import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { DRAFT_LABEL, centerParagraphBody, cityPartsBody } from '@wall/shared';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { PerUserConcurrency } from '../common/per-user-concurrency.interceptor.js';
import { toDocx } from './bulletin-docx.js';
import { BulletinDocService, type BulletinState } from './bulletin-doc.service.js';
import { monthQuery } from './reports.controller.js';

export const docxQuery = monthQuery.extend({ draft: z.enum(['1', 'true'], { error: 'must be 1 or true' }).optional() });

// The whole 通报: its written parts, 签发, and the Word file. Reads are open to every person's
// role (a wall screen's credential is refused by the AuthGuard); who may write which part is
// decided per part in the service (a center's user its own paragraph, city staff the rest).
@Controller('reports')
export class BulletinDocController {
  constructor(private readonly docs: BulletinDocService) {}

  @Get('bulletin')
  state(@Query() query: unknown, @CurrentUser() user: Principal): Promise<BulletinState> {
    return this.docs.state(parseBody(monthQuery, query).month, user);
  }

  @Put('bulletin/centers/:center')
  @Roles('admin', 'supervisor')
  @HttpCode(204)
  async putCenter(@Param('center') center: string, @Query() query: unknown, @Body() body: unknown, @CurrentUser() user: Principal): Promise<void> {
    const { month } = parseBody(monthQuery, query);
    const { text } = parseBody(centerParagraphBody, body ?? {});
    await this.docs.putCenter(month, center, text, user);
  }

  @Put('bulletin/city')
  @Roles('admin', 'supervisor')
  @HttpCode(204)
  async putCity(@Query() query: unknown, @Body() body: unknown, @CurrentUser() user: Principal): Promise<void> {
    const { month } = parseBody(monthQuery, query);
    await this.docs.putCity(month, parseBody(cityPartsBody, body ?? {}), user);
  }

  /** 签发: the month's next version, frozen. */
  @Post('bulletin/issue')
  @Roles('admin')
  async issue(@Query() query: unknown, @CurrentUser() user: Principal): Promise<{ version: number; at: string; by: string }> {
    const { version, at, by } = await this.docs.issue(parseBody(monthQuery, query).month, user);
    return { version, at, by };
  }

  @Get('bulletin.docx')
  @UseInterceptors(PerUserConcurrency)
  async docx(@Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { month, draft } = parseBody(docxQuery, query);
    const doc = await this.docs.docFor(month, draft !== undefined);
    const body = await toDocx(doc);
    const name = `${doc.title.join('').replace(/\s/g, '')}${doc.draft ? `（${DRAFT_LABEL}）` : ''}.docx`;
    res.set({
      'Content-Type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'Content-Disposition': `attachment; filename="bulletin-${month}${doc.draft ? '-draft' : ''}.docx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'no-store',
    });
    return new StreamableFile(body);
  }
}

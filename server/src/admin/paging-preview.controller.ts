import { Controller, Get, Query } from '@nestjs/common';
import { pagingPreviewQuery, type PagingPreview } from '@wall/shared';
import { Roles } from '../auth/auth.decorators.js';
import { parseBody } from '../common/parse-body.js';
import { PagingPreviewService } from './paging-preview.service.js';

@Controller('roster/preview')
export class PagingPreviewController {
  constructor(private readonly preview: PagingPreviewService) {}

  /** Who would be paged at each rung, and when, for an alarm of `unit` at `center` raised `at` (now when unset). */
  @Roles('admin', 'supervisor')
  @Get()
  get(@Query() query: unknown): Promise<PagingPreview> {
    const { center, unit, at } = parseBody(pagingPreviewQuery, query);
    return this.preview.preview(center, unit, at);
  }
}

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { ArchiveService } from './archive.service.js';

const body = z.strictObject({ before: z.string({ error: 'is required (YYYY-MM)' }) });

/** `npm run archive -- --before 2020-01` calls this. */
@Controller('admin/archive')
@Roles('admin')
export class ArchiveController {
  constructor(private readonly archive: ArchiveService) {}

  @Post()
  @HttpCode(200)
  run(@Body() raw: unknown, @CurrentUser() user: Principal) {
    const { before } = parseBody(body, raw ?? {});
    return this.archive.archiveBefore(before, user.username);
  }
}

/** For the API document (server/src/openapi). */
export { body as archiveRequest };

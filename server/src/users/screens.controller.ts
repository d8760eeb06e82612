import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { ScreensService } from './screens.service.js';

const codeRequest = z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -') });
const enrolRequest = z.strictObject({ code: z.string().min(1).max(64) });

/** Wall screens: an admin issues a one-time code, the screen exchanges it for its `wall` token. */
@Controller('screens')
export class ScreensController {
  constructor(private readonly screens: ScreensService) {}

  @Roles('admin')
  @Post('codes')
  issue(@Body() body: unknown, @CurrentUser() admin: Principal) {
    return this.screens.issueCode(admin, parseBody(codeRequest, body).name);
  }

  @Public()
  @Post('enrol')
  @HttpCode(200)
  enrol(@Body() body: unknown) {
    return this.screens.enrol(parseBody(enrolRequest, body).code);
  }
}

/** For the API document (server/src/openapi). */
export { codeRequest, enrolRequest };

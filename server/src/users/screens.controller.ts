import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { SCREEN_CODE_REQUEST as codeRequest, SCREEN_ENROL_REQUEST as enrolRequest } from '@wall/shared';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { ScreensService } from './screens.service.js';

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

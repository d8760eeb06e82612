import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { WebhookTestService, type WebhookTestResult } from './webhook-test.service.js';

/** The path's parameters: the roster contact (a username) and the 0-based index of one of its saved webhooks. */
export const webhookTestParams = z.strictObject({ user: z.string().min(1).max(64), index: z.coerce.number().int().min(0).max(9) });

@Controller('roster/contacts')
export class WebhookTestController {
  constructor(private readonly tests: WebhookTestService) {}

  /** 测试发送: a test message to the user's saved webhook `index` (0-based); the receiver's answer back. */
  @Roles('admin')
  @Post(':user/webhooks/:index/test')
  @HttpCode(200)
  send(@Param() p: unknown, @CurrentUser() by: Principal): Promise<WebhookTestResult> {
    const { user, index } = parseBody(webhookTestParams, p);
    return this.tests.send(by, user, index);
  }
}

import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClockRepository } from '../deadlines/clock.repository.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { PagingPreviewController } from './paging-preview.controller.js';
import { PagingPreviewService } from './paging-preview.service.js';
import { WebhookTestController } from './webhook-test.controller.js';
import { WebhookTestService } from './webhook-test.service.js';

/** What the admin console (/admin) needs beyond the existing API: the paging preview and the webhooks' 测试发送. */
@Module({
  imports: [AuthModule, RosterModule, ReferenceModule, LiveModule],
  controllers: [PagingPreviewController, WebhookTestController],
  providers: [PagingPreviewService, WebhookTestService, ClockRepository],
})
export class AdminModule {}

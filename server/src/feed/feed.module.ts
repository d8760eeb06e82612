import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { EventLogRepository } from './event-log.repository.js';
import { FeedController } from './feed.controller.js';
import { FeedService } from './feed.service.js';

@Module({
  imports: [AuthModule, ReferenceModule],
  controllers: [FeedController],
  providers: [FeedService, EventLogRepository],
  exports: [EventLogRepository, FeedService],
})
export class FeedModule {}

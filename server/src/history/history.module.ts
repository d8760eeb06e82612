import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { ArchiveController } from './archive.controller.js';
import { ArchiveRepository } from './archive.repository.js';
import { ArchiveService } from './archive.service.js';
import { HistoryService } from './history.service.js';
import { MonthArtifactRepository } from './month-artifact.repository.js';
import { RetentionService } from './retention.service.js';

@Module({
  imports: [FeedModule, LiveModule, ReferenceModule],
  controllers: [ArchiveController],
  providers: [HistoryService, MonthArtifactRepository, ArchiveRepository, ArchiveService, RetentionService],
  exports: [HistoryService],
})
export class HistoryModule {}

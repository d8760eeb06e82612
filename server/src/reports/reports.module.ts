import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { HistoryModule } from '../history/history.module.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { AssessmentRulesRepository } from './assessment-rules.repository.js';
import { BulletinService } from './bulletin.service.js';
import { ReportsExportController } from './reports-export.controller.js';
import { ReportsExportService } from './reports-export.service.js';
import { ReportsController } from './reports.controller.js';

@Module({
  imports: [LiveModule, ReferenceModule, FeedModule, HistoryModule],
  controllers: [ReportsController, ReportsExportController],
  providers: [BulletinService, AssessmentRulesRepository, ReportsExportService],
})
export class ReportsModule {}

import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { HistoryModule } from '../history/history.module.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { AssessmentRulesRepository } from './assessment-rules.repository.js';
import { BulletinDocController } from './bulletin-doc.controller.js';
import { BulletinDocService } from './bulletin-doc.service.js';
import { BulletinPartsRepository } from './bulletin-parts.repository.js';
import { BulletinService } from './bulletin.service.js';
import { ReportsExportController } from './reports-export.controller.js';
import { ReportsExportService } from './reports-export.service.js';
import { ReportsController } from './reports.controller.js';

@Module({
  imports: [AuthModule, LiveModule, ReferenceModule, FeedModule, HistoryModule],
  controllers: [ReportsController, ReportsExportController, BulletinDocController],
  providers: [BulletinService, BulletinDocService, BulletinPartsRepository, AssessmentRulesRepository, ReportsExportService],
})
export class ReportsModule {}

import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClockRepository } from '../deadlines/clock.repository.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { PagingPreviewController } from './paging-preview.controller.js';
import { PagingPreviewService } from './paging-preview.service.js';

/** What the admin console (/admin) needs beyond the existing API: the paging preview. */
@Module({ imports: [AuthModule, RosterModule, ReferenceModule, LiveModule], controllers: [PagingPreviewController], providers: [PagingPreviewService, ClockRepository] })
export class AdminModule {}

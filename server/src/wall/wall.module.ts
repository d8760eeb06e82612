import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { UrgeRepository } from '../urge/urge.repository.js';
import { WallScreensController } from './wall-screens.controller.js';
import { WallScreensRepository } from './wall-screens.repository.js';
import { WallScreensService } from './wall-screens.service.js';
import { WallViewService } from './wall-view.service.js';
import { WallGateway } from './wall.gateway.js';

@Module({
  imports: [AlarmsModule, AuditModule, AuthModule, LiveModule, ReferenceModule, RosterModule],
  controllers: [WallScreensController],
  providers: [WallViewService, WallGateway, WallScreensRepository, WallScreensService, UrgeRepository],
})
export class WallModule {}

import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { RosterRepository } from '../roster/roster.repository.js';
import { WallViewService } from './wall-view.service.js';
import { WallGateway } from './wall.gateway.js';

@Module({ imports: [AlarmsModule, AuthModule, LiveModule, ReferenceModule], providers: [WallViewService, WallGateway, RosterRepository] })
export class WallModule {}

import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { LiveModule } from '../live/live.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { WallViewService } from './wall-view.service.js';
import { WallGateway } from './wall.gateway.js';

@Module({ imports: [AlarmsModule, AuthModule, LiveModule, ReferenceModule, RosterModule], providers: [WallViewService, WallGateway] })
export class WallModule {}

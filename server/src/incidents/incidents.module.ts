import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { LiveModule } from '../live/live.module.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';

@Module({ imports: [FeedModule, LiveModule], controllers: [IncidentsController], providers: [IncidentsService] })
export class IncidentsModule {}

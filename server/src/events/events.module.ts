import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { HistoryModule } from '../history/history.module.js';
import { LiveModule } from '../live/live.module.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

@Module({ imports: [FeedModule, HistoryModule, LiveModule], controllers: [EventsController], providers: [EventsService] })
export class EventsModule {}

import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { LiveModule } from '../live/live.module.js';
import { EventsController } from './events.controller.js';

@Module({ imports: [FeedModule, LiveModule], controllers: [EventsController] })
export class EventsModule {}

import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { LiveStateService } from './live-state.service.js';

@Module({ imports: [FeedModule, ReferenceModule], providers: [LiveStateService], exports: [LiveStateService] })
export class LiveModule {}

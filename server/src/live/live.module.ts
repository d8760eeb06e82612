import { Module } from '@nestjs/common';
import { FeedModule } from '../feed/feed.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { CheckpointRepository } from './checkpoint.repository.js';
import { LiveStateService } from './live-state.service.js';

@Module({ imports: [FeedModule, ReferenceModule], providers: [LiveStateService, CheckpointRepository], exports: [LiveStateService] })
export class LiveModule {}

import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module.js';
import { HealthController } from './health.controller.js';
import { HeartbeatRepository } from './heartbeat.repository.js';

@Module({ imports: [LiveModule], controllers: [HealthController], providers: [HeartbeatRepository], exports: [HeartbeatRepository] })
export class HealthModule {}

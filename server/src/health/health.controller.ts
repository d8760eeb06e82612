import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { Public } from '../auth/auth.decorators.js';
import { LiveStateService } from '../live/live-state.service.js';
import { infoField, observeReadiness, observeRedisMaxMemory, observeRedisUsedMemory } from '../metrics/metrics.js';
import { REDIS } from '../redis/redis.tokens.js';
import { HEARTBEAT_STALE_MS, HeartbeatRepository } from './heartbeat.repository.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly live: LiveStateService,
    private readonly heartbeats: HeartbeatRepository,
  ) {
    observeReadiness(async () => ((await this.readyState()).ok ? 1 : 0));
    observeRedisUsedMemory(async () => infoField(await this.redis.info('memory'), 'used_memory'));
    observeRedisMaxMemory(async () => infoField(await this.redis.info('memory'), 'maxmemory'));
  }

  /** 200 once Redis is connected and the projection is rebuilt; 503 (with the reason) otherwise. */
  @Public()
  @Get()
  health(@Res() res: Response): void {
    const redis = this.redis.status === 'ready' ? 'up' : 'down';
    const ok = redis === 'up' && this.live.ready;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', redis, ready: this.live.ready, seq: this.live.seq });
  }

  /** Liveness: the process answers. Restarting it would not fix Redis being away, so that is not asked here. */
  @Public()
  @Get('live')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: Redis answers, the projection is rebuilt, and some deadline worker beat within
   * the last 15 s (without one, nobody would be paged for a missed limit).
   */
  @Public()
  @Get('ready')
  async readiness(@Res() res: Response): Promise<void> {
    const { ok, redis, worker, beatAgo } = await this.readyState();
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'unavailable',
      redis,
      projection: this.live.ready ? 'ready' : 'rebuilding',
      seq: this.live.seq,
      worker,
      workerBeatSecondsAgo: beatAgo === undefined ? null : Math.round(beatAgo / 100) / 10,
      // The runtime an operator must keep on a supported LTS line (.node-version).
      node: process.version,
    });
  }

  /** What readiness answers, also the wall_ready gauge's value. */
  private async readyState(): Promise<{ ok: boolean; redis: 'up' | 'down'; worker: 'up' | 'down'; beatAgo: number | undefined }> {
    const redis: 'up' | 'down' =
      this.redis.status === 'ready'
        ? await this.redis.ping().then(
            () => 'up' as const,
            () => 'down' as const,
          )
        : 'down';
    const beatAgo = redis === 'up' ? await this.heartbeats.freshest().catch(() => undefined) : undefined;
    const worker = beatAgo !== undefined && beatAgo < HEARTBEAT_STALE_MS ? 'up' : 'down';
    return { ok: redis === 'up' && this.live.ready && worker === 'up', redis, worker, beatAgo };
  }
}

import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { Public } from '../auth/auth.decorators.js';
import { LiveStateService } from '../live/live-state.service.js';
import { REDIS } from '../redis/redis.tokens.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly live: LiveStateService,
  ) {}

  /** 200 once Redis is connected and the projection is rebuilt; 503 (with the reason) otherwise. */
  @Public()
  @Get()
  health(@Res() res: Response): void {
    const redis = this.redis.status === 'ready' ? 'up' : 'down';
    const ok = redis === 'up' && this.live.ready;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', redis, ready: this.live.ready, seq: this.live.seq });
  }
}

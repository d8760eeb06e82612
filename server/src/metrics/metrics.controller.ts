import { Controller, Get, Inject, NotFoundException, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { registry } from './metrics.js';

export function bearerMatches(header: string | undefined, expected: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** GET /metrics (outside /api, where scrapers look): Prometheus text, for METRICS_TOKEN only; absent when it is unset. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get()
  async metrics(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = this.config.METRICS_TOKEN;
    if (!token) throw new NotFoundException('metrics are off: set METRICS_TOKEN');
    if (!bearerMatches(req.headers.authorization, token)) throw new UnauthorizedException('Authorization: Bearer <METRICS_TOKEN> required');
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  }
}

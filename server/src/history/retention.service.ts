import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { retentionStart } from '@wall/shared';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LiveStateService } from '../live/live-state.service.js';
import { REDIS, keys } from '../redis/redis.tokens.js';
import { ArchiveService } from './archive.service.js';

const EVERY_MS = 3600_000;
/** The first round soon after a start, so instances restarted more often than hourly still archive. */
const FIRST_ROUND_MS = 5000;

/**
 * HISTORY_RETENTION_MONTHS: months older than that are archived by themselves, soon after a
 * start and then once an hour, by whichever instance takes the round (a Redis lock held for
 * most of the hour), never a live month.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly archive: ArchiveService,
    private readonly live: LiveStateService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.HISTORY_RETENTION_MONTHS === 0) return;
    const run = () => void this.round().catch((e: Error) => this.logger.warn(`retention round failed: ${e.message}`));
    this.first = setTimeout(run, FIRST_ROUND_MS).unref();
    this.timer = setInterval(run, EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.first);
    clearInterval(this.timer);
  }

  async round(now = Date.now()): Promise<void> {
    if ((await this.redis.set(keys.retentionLock, String(process.pid), 'PX', EVERY_MS - 60_000, 'NX')) !== 'OK') return;
    const result = await this.archive.archiveBefore(retentionStart(now, this.live.zone, this.config.HISTORY_RETENTION_MONTHS), 'system');
    if (result.archived.length) this.logger.log(`archived ${result.archived.map((m) => m.month).join(', ')} (retention ${this.config.HISTORY_RETENTION_MONTHS} months)`);
  }
}

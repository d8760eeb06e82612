import { Inject, Injectable, Logger, ServiceUnavailableException, type OnApplicationShutdown } from '@nestjs/common';
import { Zone, applyEvent, emptyState, evictClosed, foldEvictionTime, parseStored, type ProjectionState, type Touched } from '@wall/shared';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { EventLogRepository, migrateLegacyLog, type LoggedEvent } from '../feed/event-log.repository.js';
import type { RedisTarget } from '../redis/connection.js';
import { REDIS_TARGET, createRedis } from '../redis/core.module.js';
import { REDIS } from '../redis/redis.tokens.js';
import { ReferenceService } from '../reference/reference.service.js';
import { projectionRebuild, tailLag } from '../metrics/metrics.js';
import { CheckpointRepository } from './checkpoint.repository.js';

const READ_CHUNK = 5000;
const EVICT_EVERY = 2000;
const BLOCK_MS = 2000;

export type AppliedListener = (touched: Touched[], seq: number) => void;

/**
 * This instance's copy of the projection: rebuilt from the event log at startup, then kept
 * current by tailing the log. Every instance does the same, so all walls converge on the log.
 */
@Injectable()
export class LiveStateService implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveState');
  readonly zone: Zone;
  state: ProjectionState = emptyState();
  seq = 0;
  ready = false;
  private lastId = '0';
  private stopped = false;
  private reader?: Redis;
  private tailing?: Promise<void>;
  private readonly listeners = new Set<AppliedListener>();
  private readonly seqWaiters: Array<{ seq: number; resolve: () => void }> = [];
  private checkpointKey?: string;
  /** Dispatch arrival times of open orders (older ones are pruned), for telling backfill from live. */
  private received = new Map<string, number>();
  private savedSeq = 0;
  private saving?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_TARGET) private readonly target: RedisTarget,
    private readonly log: EventLogRepository,
    private readonly reference: ReferenceService,
    private readonly checkpoints: CheckpointRepository,
  ) {
    this.zone = new Zone(config.TZ_REPORTS);
  }

  onApplied(listener: AppliedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Restores the latest usable checkpoint and folds the recent log after it; without one (a
   * first start, another projection version, a checkpoint older than the recent log keeps), folds
   * every day partition in order, evicting as it goes, so what it holds is the same window a
   * running instance holds. Then follows the recent log. Resolves once caught up.
   */
  async start(): Promise<void> {
    const started = Date.now();
    await migrateLegacyLog(
      this.redis,
      (json) => this.partitionOf(json),
      this.config.TAIL_KEEP,
      (m) => this.logger.log(m),
    );
    this.checkpointKey = CheckpointRepository.keyOf(JSON.stringify(this.reference.index.data), this.zone.tz);
    const checkpoint = this.config.CHECKPOINT_EVERY > 0 ? await this.checkpoints.load(this.checkpointKey).catch(() => undefined) : undefined;
    const bounds = await this.log.tailBounds();
    let how: string;
    // Usable while the recent log still holds everything after it.
    if (checkpoint && (bounds.firstSeq === 0 ? checkpoint.seq === bounds.seq : checkpoint.seq + 1 >= bounds.firstSeq)) {
      this.state = checkpoint.state;
      this.received = checkpoint.received;
      this.seq = checkpoint.seq;
      this.lastId = checkpoint.lastId;
      this.savedSeq = checkpoint.seq;
      how = `checkpoint at seq ${checkpoint.seq} + ${bounds.seq - checkpoint.seq} events`;
    } else {
      // Everything stored up to `bounds` is in the partitions; what comes during the fold is
      // also in the recent log after `bounds.last`, folded next (folding an event twice changes nothing).
      let folded = 0;
      for (const day of await this.log.days()) {
        for await (const batch of this.log.dayEvents(day, READ_CHUNK)) {
          this.apply(batch, false, false);
          folded += batch.length;
        }
        if (this.state.incidents.size > this.evictAbove) this.evict(foldEvictionTime(day, Date.now(), this.zone));
      }
      this.seq = bounds.seq;
      this.lastId = bounds.last;
      how = `${folded} events of the day partitions`;
    }
    // The next chunk is read while this one is folded, so the rebuild costs about the larger
    // of reading and folding, not their sum.
    let next = this.log.readAfter(this.lastId, READ_CHUNK);
    for (;;) {
      const batch = await next;
      if (batch.length === 0) break;
      next = this.log.readAfter(batch[batch.length - 1]!.streamId, READ_CHUNK);
      this.apply(batch, false);
    }
    this.touchedLately.clear();
    this.evict();
    this.ready = true;
    projectionRebuild.set((Date.now() - started) / 1000);
    this.logger.log(`rebuilt ${this.seq} events (from ${how}) in ${Date.now() - started} ms; holding ${this.state.incidents.size} incidents`);
    void this.maybeCheckpoint();
    // The window moves with the clock (a new month), not only with events.
    this.evictTimer = setInterval(() => this.evict(), 60_000).unref();
    this.reader = createRedis(this.target, 'wall-tail');
    this.reader.on('error', () => undefined);
    await new Promise<void>((resolve) => this.reader!.once('ready', resolve));
    this.tailing = this.tail();
  }

  private evictTimer?: NodeJS.Timeout;
  /** Evict again once the state holds this many incidents more than after the last eviction. */
  private evictAbove = 0;

  /** Incidents touched since the last eviction: spared once, as their next events may be on the way (a backfill in batches). */
  private touchedLately = new Set<string>();

  /** Drops incidents the window no longer needs (see shared/history.ts). */
  private evict(now = Date.now()): void {
    evictClosed(this.state, now, this.zone, this.touchedLately);
    this.touchedLately = new Set();
    this.evictAbove = this.state.incidents.size + EVICT_EVERY;
    for (const order of this.received.keys()) if (!this.state.open.has(order)) this.received.delete(order);
  }

  /** The partition of a stored event (for the migration of an unpartitioned log). */
  private partitionOf(json: string): { id: string; day: string; month: string; report?: { incident: string; t: number } } {
    const e = parseStored(json);
    return { id: e.id, day: this.zone.dayKey(e.t), month: this.zone.monthKey(e.t), report: e.type === 'incident.reported' ? { incident: e.incident, t: e.t } : undefined };
  }

  /** When the order's dispatch reached the log (Redis time, ms), while the order is open. */
  receivedAt(order: string): number | undefined {
    return this.received.get(order);
  }

  /** Resolves when this instance has applied the log up to `seq`. */
  whenApplied(seq: number): Promise<void> {
    if (this.seq >= seq) return Promise.resolve();
    return new Promise((resolve) => this.seqWaiters.push({ seq, resolve }));
  }

  /**
   * Read-your-writes: waits until this instance has applied everything the log holds now,
   * so a report asked for right after a feed answer includes that batch.
   */
  async catchUp(timeoutMs = 5000): Promise<void> {
    const target = await this.log.seq();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.whenApplied(target),
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new ServiceUnavailableException('live state is behind the event log')), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /**
   * catchUp for a burst of callers that may share one look at the log (deadline jobs falling
   * due together): the second and later join the one already in flight.
   */
  catchUpShared(): Promise<void> {
    this.sharedCatchUp ??= this.catchUp().finally(() => (this.sharedCatchUp = undefined));
    return this.sharedCatchUp;
  }
  private sharedCatchUp?: Promise<void>;

  private async tail(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const batch = await this.log.waitAfter(this.reader!, this.lastId, BLOCK_MS, READ_CHUNK);
        failures = 0;
        if (batch.length) this.apply(batch, true);
      } catch (e) {
        if (this.stopped) break;
        if (failures++ === 0) this.logger.warn(`event log unreachable: ${e instanceof Error ? e.message : String(e)}`);
        await new Promise((r) => setTimeout(r, Math.min(200 * failures, 2000)));
      }
    }
  }

  private apply(batch: LoggedEvent[], notify: boolean, position = true): void {
    const ref = this.reference.index;
    const touched: Touched[] = [];
    for (const entry of batch) {
      const event = parseStored(entry.json);
      const changed = applyEvent(this.state, event, ref, this.zone);
      touched.push(changed);
      if (position) for (const id of changed.incidents) this.touchedLately.add(id);
      if (event.type === 'order.dispatched' && !this.received.has(event.order)) {
        // The stream id is Redis's clock when the event was stored: when we learnt of the order.
        this.received.set(event.order, Number(entry.streamId.slice(0, entry.streamId.indexOf('-'))));
      }
      if (position) {
        this.seq = entry.seq;
        this.lastId = entry.streamId;
      }
    }
    if (position && this.state.incidents.size > this.evictAbove) this.evict();
    if (notify && batch.length) {
      // The stream id is Redis's clock at XADD; on another machine this includes the clock offset.
      const last = batch[batch.length - 1]!.streamId;
      tailLag.set(Math.max(0, Date.now() - Number(last.slice(0, last.indexOf('-')))) / 1000);
    }
    if (notify) {
      for (const listener of this.listeners) listener(touched, this.seq);
      void this.maybeCheckpoint();
    }
    for (let i = this.seqWaiters.length - 1; i >= 0; i--) {
      const waiter = this.seqWaiters[i]!;
      if (waiter.seq <= this.seq) {
        this.seqWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /**
   * Saves a checkpoint once enough events were applied since the last one: serialising a
   * month of state blocks for about 100 ms, so not on every batch.
   */
  private maybeCheckpoint(force = false): Promise<void> | undefined {
    const every = this.config.CHECKPOINT_EVERY;
    if (every <= 0 || this.saving || !this.checkpointKey) return undefined;
    if (this.seq - this.savedSeq < (force ? 1 : every)) return undefined;
    const checkpoint = { state: this.state, received: this.received, seq: this.seq, lastId: this.lastId };
    this.saving = this.checkpoints
      .save(this.checkpointKey, checkpoint)
      .then(() => {
        this.savedSeq = checkpoint.seq;
      })
      .catch((e: Error) => this.logger.warn(`checkpoint not saved: ${e.message}`))
      .finally(() => (this.saving = undefined));
    return this.saving;
  }

  async onApplicationShutdown(): Promise<void> {
    await (this.saving ?? this.maybeCheckpoint(true));
    this.stopped = true;
    clearInterval(this.evictTimer);
    this.reader?.disconnect();
    await this.tailing;
  }
}

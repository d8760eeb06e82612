import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_ROSTER, buildWallSections, changedSections, type Roster, type WallDelta, type WallHeartbeat, type WallSnapshot } from '@wall/shared';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { REDIS } from '../redis/redis.tokens.js';
import { AlarmsService } from '../alarms/alarms.service.js';
import { LiveStateService } from '../live/live-state.service.js';
import { RosterRepository } from '../roster/roster.repository.js';
import { ReferenceService } from '../reference/reference.service.js';
import { UrgeRepository } from '../urge/urge.repository.js';

/** Time passing changes the wall without any event (overdue timers, midnight): look once a second. */
const CLOCK_TICK_MS = 1000;

export interface WallSink {
  delta(delta: WallDelta): void;
  heartbeat(beat: WallHeartbeat): void;
}

/** 督办 reach the wall's overdue list within this. */
const SUPERVISED_REFRESH_MS = 3000;
/** Overdue items older than this are not looked up for a 督办 (the list is of open orders; the long-open are rare). */
const SUPERVISED_WINDOW_MS = 2 * 86_400_000;

/** Deltas are volatile; this beat lets a quiet wall notice one it missed. */
const HEARTBEAT_MS = 5000;

/**
 * Keeps the wall's sections current and decides when to push. Changes are coalesced: the
 * first after a quiet spell goes out at once, later ones at most every `WALL_THROTTLE_MS`.
 * Each push names the revision it follows, so a client that missed one asks for a snapshot.
 */
@Injectable()
export class WallViewService implements OnModuleInit, OnApplicationShutdown {
  private current?: WallSnapshot;
  private lastPush = 0;
  private pending?: NodeJS.Timeout;
  private clock?: NodeJS.Timeout;
  private sink?: WallSink;
  private beat?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  /** Read every minute: the duty badge may lag an admin's roster edit by that much. */
  private roster: Roster = DEFAULT_ROSTER;
  private rosterTimer?: NodeJS.Timeout;
  private storeDownSince: number | null = null;
  /** `order:limit` of the 督办 of the last two days, read every few seconds: the overdue list marks them. */
  private supervisedKeys = new Set<string>();
  private urgeTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly live: LiveStateService,
    private readonly reference: ReferenceService,
    private readonly alarms: AlarmsService,
    private readonly rosters: RosterRepository,
    private readonly urges: UrgeRepository,
  ) {}

  onModuleInit(): void {
    const offApplied = this.live.onApplied(() => this.schedule());
    const offAlarms = this.alarms.onChangeEvent(() => this.schedule());
    this.unsubscribe = () => {
      offApplied();
      offAlarms();
    };
    this.clock = setInterval(() => {
      // Walls must tell their viewers when the numbers stop being fed, not just freeze.
      const up = this.redis.status === 'ready';
      if (up) this.storeDownSince = null;
      else this.storeDownSince ??= Date.now();
      this.schedule();
    }, CLOCK_TICK_MS);
    this.clock.unref();
    const loadRoster = () =>
      this.rosters.get().then(
        (r) => (this.roster = r),
        () => undefined,
      );
    void loadRoster();
    this.rosterTimer = setInterval(() => void loadRoster(), 60_000);
    this.rosterTimer.unref();
    const loadSupervised = async () => {
      const now = Date.now();
      const records = await this.urges.between(now - SUPERVISED_WINDOW_MS, now + SUPERVISED_WINDOW_MS);
      const keys = new Set(records.filter((u) => u.kind === 'supervise').map((u) => `${u.order}:${u.limit}`));
      if (keys.size !== this.supervisedKeys.size || [...keys].some((k) => !this.supervisedKeys.has(k))) {
        this.supervisedKeys = keys;
        this.schedule();
      }
    };
    void loadSupervised().catch(() => undefined);
    this.urgeTimer = setInterval(() => void loadSupervised().catch(() => undefined), SUPERVISED_REFRESH_MS);
    this.urgeTimer.unref();
  }

  setSink(sink: WallSink): void {
    this.sink = sink;
    clearInterval(this.beat);
    this.beat = setInterval(() => {
      const { seq, rev } = this.latest();
      sink.heartbeat({ seq, rev, at: Date.now() });
    }, HEARTBEAT_MS);
    this.beat.unref();
  }

  private latest(): WallSnapshot {
    return (this.current ??= this.compute(0, Date.now()));
  }

  /**
   * The state last pushed to every wall, so a new wall starts exactly where the others are;
   * stamped with the time it is sent, which walls take as the server's clock.
   */
  snapshot(): WallSnapshot {
    return { ...this.latest(), at: Date.now() };
  }

  private compute(rev: number, now: number): WallSnapshot {
    const sections = buildWallSections(this.live.state, now, this.reference.index, this.live.zone, {
      acks: (order, limit) => this.alarms.acknowledgedBy(order, limit),
      unreached: (order, limit) => this.alarms.unreached(order, limit),
      supervised: (order, limit) => this.supervisedKeys.has(`${order}:${limit}`),
      roster: this.roster,
      storeDownSince: this.storeDownSince,
    });
    return { seq: this.live.seq, rev, at: now, sections };
  }

  private schedule(): void {
    if (this.pending || !this.live.ready) return;
    const wait = Math.max(0, this.lastPush + this.config.WALL_THROTTLE_MS - Date.now());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.push();
    }, wait);
  }

  private push(now = Date.now()): void {
    const before = this.latest();
    const next = this.compute(before.rev + 1, now);
    const changed = changedSections(before.sections, next.sections);
    if (!Object.keys(changed).length && next.seq === before.seq) return;
    this.lastPush = now;
    this.current = next;
    this.sink?.delta({ seq: next.seq, rev: next.rev, prevRev: before.rev, at: now, sections: changed });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    clearInterval(this.clock);
    clearInterval(this.rosterTimer);
    clearInterval(this.urgeTimer);
    clearInterval(this.beat);
    clearTimeout(this.pending);
  }
}

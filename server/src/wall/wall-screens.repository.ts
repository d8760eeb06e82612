import { Inject, Injectable } from '@nestjs/common';
import type { WallScreen } from '@wall/shared';
import type { Redis } from 'ioredis';
import { AuditRepository, type AuditEntry } from '../audit/audit.repository.js';
import { KEY_PREFIX, REDIS } from '../redis/redis.tokens.js';

const SCREEN_PREFIX = `${KEY_PREFIX}screens:`;
const PLAYLIST_KEY = `${KEY_PREFIX}playlist`;

// Removes a screen only if the socket leaving is the one that registered it last: the screen
// may already have reconnected (to this or another instance) under a new socket.
const REMOVE_IF_OWNER = `if redis.call('HGET', KEYS[1], 'socket') == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The wall screens alive: one Redis hash per screen with a TTL, refreshed by each report, so a
 * screen that vanishes without a goodbye (power cut, crashed PC) drops out by itself and every
 * server instance lists the same screens.
 */
@Injectable()
export class WallScreensRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly audit: AuditRepository,
  ) {}

  async touch(screen: WallScreen, socket: string, ttlSeconds: number): Promise<void> {
    const key = SCREEN_PREFIX + screen.id;
    await this.redis
      .multi()
      .hset(key, { socket, json: JSON.stringify(screen) })
      .expire(key, ttlSeconds)
      .exec();
  }

  async remove(id: string, socket: string): Promise<void> {
    await this.redis.eval(REMOVE_IF_OWNER, 1, SCREEN_PREFIX + id, socket);
  }

  async list(): Promise<WallScreen[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${SCREEN_PREFIX}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (!keys.length) return [];
    const pipeline = this.redis.pipeline();
    for (const k of keys) pipeline.hget(k, 'json');
    const out: WallScreen[] = [];
    for (const [err, json] of (await pipeline.exec()) ?? []) {
      // A key that expired between SCAN and HGET is simply gone.
      if (!err && typeof json === 'string') out.push(JSON.parse(json) as WallScreen);
    }
    return out;
  }

  async getPlaylist(): Promise<string | null> {
    return this.redis.get(PLAYLIST_KEY);
  }

  /** Stores the playlist and its audit entry (before and after) in one step. */
  async putPlaylist(json: string, entry: AuditEntry): Promise<void> {
    await this.audit.auditedSet(PLAYLIST_KEY, json, entry);
  }
}

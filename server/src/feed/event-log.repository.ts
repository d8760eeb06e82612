import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { REDIS, keys } from '../redis/redis.tokens.js';
import { defineScript, type ScriptArg } from '../redis/script.js';
import type { ConflictRecord } from '@wall/shared';

// The event log is a Redis Stream: the only copy of what was fed in. Every server instance
// folds it into its own projection, so no instance holds anything the others cannot rebuild.

export interface AppendResult {
  accepted: number;
  duplicates: number;
  seq: number;
  /** Positions (in the appended list) of duplicates whose content differs from the stored event. */
  conflicts: number[];
}

/** Who wrote a store's events: a real feed or the built-in simulator. A store holds one kind only. */
export type StoreMode = 'real' | 'demo';

export class StoreModeError extends Error {
  constructor(readonly mode: StoreMode) {
    super(`store holds ${mode} data`);
  }
}

export interface LoggedEvent {
  streamId: string;
  seq: number;
  json: string;
}

// One script per batch: Redis runs it atomically, so a batch is stored whole or not at all,
// and a re-sent id (HSETNX fails) is counted as a duplicate and stored once. The id's value is
// a fingerprint of the event's content, so a duplicate that differs from the stored event
// (same id, other at or fields: a sender bug) is told apart and reported; the stored one
// stands. ('1' is what stores written before fingerprints hold: no conflict can be told there.)
// The store's mode (KEYS[4]) is set by its first batch: a batch of the other kind is refused
// whole, so simulated and real events never share a store.
const APPEND = `
if ARGV[1] ~= 'server' then
  local mode = redis.call('GET', KEYS[4])
  if mode and mode ~= ARGV[1] then return {-1, mode} end
  if not mode then redis.call('SET', KEYS[4], ARGV[1]) end
end
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local accepted, duplicates = 0, 0
local conflicts = {}
local n = 0
for i = 2, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    seq = seq + 1
    redis.call('XADD', KEYS[2], '*', 's', seq, 'e', ARGV[i + 2])
    accepted = accepted + 1
  else
    duplicates = duplicates + 1
    local stored = redis.call('HGET', KEYS[1], ARGV[i])
    if stored ~= ARGV[i + 1] and stored ~= '1' then conflicts[#conflicts + 1] = n end
  end
  n = n + 1
end
if accepted > 0 then redis.call('SET', KEYS[3], seq) end
return {accepted, duplicates, seq, conflicts}
`;

function toLogged(entries: Array<[string, string[]]>): LoggedEvent[] {
  return entries.map(([streamId, fields]) => {
    let seq = 0;
    let json = '';
    for (let i = 0; i < fields.length; i += 2) {
      if (fields[i] === 's') seq = Number(fields[i + 1]);
      else if (fields[i] === 'e') json = fields[i + 1]!;
    }
    return { streamId, seq, json };
  });
}

/** The batch is on the primary but not yet on enough replicas: answered 503, to be sent again. */
export class ReplicasBehind extends Error {
  override readonly name = 'ReplicasBehind';
}

@Injectable()
export class EventLogRepository {
  private readonly appendScript: (...args: ScriptArg[]) => Promise<[number, number | string, number, number[]]>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.appendScript = defineScript(redis, 'wallAppend2', 4, APPEND);
  }

  /**
   * Appends a batch of one kind (`mode`); throws StoreModeError when the store holds the other
   * kind. 'server' is the server's own marks, which belong to whatever the store holds.
   */
  async append(events: Array<{ id: string; fingerprint: string; json: string }>, mode: StoreMode | 'server' = 'real'): Promise<AppendResult> {
    const args: string[] = [mode];
    for (const e of events) args.push(e.id, e.fingerprint, e.json);
    const [accepted, duplicates, seq, conflicts] = await this.appendScript(keys.eventIds, keys.events, keys.seq, keys.storeMode, ...args);
    if (accepted === -1) throw new StoreModeError(duplicates as StoreMode);
    const replicas = this.config.FEED_WAIT_REPLICAS;
    if (replicas > 0) {
      // Asynchronous replication would let a failover drop a batch the primary had already
      // acknowledged. WAIT holds the answer until that many replicas have it; short of that the
      // sender is told 503 and sends again (a re-sent id is a duplicate, stored once).
      const acked = (await this.redis.call('WAIT', replicas, this.config.FEED_WAIT_TIMEOUT_MS)) as number;
      if (acked < replicas) throw new ReplicasBehind(`stored on ${acked} of ${replicas} replica(s) in ${this.config.FEED_WAIT_TIMEOUT_MS} ms`);
    }
    return { accepted, duplicates: duplicates as number, seq, conflicts: conflicts ?? [] };
  }

  /** What the store holds: set by its first batch, null while it is empty. */
  async mode(): Promise<StoreMode | null> {
    return ((await this.redis.get(keys.storeMode)) as StoreMode | null) ?? null;
  }

  /** Keeps what a conflicting duplicate looked like, for the bulletin's data-quality section. */
  async recordConflicts(records: ConflictRecord[]): Promise<void> {
    if (!records.length) return;
    const pipeline = this.redis.pipeline();
    for (const r of records) {
      pipeline.hset(keys.conflicts, r.id, JSON.stringify(r));
      pipeline.hincrby(keys.conflictCounts, r.id, 1);
    }
    await pipeline.exec();
  }

  /** Every conflicting duplicate received, the latest per id, with how often it came. */
  async conflicts(): Promise<Array<ConflictRecord & { count: number }>> {
    const [records, counts] = await Promise.all([this.redis.hgetall(keys.conflicts), this.redis.hgetall(keys.conflictCounts)]);
    return Object.entries(records).map(([id, json]) => ({ ...(JSON.parse(json) as ConflictRecord), count: Number(counts[id] ?? 1) }));
  }

  async seq(): Promise<number> {
    return Number((await this.redis.get(keys.seq)) ?? 0);
  }

  /** Entries after `afterId` ('0' for the start), at most `count`. */
  async readAfter(afterId: string, count: number): Promise<LoggedEvent[]> {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    const entries = (await this.redis.xrange(keys.events, start, '+', 'COUNT', count)) as Array<[string, string[]]>;
    return toLogged(entries);
  }

  /** Blocks on `conn` (a connection of its own) until entries after `afterId` exist or `blockMs` passes. */
  async waitAfter(conn: Redis, afterId: string, blockMs: number, count: number): Promise<LoggedEvent[]> {
    const reply = (await conn.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', keys.events, afterId)) as Array<[string, Array<[string, string[]]>]> | null;
    return reply?.[0] ? toLogged(reply[0][1]) : [];
  }
}

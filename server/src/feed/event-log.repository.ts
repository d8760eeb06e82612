import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { REDIS, keys } from '../redis/redis.tokens.js';
import { defineScript, type ScriptArg } from '../redis/script.js';

// The event log is a Redis Stream: the only copy of what was fed in. Every server instance
// folds it into its own projection, so no instance holds anything the others cannot rebuild.

export interface AppendResult {
  accepted: number;
  duplicates: number;
  seq: number;
}

export interface LoggedEvent {
  streamId: string;
  seq: number;
  json: string;
}

// One script per batch: Redis runs it atomically, so a batch is stored whole or not at all,
// and a re-sent id (HSETNX fails) is counted as a duplicate and stored once.
const APPEND = `
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local accepted, duplicates = 0, 0
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], '1') == 1 then
    seq = seq + 1
    redis.call('XADD', KEYS[2], '*', 's', seq, 'e', ARGV[i + 1])
    accepted = accepted + 1
  else
    duplicates = duplicates + 1
  end
end
if accepted > 0 then redis.call('SET', KEYS[3], seq) end
return {accepted, duplicates, seq}
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
  private readonly appendScript: (...args: ScriptArg[]) => Promise<[number, number, number]>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.appendScript = defineScript(redis, 'wallAppend', 3, APPEND);
  }

  async append(events: Array<{ id: string; json: string }>): Promise<AppendResult> {
    const args: string[] = [];
    for (const e of events) args.push(e.id, e.json);
    const [accepted, duplicates, seq] = await this.appendScript(keys.eventIds, keys.events, keys.seq, ...args);
    const replicas = this.config.FEED_WAIT_REPLICAS;
    if (replicas > 0) {
      // Asynchronous replication would let a failover drop a batch the primary had already
      // acknowledged. WAIT holds the answer until that many replicas have it; short of that the
      // sender is told 503 and sends again (a re-sent id is a duplicate, stored once).
      const acked = (await this.redis.call('WAIT', replicas, this.config.FEED_WAIT_TIMEOUT_MS)) as number;
      if (acked < replicas) throw new ReplicasBehind(`stored on ${acked} of ${replicas} replica(s) in ${this.config.FEED_WAIT_TIMEOUT_MS} ms`);
    }
    return { accepted, duplicates, seq };
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
    const reply = (await conn.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', keys.events, afterId)) as
      | Array<[string, Array<[string, string[]]>]>
      | null;
    return reply?.[0] ? toLogged(reply[0][1]) : [];
  }
}

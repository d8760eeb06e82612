import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AUDIT_LUA } from '../audit/audit.lua.js';
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

// The same append with an audit entry in the same step (ARGV 1-5: audit_write's arguments,
// then the id/json pairs): the server's own events (drill marks) are never unaudited.
const APPEND_AUDITED = `${AUDIT_LUA}
audit_write(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]))
${APPEND.replace('for i = 1, #ARGV, 2 do', 'for i = 6, #ARGV, 2 do')}`;

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

@Injectable()
export class EventLogRepository {
  private readonly appendScript: (...args: ScriptArg[]) => Promise<[number, number, number]>;
  private readonly appendAuditedScript: (...args: ScriptArg[]) => Promise<[number, number, number]>;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    this.appendScript = defineScript(redis, 'wallAppend', 3, APPEND);
    this.appendAuditedScript = defineScript(redis, 'wallAppendAudited', 3, APPEND_AUDITED);
  }

  /** `audit`: audit_write's arguments (AuditRepository.scriptArgs), written in the same step. */
  async append(events: Array<{ id: string; json: string }>, audit?: ScriptArg[]): Promise<AppendResult> {
    const args: ScriptArg[] = [];
    for (const e of events) args.push(e.id, e.json);
    const [accepted, duplicates, seq] = audit
      ? await this.appendAuditedScript(keys.eventIds, keys.events, keys.seq, ...audit, ...args)
      : await this.appendScript(keys.eventIds, keys.events, keys.seq, ...args);
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

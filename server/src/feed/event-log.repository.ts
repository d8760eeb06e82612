import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AUDIT_LUA } from '../audit/audit.lua.js';
import { KEY_PREFIX, REDIS, keys } from '../redis/redis.tokens.js';
import { defineScript, type ScriptArg } from '../redis/script.js';
import { addMonths, type ConflictRecord } from '@wall/shared';

// The event log is a Redis Stream: the only copy of what was fed in. Every server instance
// folds it into its own projection, so no instance holds anything the others cannot rebuild.

export interface AppendResult {
  accepted: number;
  duplicates: number;
  seq: number;
  /** Positions (in the appended list) of duplicates whose content differs from the stored event. */
  conflicts: number[];
  /** Positions of events refused because their month is archived. */
  archived: number[];
}

/** The neighbouring months whose id hashes an event's dedupe also reads ('' for none): within two days of an edge. */
export function neighboursToCheck(day: string): [string, string] {
  const month = day.slice(0, 7);
  const d = Number(day.slice(8, 10));
  const last = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).getUTCDate();
  return [d <= 2 ? addMonths(month, -1) : '', d >= last - 1 ? addMonths(month, 1) : ''];
}

export interface EventToAppend {
  id: string;
  fingerprint: string;
  json: string;
  /** The partition: the event's day and month in the report zone. */
  day: string;
  month: string;
  /** For an incident report: its incident and `at` (ms), indexed for later marks. */
  report?: { incident: string; t: number };
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

// One script per batch: Redis runs it atomically, so a batch is stored whole or not at all.
// Each event goes to its day's stream (the partition reads by time use) and to the recent log
// that instances tail (trimmed: older events live in their partitions only). Its id goes into
// its month's id hash, whose value is a fingerprint of the content: a re-sent id (found in its
// month or either neighbour, where a corrected `at` lands) is a duplicate stored once, and one
// whose content differs (a sender bug) is told apart and reported; the stored one stands.
// The neighbour is looked at only for an event within two days of its month's edge, where a
// time-zone slip of the sender moves an `at` across it; further in, another month's event with
// the same id is that month's.
// ('1' is what stores written before fingerprints hold: no conflict can be told there.)
// An event for an archived month is refused: its events are in the archive and cannot change.
// The store's mode (KEYS[3]) is set by its first batch: a batch of the other kind is refused
// whole, so simulated and real events never share a store.
// ARGV[4..8]: audit_write's five arguments ('' when none): a server event (a drill mark) and its
// audit entry are stored in the same step.
// ARGV: month, the audit entry's five arguments, then the day partitions' keys (a month's
// days are known only when it is archived).
const FREE_ARCHIVED = `${AUDIT_LUA}
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
for i = 7, #ARGV do redis.call('DEL', ARGV[i]) end
audit_write(ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
return 1`;

const APPEND = `${AUDIT_LUA}
if ARGV[1] ~= 'server' then
  local mode = redis.call('GET', KEYS[3])
  if mode and mode ~= ARGV[1] then return {-1, mode} end
  if not mode then redis.call('SET', KEYS[3], ARGV[1]) end
end
local keep = tonumber(ARGV[2])
local prefix = ARGV[3]
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local accepted, duplicates = 0, 0
local conflicts, archived = {}, {}
local n = 0
-- Per day of the batch, once: its partition's name, and its month's facts (archived, the id
-- hashes' names). The neighbours to check are a function of the day (neighboursToCheck), so a
-- day stands for them too; nothing is built per event but what it writes.
local dayInfo, monthInfo = {}, {}
local function infoOf(day, month, prev, next)
  local info = dayInfo[day]
  if not info then
    local m = monthInfo[month]
    if not m then
      m = { archived = redis.call('SISMEMBER', KEYS[6], month) == 1, ids = prefix .. 'ids:' .. month, incidents = prefix .. 'incidents:' .. month, writes = 0 }
      monthInfo[month] = m
    end
    info = { month = m, log = prefix .. 'log:' .. day, prev = prev ~= '' and prefix .. 'ids:' .. prev, next = next ~= '' and prefix .. 'ids:' .. next, written = false }
    dayInfo[day] = info
  end
  return info
end
for i = 9, #ARGV, 9 do
  local id, fp, json, day = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local info = infoOf(day, ARGV[i + 4], ARGV[i + 5], ARGV[i + 6])
  local m = info.month
  if m.archived then
    archived[#archived + 1] = n
  else
    local stored = (info.prev and redis.call('HGET', info.prev, id)) or (info.next and redis.call('HGET', info.next, id))
    if not stored and redis.call('HSETNX', m.ids, id, fp) == 1 then
      seq = seq + 1
      redis.call('XADD', info.log, '*', 's', seq, 'e', json)
      -- The recent log is trimmed once per batch, below, not on every entry.
      redis.call('XADD', KEYS[2], '*', 's', seq, 'e', json)
      info.written = true
      m.writes = m.writes + 1
      if ARGV[i + 7] ~= '' then
        local cur = redis.call('HGET', m.incidents, ARGV[i + 8])
        if not cur or tonumber(cur) > tonumber(ARGV[i + 7]) then redis.call('HSET', m.incidents, ARGV[i + 8], ARGV[i + 7]) end
      end
      accepted = accepted + 1
    else
      duplicates = duplicates + 1
      stored = stored or redis.call('HGET', m.ids, id)
      if stored ~= fp and stored ~= '1' then conflicts[#conflicts + 1] = n end
    end
  end
  n = n + 1
end
if accepted > 0 then redis.call('XTRIM', KEYS[2], 'MAXLEN', '~', keep) end
if accepted > 0 then redis.call('SET', KEYS[1], seq) end
for day, info in pairs(dayInfo) do
  if info.written then redis.call('ZADD', KEYS[5], 'NX', tonumber((string.gsub(day, '-', ''))), day) end
end
for month, m in pairs(monthInfo) do
  if m.writes > 0 then redis.call('HINCRBY', KEYS[4], month, m.writes) end
end
if accepted > 0 and ARGV[4] ~= '' then audit_write(ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])) end
return {accepted, duplicates, seq, conflicts, archived}
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
  private readonly appendScript: (...args: ScriptArg[]) => Promise<[number, number | string, number, number[], number[]]>;
  private readonly freeArchivedScript: (...args: ScriptArg[]) => Promise<number>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.appendScript = defineScript(redis, 'wallAppend7', 6, APPEND);
    this.freeArchivedScript = defineScript(redis, 'wallFreeArchived', 3, FREE_ARCHIVED);
  }

  /**
   * Appends a batch of one kind (`mode`); throws StoreModeError when the store holds the other
   * kind. 'server' is the server's own marks, which belong to whatever the store holds;
   * `audit` (audit_write's arguments) is written with them when anything was stored.
   */
  async append(events: EventToAppend[], mode: StoreMode | 'server' = 'real', audit?: ScriptArg[]): Promise<AppendResult> {
    const args: ScriptArg[] = [mode, this.config.TAIL_KEEP, KEY_PREFIX, ...(audit ?? ['', '', '', 0, 0])];
    // A batch holds a few days: their neighbours once each (a Date per event was 3.5 µs of it).
    const neighbours = new Map<string, [string, string]>();
    for (const e of events) {
      let around = neighbours.get(e.day);
      if (!around) neighbours.set(e.day, (around = neighboursToCheck(e.day)));
      const [prev, next] = around;
      args.push(e.id, e.fingerprint, e.json, e.day, e.month, prev, next, e.report ? e.report.t : '', e.report ? e.report.incident : '');
    }
    const [accepted, duplicates, seq, conflicts, archived] = await this.appendScript(keys.seq, keys.events, keys.storeMode, keys.monthWrites, keys.days, keys.archived, ...args);
    if (accepted === -1) throw new StoreModeError(duplicates as StoreMode);
    const replicas = this.config.FEED_WAIT_REPLICAS;
    if (replicas > 0) {
      // Asynchronous replication would let a failover drop a batch the primary had already
      // acknowledged. WAIT holds the answer until that many replicas have it; short of that the
      // sender is told 503 and sends again (a re-sent id is a duplicate, stored once).
      const acked = (await this.redis.call('WAIT', replicas, this.config.FEED_WAIT_TIMEOUT_MS)) as number;
      if (acked < replicas) throw new ReplicasBehind(`stored on ${acked} of ${replicas} replica(s) in ${this.config.FEED_WAIT_TIMEOUT_MS} ms`);
    }
    return { accepted, duplicates: duplicates as number, seq, conflicts: conflicts ?? [], archived: archived ?? [] };
  }

  /** What the store holds: set by its first batch, null while it is empty. */
  async mode(): Promise<StoreMode | null> {
    return ((await this.redis.get(keys.storeMode)) as StoreMode | null) ?? null;
  }

  /** Keeps what a conflicting duplicate looked like, for the bulletin's data-quality section (its month's artifact goes stale). */
  async recordConflicts(records: Array<ConflictRecord & { month: string }>): Promise<void> {
    if (!records.length) return;
    const pipeline = this.redis.pipeline();
    for (const { month, ...r } of records) {
      pipeline.hset(keys.conflicts, r.id, JSON.stringify(r));
      pipeline.hincrby(keys.conflictCounts, r.id, 1);
      pipeline.hincrby(keys.monthWrites, month, 1);
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

  /** Recent-log entries after `afterId` ('0' for its start), at most `count`. */
  async readAfter(afterId: string, count: number): Promise<LoggedEvent[]> {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    const entries = (await this.redis.xrange(keys.events, start, '+', 'COUNT', count)) as Array<[string, string[]]>;
    return toLogged(entries);
  }

  /** The recent log's first seq (0 while empty) and last id ('0'), and the store's seq: a position before the first was trimmed away. */
  async tailBounds(): Promise<{ firstSeq: number; last: string; seq: number }> {
    const [[, first], [, last], [, seq]] = (await this.redis
      .multi()
      .xrange(keys.events, '-', '+', 'COUNT', 1)
      .xrevrange(keys.events, '+', '-', 'COUNT', 1)
      .get(keys.seq)
      .exec()) as [[null, Array<[string, string[]]>], [null, Array<[string, string[]]>], [null, string | null]];
    return { firstSeq: first[0] ? toLogged(first)[0]!.seq : 0, last: last[0]?.[0] ?? '0', seq: Number(seq ?? 0) };
  }

  /** Blocks on `conn` (a connection of its own) until entries after `afterId` exist or `blockMs` passes. */
  async waitAfter(conn: Redis, afterId: string, blockMs: number, count: number): Promise<LoggedEvent[]> {
    const reply = (await conn.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', keys.events, afterId)) as Array<[string, Array<[string, string[]]>]> | null;
    return reply?.[0] ? toLogged(reply[0][1]) : [];
  }

  /** One day's partition after `afterId`, at most `count`. */
  async readDay(day: string, afterId: string, count: number): Promise<LoggedEvent[]> {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    return toLogged((await this.redis.xrange(keys.dayLog(day), start, '+', 'COUNT', count)) as Array<[string, string[]]>);
  }

  /** Every event of a day's partition, read in chunks. */
  async *dayEvents(day: string, chunk = 5000): AsyncGenerator<LoggedEvent[]> {
    let after = '0';
    for (;;) {
      const batch = await this.readDay(day, after, chunk);
      if (!batch.length) return;
      yield batch;
      after = batch[batch.length - 1]!.streamId;
    }
  }

  /** Day keys holding events, from `from` to `to` (both included, either open). */
  async days(from = '0000-00-00', to = '9999-99-99'): Promise<string[]> {
    const num = (d: string) => Number(d.replaceAll('-', ''));
    return this.redis.zrangebyscore(keys.days, num(from), num(to));
  }

  /** Events stored into each month so far (moves on every write: what artifacts are stamped with). */
  async monthWrites(months: readonly string[]): Promise<number[]> {
    if (!months.length) return [];
    return (await this.redis.hmget(keys.monthWrites, ...months)).map((v) => Number(v ?? 0));
  }

  async archivedMonths(): Promise<Set<string>> {
    return new Set(await this.redis.smembers(keys.archived));
  }

  /** Where a mark of this incident goes: its report's `at`, looked up in the months given (newest first). */
  async reportTime(incident: string, months: readonly string[]): Promise<number | undefined> {
    if (!months.length) return undefined;
    const pipeline = this.redis.pipeline();
    for (const m of months) pipeline.hget(keys.monthIncidents(m), incident);
    const found = ((await pipeline.exec()) ?? []).map(([, v]) => v as string | null).find((v) => v !== null);
    return found ? Number(found) : undefined;
  }

  /** Months holding events, from the days index. */
  async months(): Promise<string[]> {
    return [...new Set((await this.days()).map((d) => d.slice(0, 7)))];
  }

  /** Marks `month` archived (the feed refuses its events from now on), then frees its partitions. */
  /**
   * Marks a month archived and frees its partitions, id hash and incident index, with its
   * audit entry (`audit_write`'s arguments, see AuditRepository.scriptArgs), in one step.
   */
  async freeArchived(month: string, days: readonly string[], audit: readonly [string, string, string, number, number]): Promise<void> {
    await this.freeArchivedScript(keys.archived, keys.monthIds(month), keys.monthIncidents(month), month, ...audit, ...days.map((d) => keys.dayLog(d)));
  }
}

/** What the migration needs to know of a stored event: its partition. */
export type Partitioner = (json: string) => { id: string; day: string; month: string; report?: { incident: string; t: number } };

/**
 * Moves a log written before partitions (every event in `wall:events`, every id in
 * `wall:event-ids`) into day partitions and month id hashes, once, whichever instance starts
 * first; the others wait for it. Each entry keeps its stream id in its partition, so a run cut
 * short and started again adds nothing twice (Redis refuses an id at or below a stream's last).
 */
export async function migrateLegacyLog(redis: Redis, partition: Partitioner, tailKeep: number, log: (message: string) => void): Promise<void> {
  for (;;) {
    if ((await redis.get(keys.logFormat)) === '2') return;
    if ((await redis.xlen(keys.events)) === 0) {
      await redis.set(keys.logFormat, '2');
      return;
    }
    if (await redis.set(keys.logMigrationLock, String(process.pid), 'PX', 600_000, 'NX')) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const started = Date.now();
  let after = '-';
  let moved = 0;
  for (;;) {
    const entries = (await redis.xrange(keys.events, after, '+', 'COUNT', 5000)) as Array<[string, string[]]>;
    if (!entries.length) break;
    const logged = toLogged(entries);
    const parts = logged.map((e) => partition(e.json));
    const fingerprints = await redis.hmget(keys.eventIds, ...parts.map((p) => p.id));
    const pipeline = redis.pipeline();
    logged.forEach((e, i) => {
      const p = parts[i]!;
      pipeline.xadd(keys.dayLog(p.day), e.streamId, 's', e.seq, 'e', e.json);
      pipeline.hsetnx(keys.monthIds(p.month), p.id, fingerprints[i] ?? '1');
      pipeline.zadd(keys.days, 'NX', Number(p.day.replaceAll('-', '')), p.day);
      pipeline.hincrby(keys.monthWrites, p.month, 1);
      if (p.report) pipeline.hsetnx(keys.monthIncidents(p.month), p.report.incident, p.report.t);
    });
    await pipeline.exec();
    moved += entries.length;
    after = `(${entries[entries.length - 1]![0]}`;
  }
  await redis.multi().del(keys.eventIds).xtrim(keys.events, 'MAXLEN', '~', tailKeep).set(keys.logFormat, '2').del(keys.logMigrationLock).exec();
  log(`partitioned ${moved} events of the log by day in ${Date.now() - started} ms`);
}

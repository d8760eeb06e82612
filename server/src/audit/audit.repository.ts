import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { requestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { REDIS } from '../redis/redis.tokens.js';
import { defineScript, type ScriptArg } from '../redis/script.js';
import { DAY_MS, type AuditEntry } from './audit-entry.js';
import { AUDIT_LUA, auditKeys } from './audit.lua.js';

export type { AuditEntry } from './audit-entry.js';

const RECORD = `${AUDIT_LUA}
return audit_write(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]))`;

// Replaces a value and writes its audit entry (with the value before and after) in one step.
// The entry's JSON comes in two halves so the old value is spliced in as it was stored.
const AUDITED_SET = `${AUDIT_LUA}
local old = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1])
local entry = ARGV[2] .. (old or 'null') .. ARGV[3]
audit_write(entry, ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]))
return old`;

export interface AuditQuery {
  limit: number;
  action?: string;
  who?: string;
}

/** Who did what and when: logins, acknowledgements, escalations, roster, reference, rules and user edits. */
@Injectable()
export class AuditRepository {
  readonly retentionMs: number;
  private readonly recordScript: (...args: ScriptArg[]) => Promise<string>;
  private readonly auditedSetScript: (...args: ScriptArg[]) => Promise<string | null>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.retentionMs = config.AUDIT_RETENTION_DAYS * DAY_MS;
    this.recordScript = defineScript(redis, 'wallAuditRecord', 0, RECORD);
    this.auditedSetScript = defineScript(redis, 'wallAuditedSet', 1, AUDITED_SET);
  }

  /** An entry for the current caller (its address from the request being served, if any). */
  entry(who: string, action: string, detail: Record<string, unknown> = {}, ip?: string | null): AuditEntry {
    return { at: new Date().toISOString(), who, action, ip: ip !== undefined ? ip : (requestContext()?.ip ?? null), detail };
  }

  /**
   * The arguments of `audit_write` (see AUDIT_LUA) for a script of another repository that
   * writes its entry itself: entryJson, action, who, atMs, retentionMs.
   */
  scriptArgs(entry: AuditEntry, json = JSON.stringify(entry)): [string, string, string, number, number] {
    return [json, entry.action, entry.who, Date.parse(entry.at), this.retentionMs];
  }

  /** Only for actions that change nothing else in Redis (or whose change another module owns). */
  async record(who: string, action: string, detail: Record<string, unknown> = {}, ip?: string | null): Promise<void> {
    await this.recordScript(...this.scriptArgs(this.entry(who, action, detail, ip)));
  }

  /** SETs `key` to `value` and records `entry` with detail.before (as stored) and detail.after, atomically. */
  async auditedSet(key: string, value: string, entry: AuditEntry): Promise<void> {
    const { detail, ...rest } = entry;
    const head = JSON.stringify(rest).slice(0, -1) + ',"detail":{"before":';
    const tail = `,"after":${value}${Object.keys(detail).length ? ',' + JSON.stringify(detail).slice(1, -1) : ''}}}`;
    const [, action, who, at, retention] = this.scriptArgs(entry, '');
    await this.auditedSetScript(key, value, head, tail, action, who, at, retention);
  }

  /** Newest first, within the retention period; a filter is answered from its index. */
  async latest({ limit, action, who }: AuditQuery): Promise<AuditEntry[]> {
    const cutoff = Date.now() - this.retentionMs;
    let rows: Array<[string, string[]]>;
    if (action === undefined && who === undefined) {
      rows = (await this.redis.xrevrange(auditKeys.stream, '+', '-', 'COUNT', limit)) as Array<[string, string[]]>;
    } else {
      const index = action !== undefined && who !== undefined ? auditKeys.byBoth(action, who) : action !== undefined ? auditKeys.byAction(action) : auditKeys.byWho(who!);
      const ids = await this.redis.zrevrangebyscore(index, '+inf', cutoff, 'LIMIT', 0, limit);
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.xrange(auditKeys.stream, id, id);
      const answers = ((await pipeline.exec()) ?? []) as Array<[Error | null, Array<[string, string[]]>]>;
      rows = answers.flatMap(([err, found]) => (err ? [] : found));
    }
    const entries = rows.map(([id, fields]) => ({ id, entry: JSON.parse(fields[1]!) as AuditEntry })).filter(({ entry }) => Date.parse(entry.at) >= cutoff);
    const aggregated = entries.filter(({ entry }) => entry.count !== undefined);
    if (aggregated.length) {
      const counts = await this.redis.mget(aggregated.map(({ id }) => auditKeys.count(id)));
      aggregated.forEach(({ entry }, i) => (entry.count = Math.max(entry.count ?? 1, Number(counts[i] ?? 0))));
    }
    return entries.map(({ entry }) => entry);
  }
}

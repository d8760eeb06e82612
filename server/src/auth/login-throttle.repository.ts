import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AUDIT_LUA } from '../audit/audit.lua.js';
import type { AuditEntry } from '../audit/audit-entry.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { REDIS, keys } from '../redis/redis.tokens.js';
import { defineScript, type ScriptArg } from '../redis/script.js';

/**
 * How hard each counter throttles: `free` attempts pass at once, then each one more must wait
 * twice as long as the one before (5 s, 10 s, 20 s ... up to MAX_DELAY_MS). A growing delay,
 * never a block: nobody can lock an account out for long by guessing at it.
 */
export interface ThrottleRule {
  key: string;
  free: number;
}

export const BASE_DELAY_MS = 5000;
export const MAX_DELAY_MS = 15 * 60 * 1000;
/** A counter is forgotten this long after its last attempt. */
export const THROTTLE_TTL_MS = 60 * 60 * 1000;
/** Refused logins of one user from one address within this window are one audit entry. */
export const REFUSED_WINDOW_MS = 15 * 60 * 1000;

// Refused logins as one audit entry per user and address per window, with a count: a storm of
// guesses cannot fill the log. Unknown usernames share one entry per address ('(unknown)').
const REFUSED_LUA = `${AUDIT_LUA}
local function audit_refused(name, ip, entry_known, entry_unknown, at_ms, retention_ms, window_ms)
  local who = name
  local entry = entry_known
  if redis.call('HEXISTS', '${keys.users}', name) == 0 then
    who = '(unknown)'
    entry = entry_unknown
  end
  local k = AUDIT_PREFIX .. ':refused:' .. who .. '|' .. ip
  local id = redis.call('GET', k)
  if id and redis.call('INCR', AUDIT_PREFIX .. ':count:' .. id) > 1 then return end
  id = audit_write(entry, 'login.refused', who, at_ms, retention_ms)
  redis.call('SET', k, id, 'PX', window_ms)
  redis.call('SET', AUDIT_PREFIX .. ':count:' .. id, 1, 'PX', retention_ms)
end
`;

// The attempt is counted before the password is checked, atomically for every counter: of
// many guesses sent at once, only the free ones pass. ARGV: now, name, ip, the two refused
// entries, retention, window, base delay, max delay, ttl, then each key's free count.
const ATTEMPT = `${REFUSED_LUA}
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local nxt = tonumber(redis.call('HGET', key, 'next') or '0')
  if nxt > now then wait = math.max(wait, nxt - now) end
end
if wait > 0 then
  audit_refused(ARGV[2], ARGV[3], ARGV[4], ARGV[5], now, tonumber(ARGV[6]), tonumber(ARGV[7]))
  return wait
end
local base, max, ttl = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
for i, key in ipairs(KEYS) do
  local free = tonumber(ARGV[10 + i])
  local n = redis.call('HINCRBY', key, 'n', 1)
  local delay = 0
  if n >= free then delay = math.floor(math.min(base * 2 ^ (n - free), max)) end
  redis.call('HSET', key, 'next', now + delay)
  redis.call('PEXPIRE', key, math.max(ttl, delay))
end
return 0
`;

const REFUSED = `${REFUSED_LUA}
audit_refused(ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]))
return 0`;

// A success clears the account's own counters; the address's counter only forgets this one
// attempt, so one good login from a NAT address does not wipe out another account's guesses.
const SUCCEEDED = `${AUDIT_LUA}
local ip_key = KEYS[#KEYS]
for i = 1, #KEYS - 1 do redis.call('DEL', KEYS[i]) end
if redis.call('HINCRBY', ip_key, 'n', -1) <= 0 then redis.call('DEL', ip_key) end
audit_write(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]))
return 0`;

@Injectable()
export class LoginThrottleRepository {
  private readonly attemptScript: (...args: ScriptArg[]) => Promise<number>;
  private readonly refusedScript: (...args: ScriptArg[]) => Promise<number>;
  private readonly succeededScript: (...args: ScriptArg[]) => Promise<number>;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly audit: AuditRepository,
  ) {
    this.attemptScript = defineScript(redis, 'wallLoginAttempt', 3, ATTEMPT);
    this.refusedScript = defineScript(redis, 'wallLoginRefused', 0, REFUSED);
    this.succeededScript = defineScript(redis, 'wallLoginSucceeded', 3, SUCCEEDED);
  }

  /** The counters of a login: this account from this address, this account, this address (last). */
  rules(username: string, ip: string, limits: { perAccountAddress: number; perAccount: number; perAddress: number }): ThrottleRule[] {
    return [
      { key: keys.loginThrottle(`ua:${username}|${ip}`), free: limits.perAccountAddress },
      { key: keys.loginThrottle(`u:${username}`), free: limits.perAccount },
      { key: keys.loginThrottle(`ip:${ip}`), free: limits.perAddress },
    ];
  }

  /** Counts the attempt; 0 when it may go ahead, else the ms to wait (and the refusal is audited). */
  attempt(rules: ThrottleRule[], username: string, ip: string, reason: string): Promise<number> {
    const now = Date.now();
    return this.attemptScript(
      ...rules.map((r) => r.key),
      now,
      username,
      ip,
      ...this.refusedEntries(username, ip, reason, now),
      this.audit.retentionMs,
      REFUSED_WINDOW_MS,
      BASE_DELAY_MS,
      MAX_DELAY_MS,
      THROTTLE_TTL_MS,
      ...rules.map((r) => r.free),
    );
  }

  async refused(username: string, ip: string, reason: string): Promise<void> {
    const now = Date.now();
    await this.refusedScript(username, ip, ...this.refusedEntries(username, ip, reason, now), now, this.audit.retentionMs, REFUSED_WINDOW_MS);
  }

  async succeeded(rules: ThrottleRule[], entry: AuditEntry): Promise<void> {
    await this.succeededScript(...rules.map((r) => r.key), ...this.audit.scriptArgs(entry));
  }

  private refusedEntries(username: string, ip: string, reason: string, now: number): [string, string] {
    const at = new Date(now).toISOString();
    const known: AuditEntry = { at, who: username, action: 'login.refused', ip, detail: { reason, windowMinutes: REFUSED_WINDOW_MS / 60_000 }, count: 1 };
    const unknown: AuditEntry = { ...known, who: '(unknown)', detail: { ...known.detail, firstUsername: username } };
    return [JSON.stringify(known), JSON.stringify(unknown)];
  }
}

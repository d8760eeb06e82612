import { KEY_PREFIX } from '../redis/redis.tokens.js';

/**
 * The audit write as a Lua function, so that a script that changes something writes its
 * audit entry in the same atomic step (see users.repository.ts, audited-set.ts). Entries live
 * in one stream; `?action=` and `?who=` are answered from sorted sets of stream ids scored by
 * time, so an old entry is found without reading the newer ones. Retention is by age: the
 * stream is trimmed by MINID, an index by score, and an index nobody wrote to for the whole
 * retention period expires. Keys are derived from the prefix here (single-node Redis, as the
 * rest of the product).
 *
 * audit_write(entryJson, action, who, atMs, retentionMs) -> stream id
 */
export const AUDIT_LUA = `
local AUDIT_PREFIX = '${KEY_PREFIX}audit'
local function audit_write(entry, action, who, at_ms, retention_ms)
  local cutoff = at_ms - retention_ms
  local id = redis.call('XADD', AUDIT_PREFIX, 'MINID', '~', tostring(math.max(cutoff, 0)), '*', 'e', entry)
  local idx = { AUDIT_PREFIX .. ':action:' .. action, AUDIT_PREFIX .. ':who:' .. who, AUDIT_PREFIX .. ':aw:' .. action .. '|' .. who }
  for _, key in ipairs(idx) do
    redis.call('ZADD', key, at_ms, id)
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. cutoff)
    redis.call('PEXPIRE', key, retention_ms)
  end
  return id
end
`;

export const auditKeys = {
  stream: `${KEY_PREFIX}audit`,
  byAction: (action: string) => `${KEY_PREFIX}audit:action:${action}`,
  byWho: (who: string) => `${KEY_PREFIX}audit:who:${who}`,
  byBoth: (action: string, who: string) => `${KEY_PREFIX}audit:aw:${action}|${who}`,
  count: (id: string) => `${KEY_PREFIX}audit:count:${id}`,
  refused: (who: string, ip: string) => `${KEY_PREFIX}audit:refused:${who}|${ip}`,
} as const;

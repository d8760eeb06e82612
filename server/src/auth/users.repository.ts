import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AUDIT_LUA } from '../audit/audit.lua.js';
import type { AuditEntry } from '../audit/audit-entry.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { REDIS, keys } from '../redis/redis.tokens.js';
import { defineScript, type ScriptArg } from '../redis/script.js';
import type { StoredUser } from './auth.types.js';

// Every change of a user is a compare-and-set on its stored JSON, with its audit entry, in one
// script: a change is never half-applied or unaudited, and two admins editing at once cannot
// overwrite each other unnoticed (the loser re-reads and tries again). Token versions live in
// a hash of their own that survives a delete, so a name created again starts above every
// token ever issued under it.
const USER_WRITE = `${AUDIT_LUA}
local users, versions = KEYS[1], KEYS[2]
local name, expected, mode = ARGV[1], ARGV[2], ARGV[3]
local current = redis.call('HGET', users, name)
if expected == '' then
  if current then return {'exists', 0} end
else
  if not current then return {'missing', 0} end
  if current ~= expected then return {'conflict', 0} end
end
local cur = tonumber(ARGV[7])
local known = tonumber(redis.call('HGET', versions, name) or '0')
local v = cur
if ARGV[6] == '1' then
  v = math.max(known, cur) + 1
  redis.call('HSET', versions, name, v)
elseif known < cur then
  redis.call('HSET', versions, name, cur)
end
if mode == 'delete' then
  redis.call('HDEL', users, name)
else
  redis.call('HSET', users, name, ARGV[4] .. v .. ARGV[5])
end
if ARGV[8] ~= '' then audit_write(ARGV[8], ARGV[9], ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[12])) end
return {'ok', v}
`;

const REVOKE_TOKEN = `${AUDIT_LUA}
redis.call('SET', KEYS[1], '1', 'PXAT', ARGV[1])
audit_write(ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
return 1`;

export type WriteOutcome = 'ok' | 'exists' | 'missing' | 'conflict';

@Injectable()
export class UsersRepository {
  private readonly writeScript: (...args: ScriptArg[]) => Promise<[WriteOutcome, number]>;
  private readonly revokeScript: (...args: ScriptArg[]) => Promise<number>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly audit: AuditRepository,
  ) {
    this.writeScript = defineScript(redis, 'wallUserWrite', 2, USER_WRITE);
    this.revokeScript = defineScript(redis, 'wallRevokeToken', 1, REVOKE_TOKEN);
  }

  async get(username: string): Promise<StoredUser | undefined> {
    return (await this.getRaw(username))?.user;
  }

  /** The user and its JSON as stored (the token of a compare-and-set). */
  async getRaw(username: string): Promise<{ user: StoredUser; json: string } | undefined> {
    const json = await this.redis.hget(keys.users, username);
    return json ? { user: JSON.parse(json) as StoredUser, json } : undefined;
  }

  /** The user and whether the token `jti` was logged out, in one round trip. */
  async getWithToken(username: string, jti: string): Promise<{ user: StoredUser | undefined; revoked: boolean }> {
    const [[, json], [, revoked]] = (await this.redis.multi().hget(keys.users, username).exists(keys.revokedToken(jti)).exec()) as [[null, string | null], [null, number]];
    return { user: json ? (JSON.parse(json) as StoredUser) : undefined, revoked: revoked === 1 };
  }

  /** Which of these tokens were logged out. */
  async revokedTokens(jtis: string[]): Promise<Set<string>> {
    if (!jtis.length) return new Set();
    const pipeline = this.redis.pipeline();
    for (const jti of jtis) pipeline.exists(keys.revokedToken(jti));
    const answers = ((await pipeline.exec()) ?? []) as Array<[Error | null, number]>;
    return new Set(jtis.filter((_, i) => answers[i]?.[1] === 1));
  }

  /** Marks one token logged out until it would have expired anyway, with its audit entry. */
  async revokeToken(jti: string, expiresAt: number, entry: AuditEntry): Promise<void> {
    await this.revokeScript(keys.revokedToken(jti), Math.max(expiresAt, Date.now() + 1000), ...this.audit.scriptArgs(entry));
  }

  async many(usernames: string[]): Promise<Map<string, StoredUser>> {
    const out = new Map<string, StoredUser>();
    if (!usernames.length) return out;
    const found = await this.redis.hmget(keys.users, ...usernames);
    found.forEach((json, i) => json && out.set(usernames[i]!, JSON.parse(json) as StoredUser));
    return out;
  }

  async list(): Promise<StoredUser[]> {
    const all = await this.redis.hvals(keys.users);
    return all.map((json) => JSON.parse(json) as StoredUser);
  }

  /**
   * Writes `next` (or deletes the user when null) if the stored JSON is still `expected`
   * ('' = the name must be free), with `entry` in the audit log (null: a change nobody needs to see, such as a rehash). `bump` raises the token
   * version above any ever issued for the name. Answers the outcome and the version stored.
   */
  async write(
    name: string,
    expected: string,
    next: StoredUser | null,
    bump: boolean,
    entry: AuditEntry | null,
    currentVersion: number,
  ): Promise<{ outcome: WriteOutcome; version: number }> {
    let head = '';
    let tail = '';
    if (next) {
      const { tokenVersion: _v, ...rest } = next;
      head = JSON.stringify(rest).slice(0, -1) + ',"tokenVersion":';
      tail = '}';
    }
    const [outcome, version] = await this.writeScript(
      keys.users,
      keys.tokenVersions,
      name,
      expected,
      next ? 'put' : 'delete',
      head,
      tail,
      bump ? '1' : '0',
      currentVersion,
      ...(entry ? this.audit.scriptArgs(entry) : ['', '', '', 0, 0]),
    );
    return { outcome, version };
  }

  /** Creates the user only when there is no user at all (first start); true if created. */
  async createFirst(user: StoredUser): Promise<boolean> {
    const created = await this.redis.eval(
      "if redis.call('HLEN', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end return 0",
      1,
      keys.users,
      user.username,
      JSON.stringify(user),
    );
    return created === 1;
  }

  /** Takes a value kept by an older version (it is deleted): undefined if none. */
  async takeLegacySecret(key: string): Promise<string | undefined> {
    return (await this.redis.getdel(key)) ?? undefined;
  }

  /** A secret shared by every instance: the first one to start generates it. */
  async sharedSecret(key: string, generate: () => string): Promise<string> {
    await this.redis.set(key, generate(), 'NX');
    return (await this.redis.get(key))!;
  }
}

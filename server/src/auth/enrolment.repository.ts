import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { AUDIT_LUA } from '../audit/audit.lua.js';
import type { AuditEntry } from '../audit/audit-entry.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { REDIS, keys } from '../redis/redis.tokens.js';
import { defineScript, type ScriptArg } from '../redis/script.js';

/** The one-time codes that enrol wall screens: kept only as hashes, each taken at most once. */
const ISSUE = `${AUDIT_LUA}
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
audit_write(ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]))
return 1`;

@Injectable()
export class EnrolmentRepository {
  private readonly issueScript: (...args: ScriptArg[]) => Promise<number>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly audit: AuditRepository,
  ) {
    this.issueScript = defineScript(redis, 'wallEnrolIssue', 1, ISSUE);
  }

  async issue(code: string, screen: string, ttlMs: number, entry: AuditEntry): Promise<void> {
    await this.issueScript(keys.enrolCode(hashCode(code)), screen, ttlMs, ...this.audit.scriptArgs(entry));
  }

  /** The screen name the code was issued for, and the code is gone; undefined if unknown, used or expired. */
  async take(code: string): Promise<string | undefined> {
    return (await this.redis.getdel(keys.enrolCode(hashCode(code)))) ?? undefined;
  }
}

function hashCode(code: string): string {
  return createHash('sha256')
    .update(code.toUpperCase().replace(/[^A-Z0-9]/g, ''))
    .digest('hex');
}

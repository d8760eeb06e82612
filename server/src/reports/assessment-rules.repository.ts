import { Inject, Injectable, Logger } from '@nestjs/common';
import { DEFAULT_ASSESSMENT_RULES, assessmentRules, type AssessmentRules } from '@wall/shared';
import type { Redis } from 'ioredis';
import type { AuditEntry } from '../audit/audit-entry.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { KEY_PREFIX, REDIS } from '../redis/redis.tokens.js';

export const ASSESSMENT_RULES_KEY = `${KEY_PREFIX}assessment-rules`;

/**
 * The assessment rules, kept in Redis so every instance scores alike. Read on each use
 * (one GET) rather than cached, so a change by an admin shows on every instance at once.
 */
@Injectable()
export class AssessmentRulesRepository {
  private readonly logger = new Logger('AssessmentRules');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly audit: AuditRepository,
  ) {}

  async get(): Promise<AssessmentRules> {
    const stored = await this.redis.get(ASSESSMENT_RULES_KEY);
    if (!stored) return DEFAULT_ASSESSMENT_RULES;
    // Stored rules were validated when written; re-checking guards against a hand edit in
    // Redis or a field a newer version dropped: the defaults stand in rather than a 500.
    const parsed = assessmentRules.safeParse(JSON.parse(stored));
    if (parsed.success) return parsed.data;
    this.logger.warn(`stored assessment rules are invalid, using the defaults: ${parsed.error.message}`);
    return DEFAULT_ASSESSMENT_RULES;
  }

  /** Stores the rules and their audit entry (before and after) in one step. */
  async put(rules: AssessmentRules, entry: AuditEntry): Promise<void> {
    await this.audit.auditedSet(ASSESSMENT_RULES_KEY, JSON.stringify(rules), entry);
  }
}

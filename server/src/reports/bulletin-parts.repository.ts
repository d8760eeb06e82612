import { Inject, Injectable } from '@nestjs/common';
import type { BulletinDoc, BulletinFigures, BulletinParts } from '@wall/shared';
import type { Redis } from 'ioredis';
import type { AuditEntry } from '../audit/audit-entry.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { KEY_PREFIX, REDIS } from '../redis/redis.tokens.js';

// The 通报's written parts and its issued versions, per month in Redis. Each center's
// paragraph is a key of its own, so two centers saving at once never overwrite each other;
// the city office's four fields share one. Every write goes through auditedSet: the audit
// entry holds the value before and after, written in the same step as the value.

/** A stored part: its text, which save it is (1, 2, …) and who made it. */
export interface StoredPart<T> {
  value: T;
  rev: number;
  at: string;
  by: string;
}

export interface CityParts {
  requirements?: string;
  cc?: string;
  issueDate?: string;
  docNumber?: string;
}

/** An issued 通报: the text and the figures as they were when it was signed. */
export interface IssuedVersion {
  month: string;
  version: number;
  at: string;
  by: string;
  parts: BulletinParts;
  doc: BulletinDoc;
  figures: BulletinFigures;
}

const key = (month: string, part: string) => `${KEY_PREFIX}bulletin:${month}:${part}`;
/** 文号 numbers used per year: month -> N, to propose the next and refuse a second use. */
const docNumbersKey = (year: number) => `${KEY_PREFIX}bulletin:doc-numbers:${year}`;

@Injectable()
export class BulletinPartsRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly audit: AuditRepository,
  ) {}

  private async read<T>(k: string): Promise<T | undefined> {
    const raw = await this.redis.get(k);
    return raw ? (JSON.parse(raw) as T) : undefined;
  }

  async centers(month: string, ids: readonly string[]): Promise<Map<string, StoredPart<string>>> {
    const raws = ids.length ? await this.redis.mget(ids.map((id) => key(month, `center:${id}`))) : [];
    const out = new Map<string, StoredPart<string>>();
    raws.forEach((raw, i) => raw && out.set(ids[i]!, JSON.parse(raw) as StoredPart<string>));
    return out;
  }

  city(month: string): Promise<StoredPart<CityParts> | undefined> {
    return this.read(key(month, 'city'));
  }

  async putCenter(month: string, center: string, text: string, entry: AuditEntry): Promise<StoredPart<string>> {
    const k = key(month, `center:${center}`);
    const old = await this.read<StoredPart<string>>(k);
    const part: StoredPart<string> = { value: text, rev: (old?.rev ?? 0) + 1, at: entry.at, by: entry.who };
    await this.audit.auditedSet(k, JSON.stringify(part), entry);
    return part;
  }

  async putCity(month: string, patch: CityParts, entry: AuditEntry): Promise<StoredPart<CityParts>> {
    const k = key(month, 'city');
    const old = await this.read<StoredPart<CityParts>>(k);
    const part: StoredPart<CityParts> = { value: { ...old?.value, ...patch }, rev: (old?.rev ?? 0) + 1, at: entry.at, by: entry.who };
    await this.audit.auditedSet(k, JSON.stringify(part), entry);
    return part;
  }

  latestIssued(month: string): Promise<IssuedVersion | undefined> {
    return this.read(key(month, 'issued'));
  }

  /**
   * Stores a new issued version (the one before is in the audit entry's `before`) and records its
   * 文号 for the year. The number is taken first: should the version's write fail, the number
   * stays this month's (a gap, which the month's next 签发 fills), never one two months hold.
   */
  async issue(version: IssuedVersion, docNumber: { year: number; n: number }, entry: AuditEntry): Promise<void> {
    await this.redis.hset(docNumbersKey(docNumber.year), version.month, docNumber.n);
    await this.audit.auditedSet(key(version.month, 'issued'), JSON.stringify(version), entry);
  }

  /** month -> N of the 文号 issued in `year`. */
  async docNumbers(year: number): Promise<Map<string, number>> {
    const all = await this.redis.hgetall(docNumbersKey(year));
    return new Map(Object.entries(all).map(([m, n]) => [m, Number(n)]));
  }
}

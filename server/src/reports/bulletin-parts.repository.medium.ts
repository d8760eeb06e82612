import { Redis } from 'ioredis';
import type { BulletinDoc, BulletinFigures } from '@wall/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../../test/support/redis.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { AppConfig } from '../config/config.js';
import { BulletinPartsRepository, type IssuedVersion } from './bulletin-parts.repository.js';

describe('BulletinPartsRepository on a real Redis', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  let audit: AuditRepository;
  let parts: BulletinPartsRepository;

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    audit = new AuditRepository(redis, { AUDIT_RETENTION_DAYS: 10 } as AppConfig);
    parts = new BulletinPartsRepository(redis, audit);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.cleanup();
  });

  it('keeps each center’s paragraph apart, counts its saves, and audits before and after', async () => {
    await parts.putCenter('2020-08', 'lucheng', '第一稿。', audit.entry('lc', 'bulletin.center.set', { center: 'lucheng' }, null));
    await parts.putCenter('2020-08', 'longwan', '龙湾。', audit.entry('lw', 'bulletin.center.set', { center: 'longwan' }, null));
    const second = await parts.putCenter('2020-08', 'lucheng', '第二稿。', audit.entry('lc', 'bulletin.center.set', { center: 'lucheng' }, null));
    expect(second).toMatchObject({ value: '第二稿。', rev: 2, by: 'lc' });
    const stored = await parts.centers('2020-08', ['lucheng', 'longwan', 'ouhai']);
    expect([...stored].map(([id, p]) => [id, p.value, p.rev])).toEqual([
      ['lucheng', '第二稿。', 2],
      ['longwan', '龙湾。', 1],
    ]);
    const [last] = await audit.latest({ limit: 1, action: 'bulletin.center.set', who: 'lc' });
    expect(last!.detail).toMatchObject({ before: { value: '第一稿。', rev: 1 }, after: { value: '第二稿。', rev: 2 }, center: 'lucheng' });
    expect((await parts.centers('2020-09', ['lucheng'])).size).toBe(0);
  });

  it('merges the city office’s fields: a save of one keeps the others', async () => {
    await parts.putCity('2020-08', { cc: '各县（市、区）政府分管领导。', docNumber: '〔2020〕7号' }, audit.entry('admin', 'bulletin.city.set', {}, null));
    await parts.putCity('2020-08', { issueDate: '2020-09-21' }, audit.entry('admin', 'bulletin.city.set', {}, null));
    expect(await parts.city('2020-08')).toMatchObject({ rev: 2, value: { cc: '各县（市、区）政府分管领导。', docNumber: '〔2020〕7号', issueDate: '2020-09-21' } });
  });

  it('stores an issued version with its 文号 for the year; the next one replaces it as the latest', async () => {
    const version = (n: number): IssuedVersion => ({
      month: '2020-08',
      version: n,
      at: '2020-09-21T02:00:00.000Z',
      by: 'admin',
      parts: { centers: {} },
      doc: { month: '2020-08' } as BulletinDoc,
      figures: {} as BulletinFigures,
    });
    expect(await parts.latestIssued('2020-08')).toBeUndefined();
    await parts.issue(version(1), { year: 2020, n: 7 }, audit.entry('admin', 'bulletin.issue', {}, null));
    await parts.issue(version(2), { year: 2020, n: 7 }, audit.entry('admin', 'bulletin.issue', {}, null));
    expect((await parts.latestIssued('2020-08'))!.version).toBe(2);
    expect([...(await parts.docNumbers(2020))]).toEqual([['2020-08', 7]]);
    const [entry] = await audit.latest({ limit: 1, action: 'bulletin.issue' });
    expect(entry!.detail).toMatchObject({ before: { version: 1 }, after: { version: 2 } });
  });
});

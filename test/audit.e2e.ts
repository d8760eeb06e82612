import { DEFAULT_PLAYLIST, DEFAULT_ROSTER } from '@wall/shared';
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { login, postFeed, startServer } from './support/server.js';
import { adminCall } from './support/users.js';

// The audit log keeps entries by age and finds old ones through its indexes. The past is made
// by running the server under libfaketime, days behind, against the same Redis.

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const DAY = 24 * 3600 * 1000;

type Entry = { at: string; who: string; action: string; ip: string | null; detail: { before?: unknown; after?: unknown } };

describe('the audit log', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;

  beforeAll(async () => {
    expect(existsSync(LIBFAKETIME), 'libfaketime (Debian package faketime) is needed: .ci/run installs it').toBe(true);
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.cleanup();
  });

  async function inThePast(days: number, edit: (url: string, token: string) => Promise<void>): Promise<void> {
    const past = await startServer(redis.url, { LD_PRELOAD: LIBFAKETIME, FAKETIME: `-${days}d`, FAKETIME_DONT_FAKE_MONOTONIC: '1' });
    try {
      await edit(past.url, await login(past.url));
    } finally {
      await past.stop();
    }
  }

  it('finds an entry of 30 days ago by ?action= and ?who=, with the caller’s address and before/after', async () => {
    const roster = { ...DEFAULT_ROSTER, shifts: DEFAULT_ROSTER.shifts.slice(0, 1) };
    await inThePast(30, async (url, token) => {
      expect((await adminCall(url, token, 'PUT', '/api/roster', roster)).status).toBe(200);
    });
    const server = await startServer(redis.url);
    try {
      // Newer entries of other kinds, many more than the one asked for.
      for (let i = 0; i < 40; i++) await login(server.url);
      const token = await login(server.url);
      const found = await adminCall<Entry[]>(server.url, token, 'GET', '/api/audit?action=roster.update&limit=1');
      expect(found.status).toBe(200);
      expect(found.body).toHaveLength(1);
      const [entry] = found.body;
      expect(Date.now() - Date.parse(entry!.at)).toBeGreaterThan(29 * DAY);
      expect(entry).toMatchObject({ who: 'admin', ip: '127.0.0.1', detail: { before: null, after: roster } });
      const byWho = await adminCall<Entry[]>(server.url, token, 'GET', '/api/audit?action=roster.update&who=admin&limit=1');
      expect(byWho.body).toHaveLength(1);
      expect((await adminCall<Entry[]>(server.url, token, 'GET', '/api/audit?action=roster.update&who=nobody')).body).toEqual([]);
      const logins = await adminCall<Entry[]>(server.url, token, 'GET', '/api/audit?who=admin&limit=5');
      expect(logins.body.map((e) => e.action)).toEqual(['login', 'login', 'login', 'login', 'login']);
    } finally {
      await server.stop();
    }
  });

  it('drops entries older than AUDIT_RETENTION_DAYS', async () => {
    await inThePast(3, async (url, token) => {
      expect((await adminCall(url, token, 'PUT', '/api/reports/assessment-rules', {})).status).toBe(200);
    });
    const kept = await startServer(redis.url);
    try {
      const token = await login(kept.url);
      expect((await adminCall<Entry[]>(kept.url, token, 'GET', '/api/audit?action=assessment-rules.set')).body).toHaveLength(1);
    } finally {
      await kept.stop();
    }
    const short = await startServer(redis.url, { AUDIT_RETENTION_DAYS: '2' });
    try {
      const token = await login(short.url);
      expect((await adminCall<Entry[]>(short.url, token, 'GET', '/api/audit?action=assessment-rules.set')).body).toEqual([]);
      expect((await adminCall<Entry[]>(short.url, token, 'GET', '/api/audit?limit=1000')).body.some((e) => e.action === 'assessment-rules.set')).toBe(false);
    } finally {
      await short.stop();
    }
  });

  it('writes one entry per change, in the change’s order, to the one stream: who, the caller’s address, before and after', async () => {
    const server = await startServer(redis.url);
    const raw = new Redis(redis.url);
    try {
      const token = await login(server.url);
      const leaving = await login(server.url);
      expect(
        (await postFeed(server.url, [{ id: 'au-r', type: 'incident.reported', at: new Date().toISOString(), incident: 'au', center: 'lucheng', kind: 'alarm', category: '测试' }]))
          .status,
      ).toBe(200);
      const reference = (await adminCall<Record<string, unknown>>(server.url, token, 'GET', '/api/reference')).body;
      const start = (await raw.xrevrange('wall:audit', '+', '-', 'COUNT', 1))[0]![0];
      const call = async (method: string, path: string, body: unknown, status: number) =>
        expect((await adminCall(server.url, token, method, path, body)).status, `${method} ${path}`).toBe(status);
      await call('PUT', '/api/reference', reference, 200);
      await call('PUT', '/api/reports/assessment-rules', {}, 200);
      await call('PUT', '/api/roster', DEFAULT_ROSTER, 200);
      await call('POST', '/api/users', { username: 'audited', password: 'password-123', role: 'viewer' }, 201);
      await call('PATCH', '/api/users/audited', { role: 'supervisor' }, 200);
      await call('POST', '/api/users/audited/revoke', undefined, 201);
      await call('PUT', '/api/users/audited/password', { password: 'password-456' }, 200);
      await call('DELETE', '/api/users/audited', undefined, 200);
      await call('POST', '/api/screens/codes', { name: 'hall-audit' }, 201);
      await call('POST', '/api/incidents/au/drill', { drill: true }, 200);
      await call('PUT', '/api/wall/playlist', DEFAULT_PLAYLIST, 200);
      expect((await adminCall(server.url, leaving, 'POST', '/api/auth/logout')).status).toBe(200);
      const rows = (await raw.xrange('wall:audit', `(${start}`, '+')) as Array<[string, string[]]>;
      const entries = rows.map(([, fields]) => JSON.parse(fields[1]!) as Entry & { detail: Record<string, unknown> });
      expect(entries.map((e) => [e.action, e.who, e.ip])).toEqual(
        [
          'reference.update',
          'assessment-rules.set',
          'roster.update',
          'user.create',
          'user.update',
          'user.revoke',
          'user.password',
          'user.delete',
          'screen.code',
          'incident.mark',
          'wall.playlist.update',
          'logout',
        ].map((action) => [action, 'admin', '127.0.0.1']),
      );
      const [ref, , roster, created, updated, , , deleted, code, mark, playlist] = entries;
      expect(ref!.detail).toEqual({ before: null, after: reference });
      expect(roster!.detail['after']).toEqual(DEFAULT_ROSTER);
      expect(created!.detail).toMatchObject({ username: 'audited', before: null, after: { role: 'viewer' } });
      expect(updated!.detail).toMatchObject({ before: { role: 'viewer' }, after: { role: 'supervisor' } });
      expect(deleted!.detail).toMatchObject({ before: { role: 'supervisor' }, after: null });
      expect(code!.detail).toEqual({ name: 'hall-audit' });
      expect(mark!.detail).toMatchObject({ incident: 'au', drill: true });
      expect(playlist!.detail).toEqual({ before: null, after: DEFAULT_PLAYLIST });
      expect(JSON.stringify(entries)).not.toMatch(/passwordHash|scrypt\$|password-4|[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    } finally {
      raw.disconnect();
      await server.stop();
    }
  });

  it('records a user edit with before and after, and never a password hash', async () => {
    const server = await startServer(redis.url);
    try {
      const token = await login(server.url);
      expect((await adminCall(server.url, token, 'POST', '/api/users', { username: 'edited', password: 'password-123', role: 'viewer' })).status).toBe(201);
      expect((await adminCall(server.url, token, 'PATCH', '/api/users/edited', { role: 'supervisor' })).status).toBe(200);
      const [entry] = (await adminCall<Entry[]>(server.url, token, 'GET', '/api/audit?action=user.update&limit=1')).body;
      expect(entry).toMatchObject({ who: 'admin', ip: '127.0.0.1', detail: { before: { role: 'viewer' }, after: { role: 'supervisor' } } });
      expect(JSON.stringify(entry)).not.toMatch(/passwordHash|scrypt\$/);
    } finally {
      await server.stop();
    }
  });
});

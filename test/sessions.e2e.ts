import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../server/src/redis/redis.tokens.js';
import { startTestRedis } from './support/redis.js';
import { until } from './support/wait.js';
import { login, postFeed, startServer, type RunningServer } from './support/server.js';
import { adminCall, createUser, watchSocket, type WatchedSocket } from './support/users.js';

// A session ends everywhere at once: REST refuses the token, and an open socket closes within
// 2 s and receives nothing after, whatever ended it. The token version each change leaves is
// read from Redis itself.

const CLOSE_MS = 2000;

function reported(id: string) {
  return { id, type: 'incident.reported', at: new Date().toISOString(), incident: id, center: 'lucheng', kind: 'alarm', category: '测试' };
}

describe('sessions that end', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let admin: string;
  let raw: Redis;
  let n = 0;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    admin = await login(server.url);
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    raw?.disconnect();
    await server?.stop();
    await redis?.cleanup();
  });

  /** The stored token version of a name (kept apart from the user, so that it survives a delete). */
  const storedVersion = async (name: string) => Number(await raw.hget(keys.tokenVersions, name));

  /**
   * Opens a socket for a fresh user, lets it see traffic, ends the session with `end`, and checks
   * the close and the stored version: one higher, or (`kept`, a delete) the same with the user gone.
   */
  async function endsWithin(
    role: string,
    namespace: 'wall' | 'supervisor',
    end: (name: string, token: string) => Promise<void>,
    version: 'raised' | 'kept' = 'raised',
  ): Promise<WatchedSocket> {
    const name = `s${++n}-${role}`;
    await createUser(server.url, admin, name, role, 'password-123', role === 'supervisor' ? { centers: ['lucheng'] } : undefined);
    const token = await login(server.url, name, 'password-123');
    const watched = watchSocket(server.url, namespace, token);
    expect(await watched.opened).toBe('connected');
    await new Promise((r) => setTimeout(r, 300));
    expect(watched.events.length, 'the socket saw its first message').toBeGreaterThan(0);
    const before = await storedVersion(name);
    expect(before).toBe(1);
    const endedAt = Date.now();
    await end(name, token);
    expect(await storedVersion(name), 'the stored token version').toBe(version === 'raised' ? before + 1 : before);
    if (version === 'kept') expect(await raw.hexists(keys.users, name)).toBe(0);
    await new Promise((r) => setTimeout(r, CLOSE_MS + 200));
    const closedAt = watched.closedAt();
    expect(closedAt, 'the socket was closed by the server').toBeDefined();
    expect(closedAt! - endedAt).toBeLessThanOrEqual(CLOSE_MS);
    // Traffic after the close reaches nobody on that socket.
    await postFeed(server.url, [reported(`after-${name}`)]);
    await new Promise((r) => setTimeout(r, 600));
    expect(watched.events.filter((e) => e.at > closedAt!)).toEqual([]);
    expect((await adminCall(server.url, token, 'GET', '/api/reports/monthly?month=2020-08')).status).toBe(401);
    watched.close();
    return watched;
  }

  it('closes a revoked viewer’s wall socket', async () => {
    await endsWithin('viewer', 'wall', async (name) => {
      expect((await adminCall(server.url, admin, 'POST', `/api/users/${name}/revoke`)).status).toBe(201);
    });
  });

  it('closes a demoted supervisor’s console socket (and its wall socket would not hold either)', async () => {
    await endsWithin('supervisor', 'supervisor', async (name) => {
      expect((await adminCall(server.url, admin, 'PATCH', `/api/users/${name}`, { role: 'viewer' })).status).toBe(200);
    });
  });

  it('closes a supervisor’s socket when the scope changes', async () => {
    await endsWithin('supervisor', 'supervisor', async (name) => {
      expect((await adminCall(server.url, admin, 'PATCH', `/api/users/${name}`, { scope: { centers: ['ouhai'] } })).status).toBe(200);
    });
  });

  it('closes a disabled user’s socket, and the user cannot log in until enabled again', async () => {
    let user = '';
    await endsWithin('viewer', 'wall', async (name) => {
      user = name;
      expect((await adminCall(server.url, admin, 'PATCH', `/api/users/${name}`, { disabled: true })).status).toBe(200);
    });
    await expect(login(server.url, user, 'password-123')).rejects.toThrow(/401/);
    expect((await adminCall(server.url, admin, 'PATCH', `/api/users/${user}`, { disabled: false })).status).toBe(200);
    expect(await login(server.url, user, 'password-123')).toBeTruthy();
  });

  it('closes a deleted user’s socket', async () => {
    await endsWithin(
      'viewer',
      'wall',
      async (name) => {
        expect((await adminCall(server.url, admin, 'DELETE', `/api/users/${name}`)).status).toBe(200);
      },
      'kept',
    );
  });

  it('closes the other sessions of a user who changes their password, and hands back a working token', async () => {
    let fresh = '';
    await endsWithin('supervisor', 'supervisor', async (name, token) => {
      const wrong = await adminCall(server.url, token, 'PUT', `/api/users/${name}/password`, { password: 'new-password-1', currentPassword: 'nope-nope' });
      expect(wrong.status).toBe(401);
      const res = await adminCall<{ token: { token: string } }>(server.url, token, 'PUT', `/api/users/${name}/password`, {
        password: 'new-password-1',
        currentPassword: 'password-123',
      });
      expect(res.status).toBe(200);
      fresh = res.body.token.token;
    });
    expect((await adminCall(server.url, fresh, 'GET', '/api/alarms?state=all')).status).toBe(200);
  });

  it('logging out ends that one token: refused, its socket closed, the user’s other token and socket stay, and it is audited', async () => {
    await createUser(server.url, admin, 'leaver', 'supervisor');
    const [leaving, staying] = [await login(server.url, 'leaver', 'password-123'), await login(server.url, 'leaver', 'password-123')];
    const [gone, kept] = [watchSocket(server.url, 'supervisor', leaving), watchSocket(server.url, 'supervisor', staying)];
    expect([await gone.opened, await kept.opened]).toEqual(['connected', 'connected']);
    const out = Date.now();
    expect(await adminCall(server.url, leaving, 'POST', '/api/auth/logout')).toEqual({ status: 200, body: { loggedOut: true } });
    expect((await adminCall(server.url, leaving, 'GET', '/api/alarms')).status).toBe(401);
    await new Promise((r) => setTimeout(r, CLOSE_MS + 200));
    expect(gone.closedAt()! - out).toBeLessThanOrEqual(CLOSE_MS);
    expect(kept.closedAt()).toBeUndefined();
    expect((await adminCall(server.url, staying, 'GET', '/api/alarms')).status).toBe(200);
    expect(await storedVersion('leaver'), 'a logout leaves the user’s version').toBe(1);
    const [entry] = (await adminCall<Array<{ who: string; ip: string | null }>>(server.url, admin, 'GET', '/api/audit?action=logout&who=leaver')).body;
    expect(entry).toMatchObject({ who: 'leaver', ip: '127.0.0.1' });
    gone.close();
    kept.close();
  });

  it('closes the sockets through their rooms at once, not at the next sweep: three revokes, each socket closed within 200 ms of the answer', async () => {
    const late: number[] = [];
    for (let i = 0; i < 3; i++) {
      const name = `room-${i}`;
      await createUser(server.url, admin, name, 'viewer');
      const watched = watchSocket(server.url, 'wall', await login(server.url, name, 'password-123'));
      expect(await watched.opened).toBe('connected');
      // At a random moment of the sweep's second: the sweep alone closes within 200 ms of it one time in five.
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      expect((await adminCall(server.url, admin, 'POST', `/api/users/${name}/revoke`)).status).toBe(201);
      const answered = Date.now();
      await until(async () => watched.closedAt(), CLOSE_MS);
      late.push(watched.closedAt()! - answered);
      watched.close();
    }
    expect(
      late.filter((ms) => ms > 200),
      `closed ${late.join(', ')} ms after the answers`,
    ).toEqual([]);
  });

  it('closes a socket when its token expires', async () => {
    const short = await startServer(redis.url, { TOKEN_TTL_HOURS: String(3 / 3600) });
    try {
      await createUser(short.url, admin, 'short-lived', 'supervisor');
      const token = await login(short.url, 'short-lived', 'password-123');
      const watched = watchSocket(short.url, 'supervisor', token);
      expect(await watched.opened).toBe('connected');
      const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
      await new Promise((r) => setTimeout(r, exp - Date.now() + CLOSE_MS + 200));
      const closedAt = watched.closedAt();
      expect(closedAt, 'closed by the server').toBeDefined();
      expect(closedAt! - exp).toBeLessThanOrEqual(CLOSE_MS);
      watched.close();
    } finally {
      await short.stop();
    }
  });

  it('answers 409 for a name that exists, and a re-created name never revives an old token', async () => {
    await createUser(server.url, admin, 'again', 'viewer');
    const old = await login(server.url, 'again', 'password-123');
    const taken = await adminCall(server.url, admin, 'POST', '/api/users', { username: 'again', password: 'other-pass-1', role: 'admin' });
    expect(taken.status).toBe(409);
    expect(await login(server.url, 'again', 'password-123')).toBeTruthy();
    expect((await adminCall(server.url, admin, 'POST', '/api/users/again/revoke')).status).toBe(201);
    expect((await adminCall(server.url, admin, 'DELETE', '/api/users/again')).status).toBe(200);
    await createUser(server.url, admin, 'again', 'viewer');
    // Created 1, revoked 2, deleted (kept), created again above it: 3.
    expect(await storedVersion('again')).toBe(3);
    expect((await adminCall(server.url, old, 'GET', '/api/reference')).status).toBe(401);
    const users = await adminCall<Array<{ username: string; role: string; passwordHash?: string }>>(server.url, admin, 'GET', '/api/users');
    expect(users.body.find((u) => u.username === 'again')).toMatchObject({ role: 'viewer' });
    expect(users.body.every((u) => u.passwordHash === undefined)).toBe(true);
  });

  it('lets only the user or an admin change a password', async () => {
    await createUser(server.url, admin, 'pw-a', 'viewer');
    await createUser(server.url, admin, 'pw-b', 'viewer');
    const a = await login(server.url, 'pw-a', 'password-123');
    expect((await adminCall(server.url, a, 'PUT', '/api/users/pw-b/password', { password: 'changed-by-a' })).status).toBe(403);
    expect((await adminCall(server.url, admin, 'PUT', '/api/users/pw-b/password', { password: 'changed-by-admin' })).status).toBe(200);
    expect(await login(server.url, 'pw-b', 'changed-by-admin')).toBeTruthy();
  });
});

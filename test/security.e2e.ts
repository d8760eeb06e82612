import type { Alarm } from '@wall/shared';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/wait.js';
import { startTestRedis } from './support/redis.js';
import { FEED_TOKEN, getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { adminCall, createUser, watchSocket } from './support/users.js';

// Every route and namespace against every kind of caller: nobody, a forged, expired, alg:none
// or revoked token, the feed token, and each role. Each allowed cell names the exact answer.

type Role = 'admin' | 'supervisor' | 'viewer' | 'wall';
const ROLES: Role[] = ['admin', 'supervisor', 'viewer', 'wall'];
const BAD = ['expired', 'forged', 'none-alg', 'revoked', 'feed'] as const;

interface Route {
  method: string;
  path: string;
  body?: unknown;
  /** The answer to each role allowed; every other role gets 403. */
  allowed: Partial<Record<Role, number>>;
}
const people = (status: number) => ({ admin: status, supervisor: status, viewer: status });
const ROUTES: Route[] = [
  { method: 'GET', path: '/api/reference', allowed: { ...people(200), wall: 200 } },
  { method: 'PUT', path: '/api/reference', body: {}, allowed: { admin: 400 } },
  { method: 'GET', path: '/api/reports/monthly?month=2020-08', allowed: people(200) },
  { method: 'GET', path: '/api/reports/drills?month=2020-08', allowed: people(200) },
  { method: 'GET', path: '/api/reports/assessment?month=2020-08', allowed: people(200) },
  { method: 'GET', path: '/api/reports/quality?month=2020-08', allowed: people(200) },
  { method: 'GET', path: '/api/reports/monthly.csv?month=2020-08&table=units', allowed: people(200) },
  { method: 'GET', path: '/api/reports/monthly.xlsx?month=2020-08', allowed: people(200) },
  { method: 'GET', path: '/api/reports/assessment-rules', allowed: people(200) },
  { method: 'PUT', path: '/api/reports/assessment-rules', body: { nonsense: 1 }, allowed: { admin: 400 } },
  { method: 'GET', path: '/api/events?from=2020-08-01&to=2020-08-02', allowed: people(200) },
  { method: 'GET', path: '/api/alarms?state=all', allowed: { admin: 200, supervisor: 200 } },
  { method: 'POST', path: '/api/alarms/nope/ack', body: {}, allowed: { admin: 404, supervisor: 404 } },
  { method: 'GET', path: '/api/roster', allowed: { admin: 200, supervisor: 200 } },
  { method: 'PUT', path: '/api/roster', body: { shifts: 'x' }, allowed: { admin: 400 } },
  { method: 'GET', path: '/api/users', allowed: { admin: 200 } },
  { method: 'POST', path: '/api/users', body: {}, allowed: { admin: 400 } },
  { method: 'PATCH', path: '/api/users/nobody', body: { role: 'viewer' }, allowed: { admin: 404 } },
  { method: 'DELETE', path: '/api/users/nobody', allowed: { admin: 404 } },
  { method: 'POST', path: '/api/users/nobody/revoke', allowed: { admin: 404 } },
  // Someone else's password: an admin may (the user does not exist: 404), the others may not.
  { method: 'PUT', path: '/api/users/nobody/password', body: { password: 'password-xyz' }, allowed: { admin: 404, supervisor: 403, viewer: 403 } },
  { method: 'POST', path: '/api/screens/codes', body: {}, allowed: { admin: 400 } },
  { method: 'POST', path: '/api/incidents/nope/drill', body: { drill: true }, allowed: { admin: 404 } },
  { method: 'GET', path: '/api/audit', allowed: { admin: 200 } },
  { method: 'GET', path: '/api/wall/screens', allowed: { admin: 200 } },
  { method: 'GET', path: '/api/wall/playlist', allowed: people(200) },
  { method: 'PUT', path: '/api/wall/playlist', body: { entries: [] }, allowed: { admin: 400 } },
];

const SECRET = new TextEncoder().encode('test-jwt-secret-0123456789-0123456789');

describe('who may do what', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  const tokens: Record<string, string> = {};

  const call = (route: Pick<Route, 'method' | 'path' | 'body'>, token?: string) =>
    fetch(`${server.url}${route.path}`, {
      method: route.method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: route.body === undefined ? undefined : JSON.stringify(route.body),
    });

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    tokens['admin'] = await login(server.url);
    for (const role of ['supervisor', 'viewer', 'wall'] as const) {
      await createUser(server.url, tokens['admin']!, `a-${role}`, role);
      tokens[role] = await login(server.url, `a-${role}`, 'password-123');
    }
    await createUser(server.url, tokens['admin']!, 'a-revoked', 'admin');
    tokens['revoked'] = await login(server.url, 'a-revoked', 'password-123');
    expect((await adminCall(server.url, tokens['admin']!, 'POST', '/api/users/a-revoked/revoke')).status).toBe(201);
    tokens['feed'] = FEED_TOKEN;
    tokens['expired'] = await new SignJWT({ role: 'admin', ver: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setIssuedAt(1_600_000_000)
      .setExpirationTime(1_600_003_600)
      .sign(SECRET);
    tokens['forged'] = await new SignJWT({ role: 'admin', ver: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-server-secret-0123456789-xx'));
    tokens['none-alg'] = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin","role":"admin","ver":1}').toString('base64url')}.`;
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it('answers every route exactly: 401 without a valid user token, 403 to a role not allowed, the route’s own answer to the rest', async () => {
    const wrong: string[] = [];
    const check = (name: string, got: number, want: number) => got !== want && wrong.push(`${name}: ${got}, expected ${want}`);
    for (const route of ROUTES) {
      const name = `${route.method} ${route.path}`;
      check(`${name} without token`, (await call(route)).status, 401);
      for (const bad of BAD) check(`${name} ${bad}`, (await call(route, tokens[bad])).status, 401);
      for (const role of ROLES) check(`${name} as ${role}`, (await call(route, tokens[role])).status, route.allowed[role] ?? 403);
    }
    expect(wrong).toEqual([]);
  });

  it('answers the public routes alike to every caller', async () => {
    for (const caller of [undefined, ...ROLES, ...BAD]) {
      const token = caller ? tokens[caller] : undefined;
      expect((await call({ method: 'POST', path: '/api/screens/enrol', body: { code: 'ABCD-EFGH-JKMN' } }, token)).status, `enrol ${caller}`).toBe(401);
      expect((await call({ method: 'GET', path: '/api/health' }, token)).status, `health ${caller}`).toBe(200);
    }
  });

  it('takes only the feed token on the feed: a user token of any role is 401', async () => {
    const event = { id: 'feed-auth-r', type: 'incident.reported', at: new Date().toISOString(), incident: 'feed-auth', center: 'lucheng', kind: 'alarm', category: '测试' };
    for (const caller of [...ROLES, ...BAD.filter((b) => b !== 'feed')]) {
      expect((await postFeed(server.url, [event], { token: tokens[caller] })).status, caller).toBe(401);
    }
    expect((await postFeed(server.url, [event], { token: FEED_TOKEN })).body).toMatchObject({ accepted: 1 });
  });

  it('answers every socket namespace exactly for every kind of token', async () => {
    const expected: Record<string, { wall: string; supervisor: string }> = {
      none: { wall: 'unauthorized', supervisor: 'unauthorized' },
      ...Object.fromEntries(BAD.map((b) => [b, { wall: 'unauthorized', supervisor: 'unauthorized' }])),
      admin: { wall: 'connected', supervisor: 'connected' },
      supervisor: { wall: 'connected', supervisor: 'connected' },
      viewer: { wall: 'connected', supervisor: 'forbidden' },
      wall: { wall: 'connected', supervisor: 'forbidden' },
    };
    const got: Record<string, { wall: string; supervisor: string }> = {};
    for (const caller of Object.keys(expected)) {
      const result = { wall: '', supervisor: '' };
      for (const ns of ['wall', 'supervisor'] as const) {
        const s = watchSocket(server.url, ns, tokens[caller]);
        result[ns] = await s.opened;
        s.close();
      }
      got[caller] = result;
    }
    expect(got).toEqual(expected);
  });

  it('hides an alarm out of a supervisor’s scope: its acknowledgement is 404 and the alarm stays open', async () => {
    await createUser(server.url, tokens['admin']!, 'a-ouhai', 'supervisor', 'password-123', { centers: ['ouhai'] });
    const ouhai = await login(server.url, 'a-ouhai', 'password-123');
    const at = Date.now();
    await postFeed(server.url, [
      { id: 'sc-r', type: 'incident.reported', at: new Date(at - 1000).toISOString(), incident: 'sc', center: 'lucheng', kind: 'alarm', category: '测试' },
      {
        id: 'sc-d',
        type: 'order.dispatched',
        at: new Date(at).toISOString(),
        incident: 'sc',
        order: 'sc-o',
        unit: 'lucheng.power',
        deadlines: { signMinutes: 0.02, arriveMinutes: 600, feedbackMinutes: 600 },
      },
    ]);
    const alarm = await until(async () => (await getJson<Alarm[]>(server.url, '/api/alarms?state=open', tokens['admin']!)).body.find((a) => a.order === 'sc-o'), 20_000);
    expect(alarm).toBeDefined();
    expect((await getJson<Alarm[]>(server.url, '/api/alarms?state=all', ouhai)).body.some((a) => a.id === alarm!.id)).toBe(false);
    expect((await adminCall(server.url, ouhai, 'POST', `/api/alarms/${alarm!.id}/ack`, {})).status).toBe(404);
    const after = (await getJson<Alarm[]>(server.url, '/api/alarms?state=open', tokens['admin']!)).body.find((a) => a.id === alarm!.id);
    expect(after?.acknowledgedBy).toBeNull();
    // The supervisor whose scope it is may acknowledge it.
    expect((await adminCall(server.url, tokens['supervisor']!, 'POST', `/api/alarms/${alarm!.id}/ack`, {})).status).toBe(200);
  });

  it('answers errors without stack traces, and sets security headers', async () => {
    const res = await call({ method: 'PUT', path: '/api/roster', body: { shifts: 'x' } }, tokens['admin']!);
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).toContain('shifts');
    expect(text).not.toMatch(/at \w+ \(|\.ts:\d+|node_modules/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('revokes a wall screen: its token stops working, a new login works', async () => {
    expect((await adminCall(server.url, tokens['admin']!, 'POST', '/api/users/a-viewer/revoke')).status).toBe(201);
    expect((await call(ROUTES[0]!, tokens['viewer']!)).status).toBe(401);
    expect((await call(ROUTES[0]!, await login(server.url, 'a-viewer', 'password-123'))).status).toBe(200);
  });

  it('slows failed logins per user by a growing delay, and logs them for the admin as one entry with a count', async () => {
    const attempt = (password: string) =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'a-supervisor', password }) });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt('wrong-password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await attempt('password-123')).status).toBe(429);
    const audit = (await getJson<Array<{ who: string; count?: number }>>(server.url, '/api/audit?action=login.refused&who=a-supervisor', tokens['admin']!)).body;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.count).toBe(7);
  });
});

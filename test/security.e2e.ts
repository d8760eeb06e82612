import { SUPERVISOR_NAMESPACE, WALL_NAMESPACE } from '@wall/shared';
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { login, startServer, type RunningServer } from './support/server.js';

// Every route and namespace against every kind of caller: nobody, a forged, expired or
// revoked token, and each role.

type Role = 'admin' | 'supervisor' | 'viewer';
const ALL: Role[] = ['admin', 'supervisor', 'viewer'];
const ROUTES: Array<{ method: string; path: string; roles: Role[]; body?: unknown }> = [
  { method: 'GET', path: '/api/reference', roles: ALL },
  { method: 'PUT', path: '/api/reference', roles: ['admin'], body: {} },
  { method: 'GET', path: '/api/reports/monthly?month=2020-08', roles: ALL },
  { method: 'GET', path: '/api/reports/drills?month=2020-08', roles: ALL },
  { method: 'GET', path: '/api/reports/assessment?month=2020-08', roles: ALL },
  { method: 'GET', path: '/api/reports/quality?month=2020-08', roles: ALL },
  { method: 'GET', path: '/api/reports/monthly.csv?month=2020-08&table=units', roles: ALL },
  { method: 'GET', path: '/api/reports/monthly.xlsx?month=2020-08', roles: ALL },
  { method: 'GET', path: '/api/reports/assessment-rules', roles: ALL },
  { method: 'PUT', path: '/api/reports/assessment-rules', roles: ['admin'], body: { nonsense: 1 } },
  { method: 'GET', path: '/api/events?from=2020-08-01&to=2020-08-02', roles: ALL },
  { method: 'GET', path: '/api/alarms?state=all', roles: ['admin', 'supervisor'] },
  { method: 'POST', path: '/api/alarms/nope/ack', roles: ['admin', 'supervisor'], body: {} },
  { method: 'GET', path: '/api/roster', roles: ['admin', 'supervisor'] },
  { method: 'PUT', path: '/api/roster', roles: ['admin'], body: { shifts: 'x' } },
  { method: 'GET', path: '/api/users', roles: ['admin'] },
  { method: 'POST', path: '/api/users', roles: ['admin'], body: {} },
  { method: 'POST', path: '/api/users/nobody/revoke', roles: ['admin'] },
  { method: 'POST', path: '/api/incidents/nope/drill', roles: ['admin'], body: { drill: true } },
  { method: 'GET', path: '/api/audit', roles: ['admin'] },
  { method: 'GET', path: '/api/wall/screens', roles: ['admin'] },
  { method: 'GET', path: '/api/wall/playlist', roles: ALL },
  { method: 'PUT', path: '/api/wall/playlist', roles: ['admin'], body: { entries: [] } },
];

const SECRET = new TextEncoder().encode('test-jwt-secret-0123456789-0123456789');

describe('who may do what', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  const tokens: Record<string, string> = {};

  const call = (route: (typeof ROUTES)[number], token?: string) =>
    fetch(`${server.url}${route.path}`, {
      method: route.method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: route.body === undefined ? undefined : JSON.stringify(route.body),
    });

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    tokens['admin'] = await login(server.url);
    for (const role of ['supervisor', 'viewer'] as const) {
      const res = await fetch(`${server.url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens['admin']}` },
        body: JSON.stringify({ username: `a-${role}`, password: 'password-123', role }),
      });
      expect(res.status).toBe(201);
      tokens[role] = await login(server.url, `a-${role}`, 'password-123');
    }
    tokens['expired'] = await new SignJWT({ role: 'admin', ver: 1 }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setIssuedAt(1_600_000_000).setExpirationTime(1_600_003_600).sign(SECRET);
    tokens['forged'] = await new SignJWT({ role: 'admin', ver: 1 }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setExpirationTime('1h').sign(new TextEncoder().encode('not-the-server-secret-0123456789-xx'));
    tokens['none-alg'] = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin","role":"admin","ver":1}').toString('base64url')}.`;
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it('refuses every route without a valid token (401), and a wrong role (403)', async () => {
    for (const route of ROUTES) {
      const name = `${route.method} ${route.path}`;
      expect((await call(route)).status, `${name} without token`).toBe(401);
      for (const bad of ['expired', 'forged', 'none-alg']) expect((await call(route, tokens[bad])).status, `${name} ${bad}`).toBe(401);
      for (const role of ALL) {
        const status = (await call(route, tokens[role])).status;
        if (route.roles.includes(role)) expect([401, 403], `${name} as ${role}`).not.toContain(status);
        else expect(status, `${name} as ${role}`).toBe(403);
      }
    }
  });

  it('answers errors without stack traces, and sets security headers', async () => {
    const res = await call({ method: 'PUT', path: '/api/roster', roles: ['admin'], body: { shifts: 'x' } }, tokens['admin']);
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).toContain('shifts');
    expect(text).not.toMatch(/at \w+ \(|\.ts:\d+|node_modules/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses sockets without a valid token, and viewers on the supervisor namespace', async () => {
    const attempt = (ns: string, token: string | undefined) =>
      new Promise<string>((resolve) => {
        const s = io(`${server.url}${ns}`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
        s.once('connect', () => (s.close(), resolve('connected')));
        s.once('connect_error', (e) => (s.close(), resolve(e.message)));
      });
    for (const ns of [WALL_NAMESPACE, SUPERVISOR_NAMESPACE]) {
      expect(await attempt(ns, undefined)).toBe('unauthorized');
      expect(await attempt(ns, tokens['expired'])).toBe('unauthorized');
      expect(await attempt(ns, tokens['forged'])).toBe('unauthorized');
    }
    expect(await attempt(WALL_NAMESPACE, tokens['viewer'])).toBe('connected');
    expect(await attempt(SUPERVISOR_NAMESPACE, tokens['viewer'])).toBe('forbidden');
    expect(await attempt(SUPERVISOR_NAMESPACE, tokens['supervisor'])).toBe('connected');
  });

  it('revokes a wall screen: its token stops working, a new login works', async () => {
    const res = await fetch(`${server.url}/api/users/a-viewer/revoke`, { method: 'POST', headers: { authorization: `Bearer ${tokens['admin']}` } });
    expect(res.status).toBe(201);
    expect((await call(ROUTES[0]!, tokens['viewer'])).status).toBe(401);
    expect((await call(ROUTES[0]!, await login(server.url, 'a-viewer', 'password-123'))).status).toBe(200);
  });

  it('rate-limits failed logins per user, and logs them for the admin', async () => {
    const attempt = (password: string) =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'a-supervisor', password }) });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await attempt('wrong-password')).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await attempt('password-123')).status).toBe(429);
    const audit = (await (await fetch(`${server.url}/api/audit?action=login.failed`, { headers: { authorization: `Bearer ${tokens['admin']}` } })).json()) as Array<{ who: string }>;
    expect(audit.filter((e) => e.who === 'a-supervisor').length).toBeGreaterThanOrEqual(10);
  });
});

import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, statusPattern, testIdText, waitForWallSeq, type TrackedPage } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { login, startServer, type RunningServer } from './support/server.js';
import { adminCall, createUser, watchSocket } from './support/users.js';

// Wall screens: enrolled with a one-time code an admin issues, holding a `wall` credential
// that opens the wall and nothing else; logging out of a console revokes that one token.

describe('wall screens and logouts', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let browser: Browser;
  let admin: string;
  const pages: TrackedPage[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    admin = await login(server.url);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  const issue = async (name: string) => {
    const res = await adminCall<{ code: string; expiresAt: string }>(server.url, admin, 'POST', '/api/screens/codes', { name });
    expect(res.status).toBe(201);
    return res.body.code;
  };

  it('enrols a screen in the browser with a one-time code; the code works once; the screen’s token opens the wall only', async () => {
    const code = await issue('hall-1');
    const tracked = await openPage(browser);
    pages.push(tracked);
    const { page } = tracked;
    await page.goto(server.url);
    await page.locator('input[name="code"]').fill(code);
    await page.getByTestId('enrol-form').locator('button[type="submit"]').click();
    await waitForWallSeq(page, 0);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('wall.auth') ?? 'null') as { token: string; role: string });
    expect(stored.role).toBe('wall');
    expect(page.url()).not.toContain(stored.token);

    const again = await fetch(`${server.url}/api/screens/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(again.status).toBe(401);
    const screen = stored.token;
    expect((await adminCall(server.url, screen, 'GET', '/api/reference')).status).toBe(200);
    for (const path of [
      '/api/events?from=2020-08-01&to=2020-08-02',
      '/api/reports/monthly?month=2020-08',
      '/api/reports/monthly.xlsx?month=2020-08',
      '/api/alarms',
      '/api/audit',
    ]) {
      expect((await adminCall(server.url, screen, 'GET', path)).status, path).toBe(403);
    }
    const console = watchSocket(server.url, 'supervisor', screen);
    expect(await console.opened).toBe('forbidden');
    console.close();
  });

  it('enrolling a name again retires the screen enrolled before under it, at once', async () => {
    const first = (await adminCall<{ token: string }>(server.url, admin, 'POST', '/api/screens/enrol', { code: await issue('hall-2') })).body.token;
    const socket = watchSocket(server.url, 'wall', first);
    expect(await socket.opened).toBe('connected');
    const replaced = Date.now();
    const second = await adminCall<{ token: string; role: string }>(server.url, admin, 'POST', '/api/screens/enrol', { code: await issue('hall-2') });
    expect(second.body.role).toBe('wall');
    await new Promise((r) => setTimeout(r, 2200));
    expect(socket.closedAt()! - replaced).toBeLessThanOrEqual(2000);
    expect((await adminCall(server.url, first, 'GET', '/api/reference')).status).toBe(401);
    expect((await adminCall(server.url, second.body.token, 'GET', '/api/reference')).status).toBe(200);
    socket.close();
  });

  it('keeps a code 15 minutes, in Redis only as its hash; takes it only in the body; a revoke retires the screen at once', async () => {
    const raw = new Redis(redis.url);
    try {
      const issued = await adminCall<{ code: string; expiresAt: string }>(server.url, admin, 'POST', '/api/screens/codes', { name: 'hall-3' });
      const { code } = issued.body;
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      expect(Math.abs(Date.parse(issued.body.expiresAt) - Date.now() - 15 * 60_000)).toBeLessThan(5000);
      // Nowhere in Redis in the clear: no key, no string value, no stream entry (the audit log) holds it.
      const everything: string[] = [];
      for (const k of await raw.keys('*')) {
        everything.push(k);
        const type = await raw.type(k);
        if (type === 'string') everything.push((await raw.get(k))!);
        if (type === 'stream') everything.push(JSON.stringify(await raw.xrange(k, '-', '+')));
        if (type === 'hash') everything.push(JSON.stringify(await raw.hgetall(k)));
      }
      expect(everything.filter((v) => v.includes(code) || v.includes(code.replace(/-/g, '')))).toEqual([]);
      const key = `wall:enrol-code:${createHash('sha256').update(code.replace(/-/g, '')).digest('hex')}`;
      expect(await raw.get(key)).toBe('hall-3');
      expect(Math.abs((await raw.pttl(key)) - 15 * 60_000)).toBeLessThan(5000);
      // Not in a URL: a code in the query string is no enrolment, and stays unused.
      const inUrl = await fetch(`${server.url}/api/screens/enrol?code=${code}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(inUrl.status).toBe(400);
      const enrolled = await adminCall<{ token: string; role: string }>(server.url, admin, 'POST', '/api/screens/enrol', { code });
      expect(enrolled.status).toBe(200);
      expect(enrolled.body.role).toBe('wall');
      const socket = watchSocket(server.url, 'wall', enrolled.body.token);
      expect(await socket.opened).toBe('connected');
      const revoked = Date.now();
      expect((await adminCall(server.url, admin, 'POST', '/api/users/hall-3/revoke')).status).toBe(201);
      expect((await adminCall(server.url, enrolled.body.token, 'GET', '/api/reference')).status).toBe(401);
      await new Promise((r) => setTimeout(r, 2200));
      expect(socket.closedAt()! - revoked).toBeLessThanOrEqual(2000);
      socket.close();
    } finally {
      raw.disconnect();
    }
  });

  it('issues no code for the name of a person’s account, and takes no made-up code', async () => {
    expect((await adminCall(server.url, admin, 'POST', '/api/screens/codes', { name: 'admin' })).status).toBe(409);
    expect((await adminCall(server.url, admin, 'POST', '/api/screens/enrol', { code: 'ABCD-EFGH-JKMN' })).status).toBe(401);
  });

  it('the wall’s login form refuses admin and supervisor accounts, the console’s form viewers', async () => {
    await createUser(server.url, admin, 'sv', 'supervisor');
    await createUser(server.url, admin, 'vw', 'viewer');
    const as = (username: string, password: string, screen: string) =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password, screen }) }).then(
        (r) => r.status,
      );
    expect(await as('admin', 'admin-pass-1', 'wall')).toBe(401);
    expect(await as('sv', 'password-123', 'wall')).toBe(401);
    expect(await as('vw', 'password-123', 'wall')).toBe(200);
    expect(await as('vw', 'password-123', 'console')).toBe(401);
    expect(await as('sv', 'password-123', 'console')).toBe(200);
  });

  it('logging out of the console in the browser revokes that token on the server and closes its socket; other sessions stay', async () => {
    await createUser(server.url, admin, 'sv-out', 'supervisor');
    const other = await login(server.url, 'sv-out', 'password-123');
    const tracked = await openPage(browser);
    pages.push(tracked);
    const { page } = tracked;
    await page.goto(`${server.url}/supervisor`);
    await page.locator('input[name="username"]').fill('sv-out');
    await page.locator('input[name="password"]').fill('password-123');
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('button.logout').isVisible()).toBe(true);
    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('wall.auth') ?? 'null') as { token: string }).token);
    const socket = watchSocket(server.url, 'supervisor', token);
    expect(await socket.opened).toBe('connected');
    const stop = tracked.ignore(statusPattern(401));
    const out = Date.now();
    // The console first asks to enable sound and notifications: not now.
    await page.getByText('暂不开启').click();
    await page.locator('button.logout').click();
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
    await expect.poll(async () => (await adminCall(server.url, token, 'GET', '/api/alarms')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 2200));
    stop();
    expect(socket.closedAt()! - out).toBeLessThanOrEqual(2000);
    expect((await adminCall(server.url, other, 'GET', '/api/alarms')).status).toBe(200);
    expect(await testIdText(page, 'login-form')).toContain('督导台');
    socket.close();
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceData } from '@wall/shared';
import { launchBrowser, openPage, type TrackedPage, gotoWithToken } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { orderWithSignLimit, send } from './support/orders.js';

// Voice (语音播报) in headless Chromium against the built server: the spoken text of a new
// alarm read from a spy on speechSynthesis.speak, repeated every ?voiceEvery seconds until the
// alarm is acknowledged; the tone and an on-screen note where no Chinese voice is installed;
// the wall's opt-in ?voice=1.

const SIGN_MIN = 0.05;
const SUP = { username: 'sup-v', password: 'sup-v-pass-123' };

/** A Chinese voice and a spy on speak (headless Chromium has no voices and no audio). */
const SPY = `
  window.__spoken = [];
  window.__beeps = 0;
  const fakeVoice = { lang: 'zh-CN', name: 'Test 中文', voiceURI: 'test-zh', localService: true, default: true };
  speechSynthesis.getVoices = () => (window.__noVoices ? [] : [fakeVoice]);
  speechSynthesis.speak = (u) => window.__spoken.push(u.text);
  if (window.AudioContext) {
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () { window.__beeps++; return create.call(this); };
  }
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const spoken = (p: TrackedPage) => p.page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);

describe('voice', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let admin: string;
  let browser: Browser;
  let names: Map<string, string>;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '600000' });
    admin = await login(server.url);
    expect((await send(server.url, admin, 'POST', '/api/users', { ...SUP, role: 'supervisor' })).status).toBe(201);
    expect((await send(server.url, admin, 'PUT', '/api/roster', { shifts: [{ user: SUP.username, level: 'supervisor' }], ackTimeoutMinutes: 30 })).status).toBe(200);
    names = new Map((await getJson<ReferenceData>(server.url, '/api/reference', admin)).body.units.map((u) => [u.id, u.name]));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  async function console_(noVoices: boolean): Promise<TrackedPage> {
    const p = await openPage(browser, { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await p.context.addInitScript({ content: `${noVoices ? 'window.__noVoices = true;' : ''}${SPY}` });
    await p.page.goto(`${server.url}/supervisor?voiceEvery=2`);
    await p.page.fill('input[name=username]', SUP.username);
    await p.page.fill('input[name=password]', SUP.password);
    await p.page.click('button[type=submit]');
    await p.page.locator('[data-testid=unlock-button]').click();
    await p.page.locator('[data-testid=link-state].live').waitFor({ timeout: 10_000 });
    return p;
  }

  it('the console speaks a new alarm in Chinese, every 2 s, until it is acknowledged', async () => {
    const p = await console_(false);
    const order = orderWithSignLimit('ruian.police', SIGN_MIN);
    const text = `${names.get('ruian.police')} 签收超时`;
    await postFeed(server.url, order.events);
    await p.page.locator('[data-testid=alarm-popup]').waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await spoken(p)).filter((t) => t === text).length, { timeout: 2000 }).toBe(1);
    expect(await p.page.textContent('header')).toContain('语音播报已开启');
    await expect.poll(async () => (await spoken(p)).filter((t) => t === text).length, { timeout: 5000, interval: 100 }).toBeGreaterThanOrEqual(3);
    await p.page.click('[data-testid=ack-button]');
    await p.page.locator('[data-testid=alarm-popup]').waitFor({ state: 'detached', timeout: 5000 });
    const after = (await spoken(p)).filter((t) => t === text).length;
    await sleep(4500);
    expect((await spoken(p)).filter((t) => t === text).length).toBe(after);
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it('with no Chinese voice: the tone instead, and the console says so', async () => {
    const p = await console_(true);
    await p.page.locator('[data-testid=voice-fallback]').waitFor({ timeout: 3000 });
    const before = await p.page.evaluate(() => (window as unknown as { __beeps: number }).__beeps);
    const order = orderWithSignLimit('ruian.fire', SIGN_MIN);
    await postFeed(server.url, order.events);
    await p.page.locator('[data-testid=alarm-popup]').waitFor({ timeout: 10_000 });
    await sleep(2500);
    expect(await spoken(p)).toEqual([]);
    // The popup's two-tone beep (4 oscillators) and at least one repetition tone (2) since.
    expect((await p.page.evaluate(() => (window as unknown as { __beeps: number }).__beeps)) - before).toBeGreaterThanOrEqual(6);
    await p.page.click('[data-testid=ack-button]');
    await p.close();
  });

  it('the wall speaks only with ?voice=1, after its click, and stops on acknowledgement', async () => {
    const p = await openPage(browser);
    await p.context.addInitScript({ content: SPY });
    await gotoWithToken(p.page, server.url, `/?voice=1&voiceEvery=2`, admin);
    await p.page.locator('[data-testid=voice-unlock]').click();
    const order = orderWithSignLimit('yueqing.water', SIGN_MIN);
    const text = `${names.get('yueqing.water')} 签收超时`;
    await postFeed(server.url, order.events);
    await expect.poll(async () => (await spoken(p)).filter((t) => t === text).length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    const alarms = await getJson<Array<{ id: string; order: string }>>(server.url, '/api/alarms', admin);
    await send(server.url, admin, 'POST', `/api/alarms/${alarms.body.find((a) => a.order === order.order)!.id}/ack`, {});
    await p.page.locator(`[data-testid=overdue-item][data-order="${order.order}"] [data-testid=overdue-ack]`).waitFor({ timeout: 5000 });
    const after = (await spoken(p)).filter((t) => t === text).length;
    await sleep(4500);
    expect((await spoken(p)).filter((t) => t === text).length).toBe(after);
    await p.close();

    const quiet = await openPage(browser);
    await quiet.context.addInitScript({ content: SPY });
    await gotoWithToken(quiet.page, server.url, `/`, admin);
    expect(await quiet.page.locator('[data-testid=voice-unlock]').count()).toBe(0);
    await quiet.close();
  });
});

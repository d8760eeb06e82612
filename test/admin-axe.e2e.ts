import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, storeToken, type TrackedPage } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { ADMIN_PASSWORD, login, startServer, type RunningServer } from './support/server.js';

// The pages staff work in besides /admin (admin-console.e2e.ts checks those): the supervisor
// console and the bulletin, with no serious or critical axe violation.

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('accessibility of the console and the bulletin', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let browser: Browser;
  let tracked: TrackedPage;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    browser = await launchBrowser();
    tracked = await openPage(browser, { viewport: { width: 1366, height: 768 } });
  });
  afterAll(async () => {
    await tracked?.close();
    await browser?.close();
    await server?.stop();
    await redis?.cleanup();
  });

  it('the supervisor console, logged in', async () => {
    const { page } = tracked;
    await page.goto(`${server.url}/supervisor`);
    expect(await seriousViolations(page), 'login form').toEqual([]);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByTestId('supervisor-console').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the bulletin', async () => {
    const { page } = tracked;
    await storeToken(page, server.url, await login(server.url));
    await page.goto(`${server.url}/bulletin?month=2020-08`);
    await page.getByTestId('bulletin-title').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

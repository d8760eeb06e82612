import { WALL_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@wall/shared';
import type { Browser } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../server/src/redis/embedded-redis.js';
import { launchBrowser, openPage, screenshot, waitForWallSeq, type TrackedPage, gotoWithToken } from './support/browser.js';
import { startNginx, type RunningNginx } from './support/nginx.js';
import { startTestRedis } from './support/redis.js';
import { login, postFeed, startServer, startWorkerProcess, type RunningServer, type RunningWorker } from './support/server.js';
import { until } from './support/wait.js';

// The nginx config that docker/compose.yml mounts (docker/nginx/templates), run by Debian's
// nginx in front of two API instances (DEADLINE_WORKER=off) and a worker, as compose starts
// them. The instance holding the walls is killed with -9 under a live feed.

const METRICS_TOKEN = 'metrics-token-0123456789';

async function wallSockets(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(/^wall_sockets\{namespace="\/wall"\} (\d+)$/m.exec(text)?.[1] ?? 'NaN');
}

describe('walls through the shipped nginx config when an instance dies', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let a: RunningServer;
  let b: RunningServer;
  let worker: RunningWorker;
  let nginx: RunningNginx;
  let browser: Browser;
  let wallPage: TrackedPage | undefined;
  let token: string;

  beforeAll(async () => {
    redis = await startTestRedis({ fsync: 'always' });
    const env = { DEADLINE_WORKER: 'off', METRICS_TOKEN };
    [a, b, worker] = await Promise.all([startServer(redis.url, env), startServer(redis.url, env), startWorkerProcess({ REDIS_URL: redis.url })]);
    const port = await freePort();
    nginx = await startNginx({ WALL_LISTEN: `127.0.0.1:${port}`, WALL_API_1: `127.0.0.1:${a.port}`, WALL_API_2: `127.0.0.1:${b.port}` }, port);
    browser = await launchBrowser();
    token = await login(nginx.url);
  });
  afterAll(async () => {
    await wallPage?.close();
    await browser?.close();
    await nginx?.stop();
    await Promise.all([a?.stop(), b?.stop(), worker?.stop()]);
    await redis?.cleanup();
  });

  it('serves the client, its hashed assets cached by nginx', async () => {
    const index = await fetch(`${nginx.url}/`);
    expect(index.status).toBe(200);
    const asset = /\/assets\/[^"]+\.js/.exec(await index.text())?.[0];
    expect(asset).toBeDefined();
    const first = await fetch(`${nginx.url}${asset}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache-status')).toBe('MISS');
    await first.arrayBuffer();
    // nginx commits the entry just after the last byte went out.
    const hit = await until(async () => {
      const again = await fetch(`${nginx.url}${asset}`);
      await again.arrayBuffer();
      return again.headers.get('x-cache-status') === 'HIT' ? again : undefined;
    }, 2000);
    expect(hit, nginx.errors()).toBeDefined();
    expect(hit!.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('walls on the killed instance reconnect through nginx to the other and resync, without a reload; nothing acknowledged is lost', async () => {
    // A polling-only socket: every request of its session must reach the same instance.
    const polling: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${nginx.url}${WALL_NAMESPACE}`, {
      auth: { token },
      transports: ['polling'],
      forceNew: true,
      reconnectionDelayMax: 1000,
    });
    let pollingSeq = -1;
    polling.on('snapshot', (s) => (pollingSeq = s.seq));
    polling.on('delta', (d) => (pollingSeq = d.seq));
    wallPage = await openPage(browser);
    const page = wallPage.page;
    await gotoWithToken(page, nginx.url, `/`, token);
    await waitForWallSeq(page, 0);
    await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
    expect(await until(async () => (pollingSeq >= 0 ? true : undefined), 5000)).toBe(true);

    // nginx hashes by client address: every client here is 127.0.0.1, so all are on one instance.
    const onA = await wallSockets(a.url);
    const onB = await wallSockets(b.url);
    expect(onA + onB).toBe(2);
    expect(Math.min(onA, onB)).toBe(0);
    const [victim, survivor] = onA === 2 ? [a, b] : [b, a];

    // A live feed through nginx: a batch every 100 ms, each sent again until acknowledged.
    const acknowledged = new Set<string>();
    let failures = 0;
    let running = true;
    let k = 0;
    const feed = (async () => {
      while (running) {
        const at = new Date().toISOString();
        const batch = Array.from({ length: 5 }, () => {
          const id = `ng-${k++}`;
          return { id, type: 'incident.reported', at, incident: `inc-${id}`, center: 'ouhai', kind: 'alarm', category: '测试' };
        });
        for (;;) {
          const res = await postFeed(nginx.url, batch).catch(() => ({ status: 0 }));
          if (res.status === 200) break;
          failures++;
          await new Promise((r) => setTimeout(r, 100));
        }
        for (const e of batch) acknowledged.add(e.id);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await until(async () => (acknowledged.size >= 50 ? true : undefined), 10_000);
    await waitForWallSeq(page, 50);

    await victim.stop('SIGKILL');
    await until(async () => (acknowledged.size >= 150 ? true : undefined), 20_000);
    running = false;
    await feed;
    const survivorHealth = (await (await fetch(`${survivor.url}/api/health`)).json()) as { seq: number };
    expect(survivorHealth.seq).toBe(acknowledged.size);

    // The page and the polling socket are back, live on the survivor, at the last seq.
    await waitForWallSeq(page, acknowledged.size, 20_000);
    expect(await until(async () => (pollingSeq === acknowledged.size ? true : undefined), 10_000)).toBe(true);
    expect(await wallSockets(survivor.url)).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    const today = await page.evaluate(() => (window as unknown as { __wall: { sections: { kpi: { today: number } } } }).__wall.sections.kpi.today);
    expect(today).toBe(acknowledged.size);
    await screenshot(page, 'nginx-after-failover');
    polling.close();
    console.log(`nginx failover: ${acknowledged.size} events acknowledged, ${failures} sends retried while the instance died`);
  });
});

import { WALL_NAMESPACE, type Alarm, type ClientToServerEvents, type ServerToClientEvents } from '@wall/shared';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENTINEL_NAME, startSentinelSet, type SentinelSet } from './support/sentinel.js';
import { login, postFeed, startServer, startWorkerProcess, type RunningServer, type RunningWorker } from './support/server.js';
import { until } from './support/wait.js';
import { orderWithSignLimit } from './support/orders.js';

// Redis Sentinel with Debian's redis-sentinel: one primary, one replica, three sentinels on
// loopback. An API instance (DEADLINE_WORKER=off) and `npm run worker` find the primary through
// the sentinels; the primary is killed with -9 under a live feed, and restarted (as a service
// manager would) once the replica has taken over, so that it rejoins as the new replica.

const SIGN_MIN = 0.05; // 3 s

describe('Redis Sentinel failover under a live feed', () => {
  let set: SentinelSet;
  let api: RunningServer;
  let worker: RunningWorker;
  let token: string;

  beforeAll(async () => {
    set = await startSentinelSet();
    const redisEnv = { REDIS_SENTINELS: set.sentinels, REDIS_SENTINEL_NAME: SENTINEL_NAME };
    [api, worker] = await Promise.all([
      startServer('', { ...redisEnv, DEADLINE_WORKER: 'off', FEED_WAIT_REPLICAS: '1' }),
      startWorkerProcess(redisEnv, { SWEEP_INTERVAL_MS: '1000' }),
    ]);
    token = await login(api.url);
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await set?.stop();
  });

  it('answers 503 only during the switch, loses no acknowledged event, and walls and workers carry on', async () => {
    const wall: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${api.url}${WALL_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelayMax: 1000,
    });
    let wallSeq = -1;
    wall.on('snapshot', (s) => (wallSeq = s.seq));
    wall.on('delta', (d) => (wallSeq = d.seq));
    await until(async () => (wallSeq >= 0 ? true : undefined), 5000);

    const answers: Array<{ at: number; status: number }> = [];
    const acknowledged = new Set<string>();
    let running = true;
    let k = 0;
    const feed = (async () => {
      while (running) {
        const at = new Date().toISOString();
        const batch = Array.from({ length: 3 }, () => {
          const id = `sf-${k++}`;
          return { id, type: 'incident.reported', at, incident: `inc-${id}`, center: 'ouhai', kind: 'alarm', category: '测试' };
        });
        for (;;) {
          const res = await postFeed(api.url, batch).catch(() => ({ status: 0 }));
          answers.push({ at: Date.now(), status: res.status });
          if (res.status === 200) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        for (const e of batch) acknowledged.add(e.id);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    // Orders whose limits fall due in the middle of the switch.
    const before = [orderWithSignLimit('ruian.power', SIGN_MIN), orderWithSignLimit('ruian.power', SIGN_MIN)];
    expect(
      (
        await postFeed(
          api.url,
          before.flatMap((o) => o.events),
        )
      ).status,
    ).toBe(200);
    await until(async () => (acknowledged.size >= 30 ? true : undefined), 10_000);

    const oldPort = await set.killPrimary();
    const killedAt = Date.now();
    const switched = await until(async () => {
      const port = await set.primaryPort();
      return port !== oldPort ? port : undefined;
    }, 20_000);
    expect(switched).toBe(set.ports.replica);
    const switchedAt = Date.now();
    await set.restart(oldPort);

    // Back to 200, then orders dispatched after the failover: the worker must raise them on time.
    await until(async () => (answers.at(-1)?.status === 200 && answers.at(-1)!.at > switchedAt ? true : undefined), 20_000);
    const recoveredAt = Date.now();
    const after = [orderWithSignLimit('ruian.power', SIGN_MIN), orderWithSignLimit('ruian.power', SIGN_MIN)];
    const posted = await until(
      async () =>
        (
          await postFeed(
            api.url,
            after.flatMap((o) => o.events),
          )
        ).status === 200
          ? true
          : undefined,
      10_000,
    );
    expect(posted).toBe(true);
    await new Promise((r) => setTimeout(r, SIGN_MIN * 60_000 + 1500));
    running = false;
    await feed;

    const failures = answers.filter((a) => a.status !== 200);
    console.log(
      `sentinel failover: switch took ${switchedAt - killedAt} ms, feed back after ${recoveredAt - killedAt} ms; ${failures.length} answers not 200 (${[...new Set(failures.map((f) => f.status))].join(', ')}); ${acknowledged.size} events acknowledged`,
    );
    // Only 503 (never a 500 or a dropped connection), and only between the kill and the recovery.
    expect(failures.every((f) => f.status === 503)).toBe(true);
    expect(failures.every((f) => f.at >= killedAt && f.at <= recoveredAt)).toBe(true);

    // Nothing acknowledged is lost: the new primary's log holds every acknowledged event.
    const primary = new Redis(switched!, '127.0.0.1');
    const stored = new Set<string>();
    for (const [, fields] of (await primary.xrange('wall:events', '-', '+')) as Array<[string, string[]]>) {
      stored.add((JSON.parse(fields[fields.indexOf('e') + 1]!) as { id: string }).id);
    }
    primary.disconnect();
    const lost = [...acknowledged].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);

    // The wall, still connected to its instance, caught up by itself.
    const health = (await (await fetch(`${api.url}/api/health`)).json()) as { seq: number };
    expect(await until(async () => (wallSeq === health.seq ? true : undefined), 10_000)).toBe(true);

    // The worker kept raising alarms: one each, including the orders dispatched after the switch, on time.
    const alarms = (await (await fetch(`${api.url}/api/alarms?state=all`, { headers: { authorization: `Bearer ${token}` } })).json()) as Alarm[];
    for (const o of [...before, ...after]) expect(alarms.filter((a) => a.order === o.order)).toHaveLength(1);
    for (const o of after) {
      const alarm = alarms.find((a) => a.order === o.order)!;
      expect(Date.parse(alarm.raisedAt) - o.due).toBeLessThan(1000);
    }
    wall.close();
  });
});

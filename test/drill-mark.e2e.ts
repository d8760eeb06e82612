import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';

// An admin marks an incident as a drill after the fact: it leaves the annexes, joins the
// drill table, and the decision is audited and survives a restart (it is in the event log).

type Report = { total: { incidents: number }; centers: Array<{ center: string; incidents: number }> };
type Drill = { incident: string; arrivals: Array<{ unitType: string; seconds: number | null; late: boolean }>; lateCount: number };

describe('marking a drill afterwards', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let token: string;
  const at = (min: number) => new Date(Date.UTC(2020, 7, 25, 1, 0) + min * 60_000).toISOString();

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    token = await login(server.url);
    await postFeed(server.url, [
      { id: 'r1', type: 'incident.reported', at: at(0), incident: 'i1', center: 'ouhai', kind: 'alarm', category: '模拟报警' },
      { id: 'd1', type: 'order.dispatched', at: at(1), incident: 'i1', order: 'o1', unit: 'ouhai.police' },
      { id: 'a1', type: 'order.arrived', at: at(4), incident: 'i1', order: 'o1' },
      { id: 'd2', type: 'order.dispatched', at: at(1), incident: 'i1', order: 'o2', unit: 'ouhai.ecology' },
      { id: 'a2', type: 'order.arrived', at: at(28.5), incident: 'i1', order: 'o2' },
      { id: 'r2', type: 'incident.reported', at: at(3), incident: 'i2', center: 'ouhai', kind: 'help', category: '急救' },
    ]);
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  const mark = (incident: string, drill: unknown) =>
    fetch(`${server.url}/api/incidents/${incident}/drill`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ drill }),
    });

  it('moves the incident from the annexes to the drill table, audited, and keeps it after a restart', async () => {
    const before = await getJson<Report>(server.url, '/api/reports/monthly?month=2020-08', token);
    // 瓯海's own row (shown under 市本级, so not in 合计).
    expect(before.body.centers.find((c) => c.center === 'ouhai')?.incidents).toBe(2);
    expect((await mark('i1', 'yes')).status).toBe(400);
    expect((await mark('nope', true)).status).toBe(404);
    expect((await mark('i1', true)).status).toBe(200);

    const check = async () => {
      const report = await getJson<Report>(server.url, '/api/reports/monthly?month=2020-08', token);
      expect(report.body.centers.find((c) => c.center === 'ouhai')?.incidents).toBe(1);
      const drills = await getJson<Drill[]>(server.url, '/api/reports/drills?month=2020-08', token);
      expect(drills.body).toHaveLength(1);
      expect(drills.body[0]).toMatchObject({ incident: 'i1', lateCount: 1 });
      expect(drills.body[0]!.arrivals.map((a) => [a.unitType, a.seconds, a.late])).toEqual([
        ['ecology', 1650, true],
        ['police', 180, false],
      ]);
    };
    await check();
    const audit = await getJson<Array<{ action: string; who: string; detail: { incident: string } }>>(server.url, '/api/audit?action=incident.mark', token);
    expect(audit.body[0]).toMatchObject({ who: 'admin', detail: { incident: 'i1' } });

    await server.stop();
    server = await startServer(redis.url, {}, server.port);
    token = await login(server.url);
    await check();

    expect((await mark('i1', false)).status).toBe(200);
    expect((await getJson<Report>(server.url, '/api/reports/monthly?month=2020-08', token)).body.centers.find((c) => c.center === 'ouhai')?.incidents).toBe(2);
  });
});

import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Alarm, ReferenceData } from '@wall/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../server/src/redis/embedded-redis.js';
import { startTestRedis } from './support/redis.js';
import { getJson, login, postFeed, startServer, type RunningServer } from './support/server.js';
import { orderWithSignLimit } from './support/orders.js';

// Work notifications with receipts, against a real local HTTP receiver, the built server and a
// real Redis and BullMQ: a DingTalk-style robot that checks the signature gets one message per
// popup (and one per escalation) within 2 s; a receiver that answers 500 twice gets it on the
// third attempt; a server stopped between a failed attempt and its retry loses nothing and
// sends nothing twice.

const SIGN_MIN = 0.05; // 3 s
const SECRET = 'SECtest-0123456789abcdef';

interface Received {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  at: number;
  signOk: boolean | null;
  answered: number;
}

/** A receiver: DingTalk robots under /ding/ (signature checked), scripted failures elsewhere. */
class Receiver {
  readonly got: Received[] = [];
  /** Status codes to answer, in turn, per path; then 200. */
  readonly script = new Map<string, number[]>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    const port = await freePort();
    this.server = createServer(
      (req, res) => void this.handle(req).then(({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))),
    );
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${port}`;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url!, this.url);
    let signOk: boolean | null = null;
    if (u.pathname.startsWith('/ding/')) {
      const ts = u.searchParams.get('timestamp');
      const expected = createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');
      // DingTalk's own rule: the timestamp within an hour of now, the sign matching.
      signOk =
        ts !== null && Math.abs(Date.now() - Number(ts)) < 3600_000 && u.searchParams.get('sign') === expected && (req.url ?? '').includes(`sign=${encodeURIComponent(expected)}`);
    }
    const queue = this.script.get(u.pathname);
    const status = queue?.length ? queue.shift()! : 200;
    this.got.push({ path: u.pathname, query: u.searchParams, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), at: Date.now(), signOk, answered: status });
    if (signOk === false) return { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } };
    return { status, body: status === 200 ? { errcode: 0, errmsg: 'ok' } : { error: 'scripted failure' } };
  }

  on(path: string): Received[] {
    return this.got.filter((g) => g.path === path);
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function send(url: string, token: string, method: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('work notifications with receipts', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let admin: string;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    redis = await startTestRedis();
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '600000' });
    admin = await login(server.url);
    const users = [
      { username: 'ra-sup', scope: { centers: ['ruian'] } },
      { username: 'boss' },
      { username: 'cn-sup', scope: { centers: ['cangnan'] } },
      { username: 'py-sup', scope: { centers: ['pingyang'] } },
    ];
    for (const u of users) expect((await send(server.url, admin, 'POST', '/api/users', { ...u, password: `${u.username}-pass-1`, role: 'supervisor' })).status).toBe(201);
    const put = await send(server.url, admin, 'PUT', '/api/roster', {
      shifts: [
        { user: 'ra-sup', level: 'supervisor', centers: ['ruian'] },
        { user: 'cn-sup', level: 'supervisor', centers: ['cangnan'] },
        { user: 'py-sup', level: 'supervisor', centers: ['pingyang'] },
        { user: 'boss', level: 'leader', centers: ['ruian'] },
      ],
      ackTimeoutMinutes: 0.05,
      contacts: {
        'ra-sup': { webhooks: [{ kind: 'dingtalk', url: `${receiver.url}/ding/ra-sup?access_token=tok-ra`, secret: SECRET }] },
        boss: { webhooks: [{ kind: 'dingtalk', url: `${receiver.url}/ding/boss?access_token=tok-boss`, secret: SECRET }] },
        'cn-sup': {
          webhooks: [
            { kind: 'json', url: `${receiver.url}/flaky` },
            { kind: 'json', url: `${receiver.url}/steady` },
          ],
        },
        'py-sup': { webhooks: [{ kind: 'wecom', url: `${receiver.url}/restart` }] },
      },
    });
    expect(put.status).toBe(200);
    expect(put.text).not.toContain(SECRET);
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
    await receiver.stop();
  });

  async function stored(order: string): Promise<Alarm> {
    const all = await getJson<Alarm[]>(server.url, '/api/alarms?state=all', admin);
    return all.body.find((a) => a.order === order)!;
  }

  it('GET /api/roster never returns a secret, and a PUT of what it returned keeps them', async () => {
    const got = await fetch(`${server.url}/api/roster`, { headers: { authorization: `Bearer ${admin}` } });
    const text = await got.text();
    expect(text).not.toContain(SECRET);
    const roster = JSON.parse(text) as { contacts: Record<string, { webhooks: Array<{ hasSecret?: boolean }> }> };
    expect(roster.contacts['ra-sup']!.webhooks[0]!.hasSecret).toBe(true);
    expect((await send(server.url, admin, 'PUT', '/api/roster', roster)).status).toBe(200);
    // The signed messages of the next test prove the secret was kept.
  });

  it('a signed DingTalk message per popup within 2 s of the due time, and one more for the escalation to the leader', async () => {
    const order = orderWithSignLimit('ruian.police', SIGN_MIN);
    expect((await postFeed(server.url, order.events)).body.accepted).toBe(2);
    await expect.poll(() => receiver.on('/ding/ra-sup').length, { timeout: 10_000, interval: 50 }).toBe(1);
    const first = receiver.on('/ding/ra-sup')[0]!;
    console.log(`dingtalk message ${first.at - order.due} ms after the due time`);
    expect(first.at - order.due).toBeGreaterThanOrEqual(0);
    expect(first.at - order.due).toBeLessThan(2000);
    expect(first.signOk).toBe(true);
    expect(first.query.get('access_token')).toBe('tok-ra');
    const ref = await getJson<ReferenceData>(server.url, '/api/reference', admin);
    const unit = ref.body.units.find((u) => u.id === 'ruian.police')!.name;
    const center = ref.body.centers.find((c) => c.id === 'ruian')!.name;
    expect(first.body).toMatchObject({ msgtype: 'markdown', markdown: { title: `逾期告警：${unit} 签收超时` } });
    const text = (first.body['markdown'] as { text: string }).text;
    const dueText = new Date(order.due + 8 * 3600_000).toISOString().slice(5, 19).replace('T', ' ');
    for (const part of [`单位：${unit}`, `中心：${center}`, '时限：签收', `应于：${dueText}`, '已逾期：0 分钟']) expect(text).toContain(part);

    // Not acknowledged: the leader's robot gets the escalation, with a text of its own.
    await expect.poll(() => receiver.on('/ding/boss').length, { timeout: 10_000, interval: 50 }).toBe(1);
    const second = receiver.on('/ding/boss')[0]!;
    expect(second.signOk).toBe(true);
    expect((second.body['markdown'] as { text: string }).text).not.toBe(text);
    expect((second.body['markdown'] as { text: string }).text).toContain('第 1 级升级');

    const alarm = await stored(order.order);
    expect(alarm.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: 'ra-sup', level: 0, kind: 'dingtalk', ok: true, status: 200, attempts: 1 }),
        expect.objectContaining({ user: 'boss', level: 1, kind: 'dingtalk', ok: true, status: 200, attempts: 1 }),
      ]),
    );
    const audit = await getJson<Array<{ detail: Record<string, unknown> }>>(server.url, '/api/audit?action=alarm.notify', admin);
    expect(
      audit.body
        .filter((e) => e.detail['id'] === alarm.id)
        .map((e) => e.detail['user'])
        .sort(),
    ).toEqual(['boss', 'ra-sup']);
    // Acknowledge so escalation stops; nothing more is sent.
    await send(server.url, admin, 'POST', `/api/alarms/${alarm.id}/ack`, {});
    await sleep(4000);
    expect(receiver.on('/ding/ra-sup')).toHaveLength(1);
    expect(receiver.on('/ding/boss')).toHaveLength(1);
  });

  it('a receiver answering 500 twice gets the message on the third attempt, and only then; the webhook that took it at once never gets it twice', async () => {
    receiver.script.set('/flaky', [500, 500]);
    const order = orderWithSignLimit('cangnan.water', SIGN_MIN);
    expect((await postFeed(server.url, order.events)).body.accepted).toBe(2);
    // Level 0 only: an escalation (3 s) would page the same supervisor again, at level 1.
    const level0 = () => receiver.on('/flaky').filter((g) => g.body['level'] === 0);
    await expect.poll(() => level0().length, { timeout: 15_000, interval: 50 }).toBe(3);
    const got = level0();
    expect(got.map((g) => g.answered)).toEqual([500, 500, 200]);
    // Backoff between the attempts: 0.5 s, then 1 s.
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(400);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(got[1]!.at - got[0]!.at);
    expect(got[0]!.body).toMatchObject({ type: 'alarm', recipient: 'cn-sup', level: 0, alarm: { order: order.order } });
    await expect
      .poll(async () => (await stored(order.order)).deliveries?.find((d) => d.level === 0), { timeout: 3000 })
      .toMatchObject({ user: 'cn-sup', ok: true, status: 200, attempts: 3 });
    const failed = await getJson<Array<{ detail: Record<string, unknown> }>>(server.url, '/api/audit?action=alarm.notify.failed', admin);
    expect(
      failed.body
        .filter((e) => e.detail['user'] === 'cn-sup' && e.detail['level'] === 0)
        .map((e) => [e.detail['status'], e.detail['attempts']])
        .sort(),
    ).toEqual([
      [500, 1],
      [500, 2],
    ]);
    const alarm = await stored(order.order);
    await send(server.url, admin, 'POST', `/api/alarms/${alarm.id}/ack`, {});
    await sleep(500);
    const sent = receiver.on('/flaky').length;
    await sleep(2000);
    expect(level0()).toHaveLength(3);
    expect(receiver.on('/flaky')).toHaveLength(sent);
    // The recipient's other webhook took the first attempt: the retries never sent it again.
    expect(receiver.on('/steady').filter((g) => g.body['level'] === 0)).toHaveLength(1);
  });

  it('a server stopped between a failed attempt and its retry loses nothing and sends nothing twice', async () => {
    receiver.script.set('/restart', [500]);
    const order = orderWithSignLimit('pingyang.power', SIGN_MIN);
    // The level-0 messages of this alarm (an escalation would add its own, level 1).
    const level0 = () => receiver.on('/restart').filter((g) => (g.body['markdown'] as { content: string }).content.includes('·0'));
    expect((await postFeed(server.url, order.events)).body.accepted).toBe(2);
    await expect.poll(() => receiver.on('/restart').length, { timeout: 10_000, interval: 20 }).toBe(1);
    await server.stop();
    const stoppedAt = Date.now();
    await sleep(1500);
    // Nobody to send while it is down.
    expect(receiver.on('/restart')).toHaveLength(1);
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '600000' }, server.port);
    admin = await login(server.url);
    await expect.poll(() => level0().length, { timeout: 10_000, interval: 50 }).toBe(2);
    expect(level0()[1]!.at).toBeGreaterThan(stoppedAt);
    expect(level0().map((g) => g.answered)).toEqual([500, 200]);
    expect(level0()[1]!.body).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('平阳') } });
    await expect
      .poll(async () => (await stored(order.order)).deliveries?.find((d) => d.level === 0), { timeout: 3000 })
      .toMatchObject({ user: 'py-sup', ok: true, status: 200, attempts: 2 });
    // Acknowledged, then restarted once more: nothing is sent again.
    const alarm = await stored(order.order);
    await send(server.url, admin, 'POST', `/api/alarms/${alarm.id}/ack`, {});
    await sleep(500);
    const before = receiver.on('/restart').length;
    const receipts = (await stored(order.order)).deliveries!.length;
    await server.stop();
    server = await startServer(redis.url, { SWEEP_INTERVAL_MS: '1000' }, server.port);
    admin = await login(server.url);
    await sleep(3000);
    expect(receiver.on('/restart')).toHaveLength(before);
    expect(level0()).toHaveLength(2);
    expect((await stored(order.order)).deliveries).toHaveLength(receipts);
  });
});

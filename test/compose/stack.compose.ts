import { SUPERVISOR_NAMESPACE, WALL_NAMESPACE, type AlarmChange, type WallSnapshot } from '@wall/shared';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/src/redis/embedded-redis.js';
import { orderWithSignLimit, send } from '../support/orders.js';
import { root, run } from '../support/release.js';
import { login, postFeed } from '../support/server.js';
import { until } from '../support/wait.js';

// Issue 27: docker/compose.yml up for real under podman-compose (npm run test:compose): the
// image built from docker/Dockerfile, Redis, two APIs, the worker and nginx healthy; the feed
// through nginx reaches a wall through nginx; a missed limit pages a console; one API killed,
// the wall comes back through nginx and every acknowledged event is stored. The compose file
// is the shipped one on podman's bridge network (service names as in production); only the
// published port and the secrets come from the environment. On a machine without a registry
// the base images are docker/test/standin-images.sh's stand-ins.

const PROJECT = `walltest${process.pid}`;
const IMAGE = 'localhost/wall:compose-test';
// podman-compose 1.0.3 knows no profiles: the monitoring profile's Prometheus is named here.
const SERVICES = ['redis', 'api-1', 'api-2', 'worker', 'nginx', 'prometheus'];
const ALERTS = [
  'WallFeedSilent',
  'WallDeadlineWorkerDown',
  'WallAlarmsUnreached',
  'WallAlarmLateness',
  'WallTailLag',
  'WallNotReady',
  'WallWebhookFailures',
  'WallRedisMemoryHigh',
];
const SECRETS = {
  REDIS_PASSWORD: 'compose-redis-password-0123',
  FEED_TOKEN: 'compose-feed-token-0123456789',
  JWT_SECRET: 'compose-jwt-secret-0123456789-0123456789',
  ADMIN_PASSWORD: 'compose-admin-pass-1',
  METRICS_TOKEN: 'compose-metrics-token-0123',
};
const FEED = { token: SECRETS.FEED_TOKEN };

async function ok(cmd: string, args: string[], env?: NodeJS.ProcessEnv) {
  const r = await run(cmd, args, root, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${r.out.slice(-4000)}`);
  return r;
}

/** The stack's containers by service, from podman-compose's labels. */
async function containers(): Promise<Record<string, string>> {
  const r = await ok('podman', ['ps', '-a', '--filter', `label=io.podman.compose.project=${PROJECT}`, '--format', '{{.Names}} {{.Labels}}']);
  const out: Record<string, string> = {};
  for (const line of r.out.split('\n').filter(Boolean)) {
    const name = line.split(' ')[0]!;
    const service = /com\.docker\.compose\.service:([^\s\]]+)/.exec(line)?.[1];
    if (service) out[service] = name;
  }
  return out;
}

/** An API container's own address on the compose network: the host reaches it there, nginx by name. */
async function addressOf(container: string): Promise<string> {
  return (await ok('podman', ['inspect', container, '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}'])).out.trim();
}

async function wallSockets(container: string): Promise<number> {
  const address = await addressOf(container);
  const res = await fetch(`http://${address}:3000/metrics`, { headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } });
  const text = await res.text();
  const count = /^wall_sockets\{namespace="\/wall"\} (\d+)$/m.exec(text)?.[1];
  if (count === undefined) throw new Error(`${container} (${address}) /metrics ${res.status}: ${text.slice(0, 300)}`);
  return Number(count);
}

describe('the compose stack under podman-compose', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wall-compose-'));
  const file = join(root, 'docker/compose.yml');
  let env: NodeJS.ProcessEnv | undefined;
  let url: string;
  let prometheus: string;
  let admin: string;
  let names: Record<string, string>;
  const measured: Record<string, number | string> = {};

  beforeAll(async () => {
    await ok('bash', ['docker/test/standin-images.sh']);
    const build = await ok('podman', ['build', '--format', 'docker', '--network', 'host', '-f', 'docker/Dockerfile', '-t', IMAGE, '.']);
    measured.imageBuildSeconds = build.ms / 1000;
    measured.imageBytes = Number((await ok('podman', ['image', 'inspect', IMAGE, '--format', '{{.Size}}'])).out.trim());
    // The name podman-compose gives a service's built image: the one build serves all three.
    for (const service of ['api-1', 'api-2', 'worker']) await ok('podman', ['tag', IMAGE, `localhost/${PROJECT}_${service}:latest`]);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const promPort = await freePort();
    prometheus = `http://127.0.0.1:${promPort}`;
    // The secret is bind-mounted as it is: readable by Prometheus's user (nobody) only.
    writeFileSync(join(tmp, 'metrics_token'), SECRETS.METRICS_TOKEN, { mode: 0o400 });
    chownSync(join(tmp, 'metrics_token'), 65534, 65534);
    env = { ...process.env, ...SECRETS, METRICS_TOKEN_FILE: join(tmp, 'metrics_token'), WALL_HTTP_PORT: String(port), PROMETHEUS_PORT: String(promPort) };
    const started = Date.now();
    await ok('podman-compose', ['-p', PROJECT, '-f', file, 'up', '-d', '--no-build', ...SERVICES], env);
    names = await containers();
    // podman-compose 1.0.3 answers 0 even when a container could not be created.
    expect(Object.keys(names).sort(), 'containers created').toEqual([...SERVICES].sort());
    // podman runs healthchecks from systemd timers, which a container host need not have:
    // the image's and compose's own checks are run here until each passes.
    const healthy = await until(
      async () => {
        for (const service of ['redis', 'api-1', 'api-2', 'worker']) if ((await run('podman', ['healthcheck', 'run', names[service]!], root)).code !== 0) return undefined;
        const ready = await fetch(`${url}/api/health/ready`).then(
          (r) => r.status,
          () => 0,
        );
        return ready === 200 ? true : undefined;
      },
      180_000,
      1000,
    );
    measured.stackStartSeconds = (Date.now() - started) / 1000;
    if (!healthy) throw new Error(`the stack did not become healthy in 180 s:\n${(await run('podman-compose', ['-p', PROJECT, '-f', file, 'logs'], root, env)).out.slice(-6000)}`);
    admin = await login(url, 'admin', SECRETS.ADMIN_PASSWORD);
    console.log(`compose: ${JSON.stringify(measured)}`);
  }, 1_200_000);

  afterAll(async () => {
    if (env) await run('podman-compose', ['-p', PROJECT, '-f', file, 'down', '-v'], root, env);
    // Whatever down left (a container it did not know of after a failed up).
    const left = await run('podman', ['ps', '-aq', '--filter', `label=io.podman.compose.project=${PROJECT}`], root);
    for (const id of left.out.split('\n').filter(Boolean)) await run('podman', ['rm', '-f', id], root);
    for (const service of ['api-1', 'api-2', 'worker']) await run('podman', ['rmi', `localhost/${PROJECT}_${service}:latest`], root);
    await run('podman', ['network', 'rm', `${PROJECT}_default`], root);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it('runs every service, healthy, the product as uid 1000', async () => {
    expect(Object.keys(names).sort()).toEqual([...SERVICES].sort());
    for (const service of ['redis', 'api-1', 'api-2', 'worker']) {
      const status = (await ok('podman', ['inspect', names[service]!, '--format', '{{.State.Health.Status}}'])).out.trim();
      expect(status, service).toBe('healthy');
    }
    for (const service of ['api-1', 'api-2', 'worker']) expect((await ok('podman', ['exec', names[service]!, 'id', '-u'])).out.trim(), service).toBe('1000');
    const ready = (await (await fetch(`${url}/api/health/ready`)).json()) as { worker: string; node: string };
    expect(ready).toMatchObject({ status: 'ok', worker: 'up', node: process.version });
    // Prometheus scrapes each process; nginx keeps /metrics to itself.
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    expect(await wallSockets(names['api-1']!)).toBe(0);
  });

  it('monitors: Prometheus scrapes every process with the token from its file and loads every alert rule', async () => {
    type Targets = { data: { activeTargets: Array<{ scrapeUrl: string; health: string; lastError: string }> } };
    const targets = await until(
      async () => {
        const t = (await (await fetch(`${prometheus}/api/v1/targets`)).json()) as Targets;
        return t.data.activeTargets.length === 3 && t.data.activeTargets.every((x) => x.health === 'up') ? t.data.activeTargets : undefined;
      },
      60_000,
      1000,
    );
    expect(targets?.map((t) => t.scrapeUrl).sort(), JSON.stringify(targets)).toEqual(['http://api-1:3000/metrics', 'http://api-2:3000/metrics', 'http://worker:3001/metrics']);
    const rules = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string; health: string }> }> } };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual([...ALERTS].sort());
    expect(loaded.every((r) => r.health !== 'err')).toBe(true);
    // What the rules read is there: the worker's beat as the instances see it, readiness 1.
    const query = async (q: string) =>
      ((await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result;
    expect((await query('wall_ready')).map((r) => r.value[1])).toEqual(['1', '1']);
    expect(Number((await query('min(wall_deadline_worker_beat_age_seconds)'))[0]?.value[1])).toBeLessThan(15);
  });

  it('takes a feed through nginx and shows it on a wall socket connected through nginx', async () => {
    // Long-polling first, then the upgrade: nginx's stickiness is what lets that work.
    const wall: Socket = io(`${url}${WALL_NAMESPACE}`, { auth: { token: admin }, forceNew: true });
    try {
      const snapshot = await new Promise<WallSnapshot>((resolve) => wall.once('snapshot', resolve));
      let seq = snapshot.seq;
      wall.on('delta', (d: { seq: number }) => (seq = d.seq));
      const now = Date.now();
      const answer = await postFeed(
        url,
        [0, 1, 2].map((i) => ({
          id: `c-${now}-${i}`,
          type: 'incident.reported',
          at: new Date(now).toISOString(),
          incident: `c-i-${now}-${i}`,
          center: 'ouhai',
          kind: 'help',
          category: '急救',
        })),
        FEED,
      );
      expect(answer.body.accepted).toBe(3);
      expect(await until(async () => (seq >= answer.body.seq ? seq : undefined), 10_000)).toBe(answer.body.seq);
    } finally {
      wall.close();
    }
  });

  it('pages a console through nginx when a limit is missed', async () => {
    expect((await send(url, admin, 'PUT', '/api/roster', { ackTimeoutMinutes: 5, shifts: [], fallback: { '*': 'admin' } })).status).toBe(200);
    const console_ = io(`${url}${SUPERVISOR_NAMESPACE}`, { auth: { token: admin }, forceNew: true });
    const changes: Array<AlarmChange & { popup: boolean }> = [];
    console_.on('alarm', (c: AlarmChange & { popup: boolean }) => changes.push(c));
    try {
      await new Promise((resolve) => console_.once('alarms', resolve));
      const order = orderWithSignLimit('ruian.power', 0.05);
      expect((await postFeed(url, order.events, FEED)).body.accepted).toBe(2);
      const popup = await until(async () => changes.find((c) => c.alarm.order === order.order && c.popup), 20_000);
      expect(popup, 'a popup for the missed sign-off').toBeDefined();
      expect(popup!.alarm.recipients).toEqual(['admin']);
      expect(Date.parse(popup!.alarm.raisedAt) - order.due).toBeLessThan(2000);
    } finally {
      console_.close();
    }
  });

  it('loses nothing acknowledged when the API holding the walls is killed; the wall reconnects through nginx', async () => {
    const wall: Socket = io(`${url}${WALL_NAMESPACE}`, { auth: { token: admin }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
    let snapshots = 0;
    let seq = 0;
    wall.on('snapshot', (s: WallSnapshot) => {
      snapshots++;
      seq = s.seq;
    });
    wall.on('delta', (d: { seq: number }) => (seq = Math.max(seq, d.seq)));
    const acked: string[] = [];
    let lastSeq = 0;
    let sending = true;
    try {
      await until(async () => (snapshots > 0 ? true : undefined), 10_000);
      const holder = (await wallSockets(names['api-1']!)) > 0 ? 'api-1' : 'api-2';
      expect(await wallSockets(names[holder]!)).toBe(1);
      let n = 0;
      const sender = (async () => {
        while (sending) {
          const at = Date.now();
          const events = [0, 1].map(() => {
            const k = n++;
            return {
              id: `kill-${at}-${k}`,
              type: 'incident.reported',
              at: new Date(at).toISOString(),
              incident: `kill-i-${at}-${k}`,
              center: 'lucheng',
              kind: 'alarm',
              category: '测试',
            };
          });
          // A refused or failed request is not acknowledged: the sender would retry it.
          const answer = await postFeed(url, events, FEED).catch(() => undefined);
          if (answer?.status === 200) {
            acked.push(...events.map((e) => e.id));
            lastSeq = Math.max(lastSeq, answer.body.seq);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await new Promise((r) => setTimeout(r, 1000));
      await ok('podman', ['kill', names[holder]!]);
      await until(async () => (snapshots > 1 ? true : undefined), 20_000);
      expect(snapshots, 'the wall got a fresh snapshot from the other instance').toBeGreaterThan(1);
      await new Promise((r) => setTimeout(r, 2000));
      sending = false;
      await sender;
      expect(acked.length).toBeGreaterThan(20);
      expect(await until(async () => (seq >= lastSeq ? seq : undefined), 10_000)).toBeGreaterThanOrEqual(lastSeq);
      const today = new Date(Date.now() - 86_400_000).toISOString();
      const res = await fetch(`${url}/api/events?from=${encodeURIComponent(today)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(res.status).toBe(200);
      const stored = new Set(
        (await res.text())
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { id: string }).id),
      );
      expect(
        acked.filter((id) => !stored.has(id)),
        'acknowledged events missing',
      ).toEqual([]);
    } finally {
      sending = false;
      wall.close();
    }
  });
});

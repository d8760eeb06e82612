import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { rng } from '../../shared/src/seeded-random.js';
import { SENTINEL_NAME } from '../../test/support/sentinel.js';
import { login } from '../../test/support/server.js';
import { check, type Ladder, type Verdict } from './checker.js';
import { Console, Wall } from './clients.js';
import { runFaults } from './faults.js';
import { CENTERS, FeedSender } from './feed.js';
import { History, readHistory, type FinalState, type StoredAlarm } from './history.js';
import { planFaults } from './plan.js';
import { formatReport, replayCommand } from './report.js';
import { startSystem, type System } from './sut.js';

// `npm run chaos -- --seed N --minutes M`: the whole system on loopback, the seed's faults
// on it while the feed, 20 walls and 3 consoles run, then the checker over the history.

const WALLS = 20;
const SUPERVISORS = ['sup-a', 'sup-b', 'sup-c'];
const LEADER = 'boss';

export const ladder: Ladder = (center, level) => (level === 0 ? CENTERS.filter((c) => c.center === center).map((c) => c.supervisor) : [LEADER]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(url: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function setUp(sys: System, admin: string): Promise<void> {
  const url = sys.apis[0]!.url;
  for (const user of [...SUPERVISORS, LEADER]) {
    const centers = user === LEADER ? CENTERS.map((c) => c.center) : CENTERS.filter((c) => c.supervisor === user).map((c) => c.center);
    const r = await api(url, admin, 'POST', '/api/users', { username: user, password: `${user}-pass-1`, role: 'supervisor', scope: { centers } });
    if (r.status !== 201) throw new Error(`user ${user}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const roster = await api(url, admin, 'PUT', '/api/roster', {
    shifts: [
      ...SUPERVISORS.map((user) => ({ user, level: 'supervisor', centers: CENTERS.filter((c) => c.supervisor === user).map((c) => c.center) })),
      { user: LEADER, level: 'leader', centers: CENTERS.map((c) => c.center) },
    ],
    ackTimeoutMinutes: 0.25,
    contacts: Object.fromEntries([...SUPERVISORS, LEADER].map((u) => [u, { webhooks: [{ kind: 'json', url: `${sys.receiver.url}/hook/${u}` }] }])),
  });
  if (roster.status !== 200) throw new Error(`roster: ${roster.status} ${JSON.stringify(roster.body)}`);
}

async function until(what: string, ok: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ok()) return true;
    await sleep(250);
  }
  console.error(`chaos: ${what} not reached in ${ms} ms`);
  return false;
}

async function collect(sys: System, admin: string, walls: Wall[], consoles: Console[]): Promise<FinalState> {
  const redis = new Redis({ sentinels: sys.redis.sentinels.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })), name: SENTINEL_NAME, lazyConnect: true });
  await redis.connect();
  try {
    const events: FinalState['events'] = [];
    const logKeys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', 'wall:log:*', 'COUNT', 1000);
      cursor = next;
      logKeys.push(...found);
    } while (cursor !== '0');
    for (const key of logKeys) {
      for (const [, fields] of await redis.xrange(key, '-', '+')) {
        const f: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        events.push({ id: (JSON.parse(f['e']!) as { id: string }).id, seq: Number(f['s']), json: f['e']! });
      }
    }
    events.sort((a, b) => a.seq - b.seq);
    const seq = Number((await redis.get('wall:seq')) ?? 0);
    const alarms = (await api(sys.apis[0]!.url, admin, 'GET', '/api/alarms?state=all')).body as StoredAlarm[];
    const months = [...new Set(events.map((e) => new Date(Date.parse((JSON.parse(e.json) as { at: string }).at) + 8 * 3600_000).toISOString().slice(0, 7)))].sort();
    const reports: FinalState['reports'] = {};
    for (const p of sys.apis) {
      reports[p.name] = {};
      for (const month of months) reports[p.name]![month] = (await api(p.url, admin, 'GET', `/api/reports/monthly?month=${month}`)).body as Record<string, unknown>;
    }
    const procs: FinalState['procs'] = {};
    for (const p of [...sys.apis, ...sys.workers]) procs[p.name] = { healthy: await p.healthy(), restarts: p.restarts };
    return {
      seq,
      events,
      alarms,
      reports,
      walls: Object.fromEntries(walls.map((w) => [w.name, { seq: w.seq, reloads: w.reloads }])),
      procs,
      hands: [],
      consoles: consoles.map((c) => c.user),
    };
  } finally {
    redis.disconnect();
  }
}

export interface ChaosResult {
  seed: number;
  minutes: number;
  verdict: Verdict;
  report: string;
  historyFile: string;
}

export async function runChaos(seed: number, minutes: number, outDir = 'test-artifacts/chaos'): Promise<ChaosResult> {
  mkdirSync(outDir, { recursive: true });
  const historyFile = join(outDir, `chaos-${seed}.ndjson`);
  const history = new History(historyFile);
  history.record({ type: 'run', seed, minutes, command: replayCommand(seed, minutes) });
  console.log(`chaos: seed ${seed}, ${minutes} min; replay: ${replayCommand(seed, minutes)}`);
  // The plan and the feed draw from their own streams of the seed; the receiver's coin is not
  // part of the replay (its answers depend on the product's timing).
  const plan = planFaults(seed, minutes, { apis: 3, workers: 2, walls: WALLS });
  const coin = rng(seed ^ 0x5eed);
  let sys: System | null = null;
  const walls: Wall[] = [];
  const consoles: Console[] = [];
  let feed: FeedSender | null = null;
  let running = true;
  const cleanup = async () => {
    running = false;
    await feed?.stop().catch(() => undefined);
    await Promise.all([...walls, ...consoles].map((c) => c.stop().catch(() => undefined)));
    await sys?.stop().catch(() => undefined);
  };
  const onSignal = () => {
    void cleanup().then(() => process.exit(130));
  };
  // A harness error must not leave Redis, sentinels, nginx or node processes behind either.
  const onFatal = (e: unknown) => {
    console.error('chaos: harness failed:', e);
    void cleanup().then(() => process.exit(1));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('uncaughtException', onFatal).once('unhandledRejection', onFatal);
  try {
    sys = await startSystem(history, () => coin(1_000_000) / 1_000_000);
    const nginxPort = Number(new URL(sys.nginx.url).port);
    const admin = await login(sys.apis[0]!.url);
    await setUp(sys, admin);
    for (let i = 0; i < WALLS; i++) {
      const w = new Wall(`wall-${i}`, history);
      await w.start(nginxPort, `127.0.0.${10 + i}`, admin);
      walls.push(w);
    }
    for (const [i, user] of SUPERVISORS.entries()) {
      const c = new Console(user, history);
      await c.start(nginxPort, `127.0.0.${50 + i}`, await login(sys.apis[0]!.url, user, `${user}-pass-1`));
      consoles.push(c);
    }
    feed = new FeedSender(sys.nginx.url, history, rng(seed ^ 0xfeed), `c${seed}`);
    const t0 = Date.now();
    feed.start();
    const s = sys;
    await Promise.all([runFaults(plan, s, walls, history, t0, () => running), sleep(minutes * 60_000)]);
    await feed.stop();
    // Quiet: every process back, the last limits due, every open alarm acknowledged (no
    // escalation after the end), the deliveries out, the walls caught up.
    await until('every process healthy', async () => (await Promise.all([...s.apis, ...s.workers].map((p) => p.healthy()))).every(Boolean), 60_000);
    await sleep(15_000);
    const open = (await api(s.apis[0]!.url, admin, 'GET', '/api/alarms?state=open')).body as StoredAlarm[];
    for (const a of open) await api(s.apis[0]!.url, admin, 'POST', `/api/alarms/${a.id}/ack`, { note: 'chaos run over' });
    await sleep(10_000);
    await until('every wall at the stored seq', () => walls.every((w) => w.seq === walls[0]!.seq && w.seq > 0), 30_000);
    history.record({ type: 'final', final: await collect(s, admin, walls, consoles) });
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal).removeListener('uncaughtException', onFatal).removeListener('unhandledRejection', onFatal);
  }
  const verdict = check(readHistory(historyFile), ladder);
  const report = formatReport(seed, minutes, verdict, historyFile);
  writeFileSync(join(outDir, `chaos-${seed}.txt`), `${report}\n`);
  return { seed, minutes, verdict, report, historyFile };
}

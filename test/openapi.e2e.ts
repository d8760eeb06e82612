import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.js';
import { startTestRedis } from './support/redis.js';
import { ADMIN_PASSWORD, FEED_TOKEN, login, startServer, type RunningServer } from './support/server.js';
import { createUser } from './support/users.js';

// The OpenAPI document against the running server: the routes Nest maps (its own start-up
// lines, not the document's discovery), the access each answers with, and every example sent
// as documented. Then a feed client generated from the document by openapi-typescript,
// compiled by tsc, posts a batch.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
const METRICS_TOKEN = 'test-metrics-token-0123456789';
const ROLES = ['admin', 'supervisor', 'viewer', 'wall'] as const;
const PASSWORD = 'password-123';

type Json = Record<string, unknown>;
interface Operation {
  key: string;
  path: string;
  method: string;
  op: Json;
}

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let server: RunningServer;
let doc: { paths: Record<string, Record<string, Json>>; components: Json; 'x-undocumented-routes'?: string[] };
const tokens = new Map<string, string>();

function operations(): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, method, op })));
}

const media = (op: Json, status: string) => ((op['responses'] as Record<string, Json>)[status]?.['content'] ?? {}) as Record<string, Json>;

/** A validator for a schema of the document, its $refs resolved against the document's components. */
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
let registered = false;
function validator(schema: Json) {
  if (!registered) {
    ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
    registered = true;
  }
  return ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as Json);
}

interface Call {
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  token?: string;
}

async function send(op: Operation, call: Call): Promise<Response> {
  const qs = call.query && Object.keys(call.query).length ? `?${new URLSearchParams(call.query).toString()}` : '';
  return fetch(`${server.url}${call.path}${qs}`, {
    method: op.method.toUpperCase(),
    headers: { ...(call.token ? { authorization: `Bearer ${call.token}` } : {}), ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
}

/** The path with each parameter's example, or `value` for all of them. */
function pathOf(op: Operation, value?: string): string {
  const params = (op.op['parameters'] ?? []) as Json[];
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(value ?? String(params.find((p) => p['name'] === name && p['in'] === 'path')!['example'])));
}

function tokenOf(op: Operation, role = 'admin'): string | undefined {
  const security = op.op['security'] as Json[];
  if (!security.length) return undefined;
  const scheme = Object.keys(security[0]!)[0];
  if (scheme === 'feedToken') return FEED_TOKEN;
  if (scheme === 'metricsToken') return METRICS_TOKEN;
  return tokens.get(role)!;
}

beforeAll(async () => {
  redis = await startTestRedis();
  // The examples are dated 2026-11-03: without this reach the feed example's overdue order
  // would be backfill, which pages nobody, and the alarm examples would find no alarm.
  const reach = Math.ceil((Date.now() - Date.parse('2026-11-03T00:00:00+08:00')) / 60_000) + 24 * 60;
  server = await startServer(redis.url, { LOG_LEVEL: 'debug', METRICS_TOKEN, ALARM_MAX_AGE_MINUTES: String(reach) });
  doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as typeof doc;
  const admin = await login(server.url, 'admin', ADMIN_PASSWORD);
  tokens.set('admin', admin);
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    await createUser(server.url, admin, `probe-${role}`, role, PASSWORD);
    tokens.set(role, await login(server.url, `probe-${role}`, PASSWORD));
  }
});

afterAll(async () => {
  await server?.stop();
  await redis?.cleanup();
});

describe('the OpenAPI document, against the running server', () => {
  it('passes swagger-parser as served', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('has every route Nest maps, and no other (Nest’s own start-up lines, LOG_LEVEL=debug)', () => {
    const mapped = [...server.output().matchAll(/Mapped \{([^,]+), (\w+)\} route/g)].map((m) => `${m[2]} ${m[1]!.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect(mapped.length).toBeGreaterThan(0);
    expect(doc['x-undocumented-routes']).toBeUndefined();
    expect(
      operations()
        .map((o) => o.key)
        .sort(),
    ).toEqual([...new Set(mapped)].sort());
  });

  it('answers each route with the access it documents: no token, the wrong kind of token, each role', async () => {
    const wrong: string[] = [];
    const expectStatus = (what: string, status: number, ok: (s: number) => boolean) => {
      if (!ok(status)) wrong.push(`${what}: ${status}`);
    };
    const ops = operations();
    // Logging out revokes the caller's token: last.
    ops.sort((a, b) => Number(a.key === 'POST /api/auth/logout') - Number(b.key === 'POST /api/auth/logout'));
    for (const op of ops) {
      const security = op.op['security'] as Json[];
      // A parameter no example names: the routes answer 404 or 400 for it, never by running an example's action.
      const call = { path: pathOf(op, 'no-such-thing') };
      const bare = await send(op, call);
      if (!security.length) {
        expectStatus(`${op.key} public, no token`, bare.status, (s) => s !== 401 && s !== 403);
        continue;
      }
      expectStatus(`${op.key} no token`, bare.status, (s) => s === 401);
      const scheme = Object.keys(security[0]!)[0];
      if (scheme !== 'userToken') {
        expectStatus(`${op.key} an admin's token instead of ${scheme}`, (await send(op, { ...call, token: tokens.get('admin') })).status, (s) => s === 401);
        continue;
      }
      const roles = op.op['x-roles'] as string[];
      expectStatus(`${op.key} the feed token`, (await send(op, { ...call, token: FEED_TOKEN })).status, (s) => s === 401);
      for (const role of ROLES) {
        const status = (await send(op, { ...call, token: tokens.get(role) })).status;
        if (roles.includes(role)) expectStatus(`${op.key} as ${role} (allowed)`, status, (s) => s !== 401 && s !== 403);
        else expectStatus(`${op.key} as ${role} (not allowed)`, status, (s) => s === 403);
      }
    }
    expect(wrong).toEqual([]);
    // The logout above revoked each role's probe token: log in again for what follows.
    tokens.set('admin', await login(server.url, 'admin', ADMIN_PASSWORD));
  });

  it('answers every example with the documented status and an answer valid against its schema', async () => {
    const answers = new Map<string, unknown>();
    const links = new Map<string, { from: string; requestBody: Json }>();
    const wrong: string[] = [];
    // In the order route-docs.ts gives (a user is created before it is changed, and deleted last).
    const ordered = operations().sort((a, b) => Number(a.op['x-example-order']) - Number(b.op['x-example-order']));
    for (const op of ordered) {
      const status = String(op.op['x-example-status']);
      const params = (op.op['parameters'] ?? []) as Json[];
      const query = Object.fromEntries(params.filter((p) => p['in'] === 'query' && p['example'] !== undefined).map((p) => [p['name'], String(p['example'])]));
      let body = ((op.op['requestBody'] as Json | undefined)?.['content'] as Record<string, Json> | undefined)?.['application/json']?.['example'];
      // A link from an earlier answer (the enrolment code an issued code carries) fills the body.
      const link = links.get(String(op.op['operationId']));
      if (link) {
        const earlier = answers.get(link.from) as Json;
        body = Object.fromEntries(Object.entries(link.requestBody).map(([k, expr]) => [k, earlier[String(expr).replace('$response.body#/', '')]]));
      }
      if (op.key === 'POST /api/alarms/{id}/ack') await alarmRaised(pathOf(op).split('/')[3]!);
      const res = await send(op, { path: pathOf(op), query, body, token: tokenOf(op) });
      const text = await res.text();
      if (String(res.status) !== status) {
        wrong.push(`${op.key}: ${res.status} instead of ${status}: ${text.slice(0, 300)}`);
        continue;
      }
      const [type, m] = Object.entries(media(op.op, status))[0] ?? [];
      if (!type || !m) continue;
      const got = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      if (got !== type) wrong.push(`${op.key}: answered ${got}, documented ${type}`);
      const schema = m['schema'] as Json;
      const values =
        type === 'application/json'
          ? [JSON.parse(text) as unknown]
          : type === 'application/x-ndjson'
            ? text
                .trimEnd()
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l) as unknown)
            : [text];
      if (type === 'application/x-ndjson' && !values.length) wrong.push(`${op.key}: no line in the answer, nothing checked`);
      const validate = validator(schema);
      for (const v of values) if (!validate(v)) wrong.push(`${op.key}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(v).slice(0, 300)}`);
      answers.set(String(op.op['operationId']), values[0]);
      for (const l of Object.values(((op.op['responses'] as Record<string, Json>)[status]?.['links'] ?? {}) as Record<string, Json>)) {
        links.set(String(l['operationId']), { from: String(op.op['operationId']), requestBody: l['requestBody'] as Json });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('draws the reference page at /api/docs under the server’s CSP, from its own files, every operation listed', async () => {
    const browser = await launchBrowser();
    try {
      const tracked = await openPage(browser);
      const requested: string[] = [];
      tracked.page.on('request', (r) => requested.push(r.url()));
      const answer = await tracked.page.goto(`${server.url}/api/docs`);
      expect(answer!.headers()['content-security-policy']).toContain("script-src 'self'");
      await tracked.page.locator('.opblock').first().waitFor({ timeout: 30_000 });
      expect(await tracked.page.locator('.opblock').count()).toBe(operations().length);
      // A CSP refusal is a console error; so is a failed load.
      expect(tracked.errors).toEqual([]);
      expect(requested.filter((u) => !u.startsWith(server.url))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('generates a feed client with openapi-typescript that compiles with tsc and posts a batch the server accepts', async () => {
    const dir = join(root, 'test-artifacts/openapi-client');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await run(process.execPath, ['-r', join(root, 'scripts/typescript5.cjs'), join(root, 'scripts/openapi-types.cjs'), `${server.url}/api/openapi.json`, join(dir, 'api.d.ts')], {
      cwd: root,
    });
    writeFileSync(
      join(dir, 'feed-client.ts'),
      `import type { paths } from './api.js';

type Feed = paths['/api/feed']['post'];
export type FeedBatch = Feed['requestBody']['content']['application/json'];
export type FeedAccepted = Feed['responses'][200]['content']['application/json'];

export async function postFeed(url: string, token: string, batch: FeedBatch): Promise<{ status: number; answer: FeedAccepted }> {
  const res = await fetch(url + '/api/feed', { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify(batch) });
  return { status: res.status, answer: (await res.json()) as FeedAccepted };
}

export function batch(tag: string): FeedBatch {
  const incident = 'INC-' + tag;
  const events: FeedBatch = [
    { id: tag + '-1', type: 'incident.reported', at: '2026-11-04T08:00:00+08:00', incident, center: 'yueqing', kind: 'help', category: '道路积水' },
    { id: tag + '-2', type: 'order.dispatched', at: '2026-11-04T08:01:00+08:00', incident, order: 'ORD-' + tag, unit: 'yueqing.water', deadlines: { signMinutes: 10 } },
    { id: tag + '-3', type: 'order.feedback', at: '2026-11-04T08:30:00+08:00', incident, order: 'ORD-' + tag, stage: 'progress' },
  ];
  // The generated types know the contract: a kind outside it does not compile.
  // @ts-expect-error kind must be alarm, help or complaint
  events.push({ id: tag + '-4', type: 'incident.reported', at: '2026-11-04T08:00:00+08:00', incident, center: 'yueqing', kind: 'fire', category: 'x' });
  return events.slice(0, 3);
}
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          lib: ['ES2022', 'DOM'],
          types: [],
          outDir: 'out',
          skipLibCheck: false,
        },
        files: ['api.d.ts', 'feed-client.ts'],
      }),
    );
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    // tsc fails the test on any error, the unused @ts-expect-error included.
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir }).catch((e: { stdout?: string; message: string }) => {
      throw new Error(`tsc: ${e.stdout ?? ''}${e.message}`);
    });
    const client = (await import(join(dir, 'out/feed-client.js'))) as {
      postFeed(url: string, token: string, batch: unknown[]): Promise<{ status: number; answer: { accepted: number; rejected: unknown[]; seq: number } }>;
      batch(tag: string): unknown[];
    };
    const before = (await (await fetch(`${server.url}/api/health`)).json()) as { seq: number };
    const { status, answer } = await client.postFeed(server.url, FEED_TOKEN, client.batch(`GEN-${Date.now()}`));
    expect(status).toBe(200);
    expect(answer).toMatchObject({ accepted: 3, duplicates: 0, rejected: [], conflicts: [] });
    expect(answer.seq).toBe(before.seq + 3);
  });
});

/** The feed example's overdue order raises its alarm from a deadline job, a moment after the batch. */
async function alarmRaised(id: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await fetch(`${server.url}/api/alarms?state=all`, { headers: { authorization: `Bearer ${tokens.get('admin')!}` } });
    const alarms = (await res.json()) as Array<{ id: string }>;
    if (alarms.some((a) => a.id === id)) return;
    if (Date.now() > deadline) throw new Error(`alarm ${id} not raised in 15 s (have ${alarms.map((a) => a.id).join(', ')})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

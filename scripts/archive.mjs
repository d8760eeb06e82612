#!/usr/bin/env node
// Archives whole closed months: their events to compressed NDJSON under ARCHIVE_DIR (default
// DATA_DIR/archive), checked against the store (count and hash), then freed from Redis. The
// bulletin of an archived month reads as before; replay reads the archive.
//   npm run archive -- --before 2020-01 [--url http://127.0.0.1:3000] [--user admin] [--password P]
// The password: --password, ADMIN_PASSWORD, or the generated one in DATA_DIR/credentials.json.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    url: { type: 'string', default: process.env.WALL_URL ?? 'http://127.0.0.1:3000' },
    user: { type: 'string', default: 'admin' },
    password: { type: 'string', default: process.env.ADMIN_PASSWORD },
  },
});

function fail(message) {
  console.error(message);
  process.exit(2);
}

if (!values.before || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.before)) fail('--before YYYY-MM is required: months before it are archived');
let password = values.password;
const credentials = resolve(process.env.DATA_DIR ?? './.data', 'credentials.json');
if (!password && existsSync(credentials)) password = JSON.parse(readFileSync(credentials, 'utf8')).adminPassword;
if (!password) fail(`the admin password is needed: --password P, ADMIN_PASSWORD=P, or ${credentials}`);

const login = await fetch(`${values.url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: values.user, password }),
}).catch((e) => fail(`cannot reach ${values.url}: ${e.message}`));
if (!login.ok) fail(`login as ${values.user} failed: ${login.status} ${await login.text()}`);
const { token } = await login.json();

const res = await fetch(`${values.url}/api/admin/archive`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ before: values.before }),
});
const body = await res.json().catch(() => ({}));
if (!res.ok) fail(`archive refused (${res.status}): ${body.message ?? JSON.stringify(body)}`);
for (const m of body.archived) console.log(`${m.month}: ${m.events} events -> ${m.file} (sha256 ${m.sha256.slice(0, 16)}…), freed from Redis`);
if (body.already.length) console.log(`already archived: ${body.already.join(', ')}`);
if (!body.archived.length) console.log(`nothing to archive before ${values.before}`);

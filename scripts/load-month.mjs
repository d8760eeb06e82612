#!/usr/bin/env node
// Loads a generated month (the August 2020 bulletin's mix, deterministic by seed) through the
// public feed API: npm run load-month -- --month 2020-08 [--url http://127.0.0.1:3000]
// [--token FEED_TOKEN] [--seed 2020] [--per-day N]. Re-running it only makes duplicates.
import { parseArgs } from 'node:util';
import { Zone, generateMonth } from '@wall/shared';

const { values } = parseArgs({
  options: {
    month: { type: 'string', default: '2020-08' },
    url: { type: 'string', default: process.env.WALL_URL ?? 'http://127.0.0.1:3000' },
    token: { type: 'string', default: process.env.FEED_TOKEN },
    seed: { type: 'string', default: '2020' },
    'per-day': { type: 'string' },
    tz: { type: 'string', default: process.env.TZ_REPORTS ?? 'Asia/Shanghai' },
  },
});
if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new Error('--month must be YYYY-MM');
if (!values.token) {
  console.error('the feed token is needed: --token T or FEED_TOKEN=T (a generated one is in .data/first-start-credentials)');
  process.exit(2);
}
const zone = new Zone(values.tz);
const [y, m] = values.month.split('-').map(Number);
const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
const from = zone.startOfMonth(values.month);
const to = Math.min(zone.startOfMonth(next), Date.now());
const perDay = values['per-day'] ? Number(values['per-day']) : undefined;
const events = generateMonth(Number(values.seed), from, to, (t) => zone.parts(t).hour, perDay);

const started = Date.now();
let accepted = 0;
let duplicates = 0;
let seq = 0;
for (let i = 0; i < events.length; i += 2000) {
  const res = await fetch(`${values.url}/api/feed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${values.token}` },
    body: JSON.stringify(events.slice(i, i + 2000)),
  });
  const body = await res.json();
  if (res.status !== 200) {
    console.error(`feed answered ${res.status}:`, JSON.stringify(body).slice(0, 500));
    process.exit(1);
  }
  accepted += body.accepted;
  duplicates += body.duplicates;
  seq = body.seq;
  process.stdout.write(`\r${Math.min(i + 2000, events.length)}/${events.length} events`);
}
console.log(`\n${values.month}: ${accepted} accepted, ${duplicates} duplicates, seq ${seq}, in ${((Date.now() - started) / 1000).toFixed(1)} s`);

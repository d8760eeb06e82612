#!/usr/bin/env node
// Loads generated months (the August 2020 bulletin's mix, deterministic by seed and month)
// through the public feed API:
//   npm run load-month -- --month 2020-08 [--token FEED_TOKEN]
//   npm run load-month -- --from 2019-09 --to 2020-08
// [--url http://127.0.0.1:3000] [--seed 2020] [--per-day N] [--tz Asia/Shanghai].
// Each month has ids of its own, so loading months one after another stores every one; running
// the same month again only makes duplicates.
import cliProgress from 'cli-progress';
import { parseArgs } from 'node:util';
import { MONTH_KEY, Zone, generateMonth } from '@wall/shared';

const { values } = parseArgs({
  options: {
    month: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    url: { type: 'string', default: process.env.WALL_URL ?? 'http://127.0.0.1:3000' },
    token: { type: 'string', default: process.env.FEED_TOKEN },
    seed: { type: 'string', default: '2020' },
    'per-day': { type: 'string' },
    tz: { type: 'string', default: process.env.TZ_REPORTS ?? 'Asia/Shanghai' },
    batch: { type: 'string', default: '2000' },
  },
});

function fail(message) {
  console.error(message);
  process.exit(2);
}

function nextMonth(month) {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

const first = values.from ?? values.month ?? '2020-08';
const last = values.to ?? values.month ?? first;
for (const [name, value] of [
  ['--from/--month', first],
  ['--to', last],
]) {
  if (!MONTH_KEY.test(value)) fail(`${name} must be YYYY-MM, got "${value}"`);
}
if (values.month && (values.from || values.to)) fail('give either --month or --from/--to');
if (last < first) fail(`--to ${last} is before --from ${first}`);
if (!values.token) fail('the feed token is needed: --token T or FEED_TOKEN=T (the server prints it at its first start)');
const seed = Number(values.seed);
if (!Number.isInteger(seed)) fail('--seed must be an integer');
const perDay = values['per-day'] === undefined ? undefined : Number(values['per-day']);
if (perDay !== undefined && !(perDay > 0)) fail('--per-day must be a positive number');
const batch = Number(values.batch);

const zone = new Zone(values.tz);
const months = [];
for (let m = first; m <= last; m = nextMonth(m)) months.push(m);

// Generated up front, so the bar knows the whole job; a month is about 6 events per incident.
const plan = [];
for (const month of months) {
  const from = zone.startOfMonth(month);
  const to = Math.min(zone.startOfMonth(nextMonth(month)), Date.now());
  if (to <= from) continue;
  plan.push({ month, events: generateMonth(seed, from, to, (t) => zone.parts(t).hour, perDay, month) });
}
const total = plan.reduce((n, p) => n + p.events.length, 0);

const bar = new cliProgress.SingleBar(
  {
    format: '{bar} {percentage}% | {value}/{total} events | {month} | {accepted} accepted, {duplicates} duplicates | ETA {eta_formatted}',
    hideCursor: true,
    // Without a terminal (CI, a pipe) the bar still prints, a line at a time.
    noTTYOutput: true,
    notTTYSchedule: 2000,
  },
  cliProgress.Presets.shades_classic,
);
const started = Date.now();
const sum = { accepted: 0, duplicates: 0, conflicts: 0, seq: 0 };
bar.start(total, 0, { month: plan[0]?.month ?? '-', accepted: 0, duplicates: 0 });
const lines = [];
for (const { month, events } of plan) {
  const mine = { accepted: 0, duplicates: 0 };
  for (let i = 0; i < events.length; i += batch) {
    const res = await fetch(`${values.url}/api/feed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${values.token}` },
      body: JSON.stringify(events.slice(i, i + batch)),
    });
    const body = await res.json().catch(() => ({}));
    if (res.status !== 200) {
      bar.stop();
      console.error(`${month}: the feed answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      process.exit(1);
    }
    mine.accepted += body.accepted;
    mine.duplicates += body.duplicates;
    sum.conflicts += body.conflicts?.length ?? 0;
    sum.seq = body.seq;
    bar.increment(Math.min(batch, events.length - i), { month, accepted: sum.accepted + mine.accepted, duplicates: sum.duplicates + mine.duplicates });
  }
  sum.accepted += mine.accepted;
  sum.duplicates += mine.duplicates;
  lines.push(`${month}: ${events.length} events, ${mine.accepted} accepted, ${mine.duplicates} duplicates`);
}
bar.stop();
for (const line of lines) console.log(line);
console.log(
  `total: ${total} events in ${plan.length} month(s), ${sum.accepted} accepted, ${sum.duplicates} duplicates` +
    `${sum.conflicts ? `, ${sum.conflicts} conflicting` : ''}, seq ${sum.seq}, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

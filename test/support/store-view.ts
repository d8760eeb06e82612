import { Zone, addMonths, generateMonth, type Alarm, type FeedEvent } from '@wall/shared';
import { expect } from 'vitest';
import { orderWithSignLimit, send } from './orders.js';
import { getJson, postFeed } from './server.js';
import { until } from './wait.js';

// A store with something of everything an operator must not lose (closed months, users, a
// roster, audit entries, open alarms, pending deadlines), written through the product's API,
// and the view of it the backup and upgrade tests compare before and after.

const zone = new Zone('Asia/Shanghai');
export const STORE_MONTHS = ['2020-05', '2020-06', '2020-07'];
export const STORE_USERS = ['duty-ruian', 'duty-yueqing', 'viewer-1'];

export function monthEvents(month: string, perDay = 4): FeedEvent[] {
  return generateMonth(7, zone.startOfMonth(month), zone.startOfMonth(addMonths(month, 1)), (t) => zone.parts(t).hour, perDay, `s${month}`);
}

export interface WrittenStore {
  /** Orders whose alarm was raised (open, one of them acknowledged). */
  alarmed: string[];
  /** Orders dispatched with a limit still ahead: `due` is when their alarm must come. */
  pending: Array<{ order: string; due: number }>;
}

async function feed(url: string, events: FeedEvent[] | object[]): Promise<void> {
  for (let i = 0; i < events.length; i += 2000) {
    const answer = await postFeed(url, events.slice(i, i + 2000));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.rejected).toEqual([]);
  }
}

/**
 * Writes the store through `url` as `admin`. `pendingSeconds`: how far ahead the pending
 * deadlines fall due (long enough for the test to stop and start what it must meanwhile).
 */
export async function writeStore(url: string, admin: string, pendingSeconds: number): Promise<WrittenStore> {
  for (const m of STORE_MONTHS) await feed(url, monthEvents(m));
  for (const [i, username] of STORE_USERS.entries()) {
    const scope = i === 0 ? { centers: ['ruian'] } : i === 1 ? { centers: ['yueqing'] } : undefined;
    const created = await send(url, admin, 'POST', '/api/users', {
      username,
      password: `password-${username}`,
      role: i < 2 ? 'supervisor' : 'viewer',
      ...(scope ? { scope } : {}),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const roster = await send(url, admin, 'PUT', '/api/roster', {
    ackTimeoutMinutes: 7,
    shifts: [
      { user: 'duty-ruian', level: 'supervisor' },
      { user: 'duty-yueqing', level: 'supervisor' },
    ],
    fallback: { '*': 'admin' },
  });
  expect(roster.status, JSON.stringify(roster.body)).toBe(200);

  // Two orders with a 3 s sign-off limit: their alarms are raised and stay open.
  const late = [orderWithSignLimit('ruian.power', 0.05), orderWithSignLimit('yueqing.police', 0.05)];
  await feed(
    url,
    late.flatMap((o) => o.events),
  );
  const raised = await until(async () => ((await openAlarms(url, admin)).filter((a) => late.some((o) => o.order === a.order)).length === 2 ? true : undefined), 20_000);
  expect(raised, 'the two late orders raise their alarms').toBe(true);
  const first = (await openAlarms(url, admin)).find((a) => a.order === late[0]!.order)!;
  expect((await send(url, admin, 'POST', `/api/alarms/${first.id}/ack`, { note: 'on it' })).status).toBe(200);

  const pending = [orderWithSignLimit('ruian.fire', pendingSeconds / 60)];
  await feed(
    url,
    pending.flatMap((o) => o.events),
  );
  return { alarmed: late.map((o) => o.order), pending: pending.map((o) => ({ order: o.order, due: o.due })) };
}

export async function openAlarms(url: string, token: string): Promise<Alarm[]> {
  return (await getJson<Alarm[]>(url, '/api/alarms?state=open', token)).body;
}

export interface StoreView {
  bulletins: Record<string, unknown>;
  users: unknown;
  roster: unknown;
  audit: Array<Record<string, unknown>>;
  openAlarms: Alarm[];
}

/** What the product answers of the store: each month's bulletin, users, roster, the audit (newest 1000), open alarms. */
export async function readStore(url: string, token: string, months: readonly string[]): Promise<StoreView> {
  const bulletins: Record<string, unknown> = {};
  for (const m of months) {
    const res = await getJson<unknown>(url, `/api/reports/monthly?month=${m}`, token);
    expect(res.status, `bulletin ${m}`).toBe(200);
    bulletins[m] = res.body;
  }
  const byId = (a: Alarm, b: Alarm) => a.id.localeCompare(b.id);
  return {
    bulletins,
    // Users come in Redis's hash order, which a restore does not keep.
    users: (await getJson<Array<{ username: string }>>(url, '/api/users', token)).body.sort((a, b) => a.username.localeCompare(b.username)),
    roster: (await getJson<unknown>(url, '/api/roster', token)).body,
    audit: (await getJson<Array<Record<string, unknown>>>(url, '/api/audit?limit=1000', token)).body,
    openAlarms: (await openAlarms(url, token)).sort(byId),
  };
}

/** The audit entries of `before` that `after` must still hold (every one, unchanged). */
export function expectAuditKept(before: StoreView['audit'], after: StoreView['audit']): void {
  const kept = new Set(after.map((e) => JSON.stringify(e)));
  const lost = before.filter((e) => !kept.has(JSON.stringify(e)));
  expect(lost, 'audit entries lost').toEqual([]);
  expect(before.length).toBeGreaterThan(0);
}

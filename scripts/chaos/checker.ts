import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_INDEX, LIMIT_NAMES, isDrill, Zone, dueAt, milestoneAt, monthlyReport, parseStored, projectEvents, type StoredEvent } from '@wall/shared';
import type { Entry, FinalState } from './history.js';

// The rules a run's history must hold, judged from the NDJSON history alone (the final Redis
// is dumped into it). Pure: the unit tests feed it hand-made histories.

export interface RuleResult {
  rule: string;
  ok: boolean;
  /** what was checked, e.g. "1,204 acknowledged events" */
  checked: string;
  counterExamples: string[];
}

export interface Figures {
  faults: Record<string, number>;
  sent: number;
  acknowledged: number;
  stored: number;
  alarms: number;
  /** worst lateness (ms after due) of alarms whose due time fell in a fault of this kind ('none': in none) */
  worstLateness: Record<string, number>;
  doubles: number;
  doublesAllowed: number;
}

export interface Verdict {
  rules: RuleResult[];
  figures: Figures;
}

/** The content of an event that a conflicting duplicate changes (the same on both sides). */
export function fingerprint(e: Record<string, unknown>): string {
  return [e['type'], e['incident'], e['order'] ?? '', typeof e['at'] === 'string' ? Date.parse(e['at']) : e['at'], e['unit'] ?? '', e['center'] ?? ''].map(String).join('|');
}

/** Who is paged at each level: the center's supervisor at level 0, the leader above. */
export type Ladder = (center: string | null, level: number) => string[];

const REDIS_FAULTS = new Set(['redis-kill', 'redis-pause']);
/** faults after which a webhook's delivery may come twice (its sender died or stalled after the receiver took it) */
const DOUBLING_FAULTS = new Set(['kill', 'pause', 'redis-kill', 'redis-pause', 'clock']);
const SHOW = 10;

interface Window {
  id: number;
  kind: string;
  target: string;
  start: number;
  end: number;
}

function windows(history: Entry[], endOfRun: number): Window[] {
  const open = new Map<number, Window>();
  const out: Window[] = [];
  for (const e of history) {
    if (e.type !== 'fault') continue;
    if (e.phase === 'start') open.set(e.id, { id: e.id, kind: e.kind, target: e.target, start: e.t, end: endOfRun });
    else {
      const w = open.get(e.id);
      if (w) {
        w.end = e.t;
        out.push(w);
        open.delete(e.id);
      }
    }
  }
  return [...out, ...open.values()].sort((a, b) => a.start - b.start);
}

function result(rule: string, checked: string, counterExamples: string[]): RuleResult {
  const shown = counterExamples.slice(0, SHOW);
  if (counterExamples.length > SHOW) shown.push(`… and ${counterExamples.length - SHOW} more`);
  return { rule, ok: counterExamples.length === 0, checked, counterExamples: shown };
}

const iso = (t: number) => new Date(t).toISOString().slice(11, 23);

export function check(history: Entry[], ladder: Ladder, zone = new Zone('Asia/Shanghai')): Verdict {
  const final = history.find((e): e is Extract<Entry, { type: 'final' }> => e.type === 'final')?.final;
  if (!final) throw new Error('the history has no final state: the run did not finish');
  const finalT = history[history.length - 1]!.t;
  const faults = windows(history, finalT);
  const rules: RuleResult[] = [];

  // --- every acknowledged event stored exactly once; nothing unacknowledged half-stored
  const sends = new Map<string, Extract<Entry, { type: 'send' }>>();
  const firstFp = new Map<string, string>();
  const firstBatch = new Map<string, string>();
  let sent = 0;
  for (const e of history) {
    if (e.type !== 'send') continue;
    if (!sends.has(e.batch)) sends.set(e.batch, e);
    for (const ev of e.events) {
      sent++;
      if (ev.fp === 'invalid') continue;
      if (!firstFp.has(ev.id)) {
        firstFp.set(ev.id, ev.fp);
        firstBatch.set(ev.id, e.batch);
      }
    }
  }
  const ackOf = new Map<string, Extract<Entry, { type: 'ack' }>>();
  for (const e of history) if (e.type === 'ack' && !ackOf.has(e.batch)) ackOf.set(e.batch, e);
  const storedCount = new Map<string, number>();
  const storedFp = new Map<string, string>();
  for (const s of final.events) {
    storedCount.set(s.id, (storedCount.get(s.id) ?? 0) + 1);
    if (!storedFp.has(s.id)) storedFp.set(s.id, fingerprint(JSON.parse(s.json) as Record<string, unknown>));
  }
  const once: string[] = [];
  const acked = new Set<string>();
  /** when each id was first acknowledged (an upper bound of when it was stored) */
  const ackedAt = new Map<string, number>();
  for (const [batch, ack] of ackOf) {
    const send = sends.get(batch)!;
    const rejected = new Set(ack.rejected);
    for (const ev of send.events) {
      if (ev.fp === 'invalid' || rejected.has(ev.id)) continue;
      acked.add(ev.id);
      if (!ackedAt.has(ev.id)) ackedAt.set(ev.id, ack.t);
    }
  }
  for (const id of acked) {
    const n = storedCount.get(id) ?? 0;
    if (n !== 1) once.push(`${id}: acknowledged, stored ${n} times`);
    else if (storedFp.get(id) !== firstFp.get(id)) once.push(`${id}: stored content ${storedFp.get(id)} is not the first sent ${firstFp.get(id)}`);
  }
  for (const [id, n] of storedCount) {
    if (!firstFp.has(id)) once.push(`${id}: stored but never sent`);
    else if (n > 1 && !acked.has(id)) once.push(`${id}: stored ${n} times`);
  }
  for (const [batch, send] of sends) {
    if (ackOf.has(batch)) continue;
    const own = send.events.filter((ev) => ev.fp !== 'invalid' && firstBatch.get(ev.id) === batch);
    const stored = own.filter((ev) => storedCount.has(ev.id));
    if (stored.length > 0 && stored.length < own.length)
      once.push(`batch ${batch}: never acknowledged, ${stored.length} of its ${own.length} events stored (${own.find((ev) => !storedCount.has(ev.id))!.id} missing)`);
  }
  rules.push(
    result('every acknowledged event is stored exactly once; nothing unacknowledged is half-stored', `${acked.size} acknowledged events, ${final.events.length} stored`, once),
  );

  // --- every instance's live projection equals a from-scratch fold of the stored log
  const events: StoredEvent[] = final.events
    .slice()
    .sort((a, b) => a.seq - b.seq)
    .map((s) => parseStored(s.json));
  const fold = projectEvents(events, DEFAULT_INDEX, zone);
  const proj: string[] = [];
  let months = 0;
  for (const [instance, byMonth] of Object.entries(final.reports)) {
    for (const [month, report] of Object.entries(byMonth)) {
      months++;
      const want = JSON.parse(JSON.stringify(monthlyReport(fold, month, DEFAULT_INDEX))) as unknown;
      if (!isDeepStrictEqual(report, want)) proj.push(`${instance} ${month}: ${firstDifference(report, want)}`);
    }
  }
  if (months === 0) proj.push('no instance report was collected');
  rules.push(
    result(
      "every instance's live projection equals a from-scratch fold of the stored log",
      `${Object.keys(final.reports).length} instances × their months (${months} reports)`,
      proj,
    ),
  );

  // --- missed limits: one alarm each, within 1 s of due (after a Redis outage: of recovery)
  const alarmsByKey = new Map<string, FinalState['alarms']>();
  for (const a of final.alarms) alarmsByKey.set(`${a.order}/${a.limit}`, [...(alarmsByKey.get(`${a.order}/${a.limit}`) ?? []), a]);
  const raisedAtConsole = new Map<string, number>();
  const seenAtConsole = new Set<string>();
  for (const e of history) if (e.type === 'console' && (e.kind === 'listed' || e.kind === 'raised' || e.kind === 'escalated')) seenAtConsole.add(`${e.console}/${e.alarm}`);
  for (const e of history)
    if (e.type === 'console' && e.kind === 'raised') raisedAtConsole.set(`${e.console}/${e.alarm}`, (raisedAtConsole.get(`${e.console}/${e.alarm}`) ?? 0) + 1);
  const missed: string[] = [];
  const met: string[] = [];
  const worst: Record<string, number> = {};
  let missedCount = 0;
  const expected = new Set<string>();
  for (const order of fold.orders.values()) {
    if (!order.dispatch) continue;
    const incident = fold.incidents.get(order.dispatch.incident);
    if (!incident || isDrill(incident)) continue;
    const orderId = order.id;
    for (const limit of LIMIT_NAMES) {
      const due = dueAt(order, limit);
      if (due === undefined || due > finalT - 5_000) continue;
      const done = milestoneAt(order, limit);
      const key = `${orderId}/${limit}`;
      const found = alarmsByKey.get(key) ?? [];
      if (done !== undefined && done <= due) {
        for (const a of found) met.push(`${key}: met at ${iso(done)} (due ${iso(due)}), alarm raised ${a.raisedAt.slice(11, 23)}`);
        continue;
      }
      // The limit was missed by the log's own times (no milestone, or one after due).
      expected.add(key);
      missedCount++;
      if (found.length !== 1) {
        missed.push(`${key}: missed (due ${iso(due)}), ${found.length} alarms`);
        continue;
      }
      const alarm = found[0]!;
      const raised = Date.parse(alarm.raisedAt);
      // The earliest the product could know: the dispatch stored (its acknowledgement, a bound), and Redis back.
      const known = Math.max(due, ackedAt.get(order.dispatch.eventId) ?? due);
      const during = faults.filter((w) => w.start <= Math.max(known, raised) && w.end >= due - 1000);
      const redisEnd = Math.max(0, ...during.filter((w) => REDIS_FAULTS.has(w.kind)).map((w) => w.end));
      const bound = Math.max(known, redisEnd) + 1000;
      const late = raised - due;
      for (const kind of during.length ? [...new Set(during.map((w) => w.kind))] : ['none']) worst[kind] = Math.max(worst[kind] ?? -Infinity, late);
      if (raised > bound)
        missed.push(
          `${key}: due ${iso(due)}, raised ${iso(raised)} (${late} ms late, bound ${iso(bound)}; during ${during.map((w) => `${w.kind} ${w.target}`).join(', ') || 'no fault'})`,
        );
      if (raised < due) missed.push(`${key}: raised ${iso(raised)} before due ${iso(due)}`);
      for (const [k, n] of raisedAtConsole) if (k.endsWith(`/${alarm.id}`) && n > 1) missed.push(`${key}: console ${k.split('/')[0]} saw it raised ${n} times`);
    }
  }
  for (const a of final.alarms)
    if (!expected.has(`${a.order}/${a.limit}`) && !met.some((m) => m.startsWith(`${a.order}/${a.limit}:`)))
      met.push(`${a.order}/${a.limit}: alarm ${a.id} for no missed limit of the log`);
  rules.push(result('every missed limit has exactly one alarm, raised within 1 s of due (of Redis recovery during its outage)', `${missedCount} missed limits`, missed));
  rules.push(result('no limit met in time has an alarm', `${final.alarms.length} alarms`, met));

  // --- each rung pages its recipients; every webhook eventually gets a delivery; doubles counted
  const ok200 = new Map<string, number[]>();
  const firstTry = new Map<string, number>();
  for (const e of history) if (e.type === 'hook' && !firstTry.has(`${e.alarm}/${e.level}/${e.recipient}`)) firstTry.set(`${e.alarm}/${e.level}/${e.recipient}`, e.t);
  for (const e of history)
    if (e.type === 'hook' && e.answered === 200) ok200.set(`${e.alarm}/${e.level}/${e.recipient}`, [...(ok200.get(`${e.alarm}/${e.level}/${e.recipient}`) ?? []), e.t]);
  const paging: string[] = [];
  let doubles = 0;
  let allowed = 0;
  for (const a of final.alarms) {
    for (let level = 0; level <= a.level; level++) {
      for (const user of ladder(a.center, level)) {
        const got = ok200.get(`${a.id}/${level}/${user}`) ?? [];
        // The product stops paging an alarm once it is resolved (the late milestone came) or
        // acknowledged: a rung still retrying then is not owed a delivery. Retries last a minute
        // (8 attempts); an acknowledgement after that does not excuse a rung given up.
        const tried = firstTry.get(`${a.id}/${level}/${user}`);
        const handled = a.resolvedAt ? Date.parse(a.resolvedAt) : a.acknowledgedAt ? Date.parse(a.acknowledgedAt) : Infinity;
        const excused = a.resolvedAt !== null && a.resolvedAt !== undefined ? true : tried !== undefined && handled - tried < 64_000;
        if (got.length === 0 && !excused)
          paging.push(`alarm ${a.id} (${a.order}) level ${level}: ${user}'s webhook never took a delivery (${tried === undefined ? 'never tried' : `first tried ${iso(tried)}`})`);
        if (level === 0 && !seenAtConsole.has(`${user}/${a.id}`) && final.consoles?.includes(user)) paging.push(`alarm ${a.id} (${a.order}): ${user}'s console never showed it`);
        for (const t of got.slice(1)) {
          doubles++;
          const excuse = faults.some((w) => DOUBLING_FAULTS.has(w.kind) && w.start <= t && w.end >= got[0]! - 1000);
          if (excuse) allowed++;
          else paging.push(`alarm ${a.id} level ${level} ${user}: delivered again at ${iso(t)} (first ${iso(got[0]!)}) with no fault between`);
        }
      }
    }
  }
  rules.push(
    result(
      'each rung of each alarm pages its recipients, every webhook eventually gets a delivery (doubles only after a fault)',
      `${final.alarms.length} alarms, ${doubles} doubles (${allowed} after a fault)`,
      paging,
    ),
  );

  // --- walls
  const walls: string[] = [];
  const lastSeq = new Map<string, { seq: number; t: number }>();
  for (const e of history) {
    if (e.type !== 'wall') continue;
    const prev = lastSeq.get(e.wall);
    if (prev && e.seq < prev.seq) walls.push(`${e.wall}: showed seq ${e.seq} (${e.kind}) at ${iso(e.t)} after ${prev.seq} at ${iso(prev.t)}`);
    if (!prev || e.seq >= prev.seq) lastSeq.set(e.wall, { seq: e.seq, t: e.t });
  }
  for (const [wall, w] of Object.entries(final.walls)) {
    if (w.seq !== final.seq) walls.push(`${wall}: final seq ${w.seq}, stored ${final.seq}`);
    if (w.reloads > 0) walls.push(`${wall}: reloaded ${w.reloads} times`);
  }
  rules.push(
    result(
      "every wall's final seq equals the stored seq, with no reload; no wall showed a lower seq after a higher",
      `${Object.keys(final.walls).length} walls, stored seq ${final.seq}`,
      walls,
    ),
  );

  // --- no hand needed
  const hands: string[] = [...final.hands];
  for (const [name, p] of Object.entries(final.procs)) if (!p.healthy) hands.push(`${name}: not healthy at the end`);
  const killed = faults.filter((w) => w.kind === 'kill');
  for (const e of history) {
    if (e.type !== 'proc' || e.event !== 'exit') continue;
    if (!killed.some((w) => w.target === e.name && e.t >= w.start && e.t <= w.start + 2000) && e.signal !== 'SIGKILL')
      hands.push(`${e.name}: exited by itself at ${iso(e.t)} (code ${e.code}, signal ${e.signal})`);
  }
  rules.push(result('no process needed a hand to come back', `${Object.keys(final.procs).length} processes`, hands));

  const counts: Record<string, number> = {};
  for (const w of faults) counts[w.kind] = (counts[w.kind] ?? 0) + 1;
  return {
    rules,
    figures: { faults: counts, sent, acknowledged: acked.size, stored: final.events.length, alarms: final.alarms.length, worstLateness: worst, doubles, doublesAllowed: allowed },
  };
}

/** The first path where two JSON values differ, with both sides. */
export function firstDifference(got: unknown, want: unknown, path = ''): string {
  if (isDeepStrictEqual(got, want)) return '';
  if (typeof got === 'object' && got !== null && typeof want === 'object' && want !== null) {
    for (const k of new Set([...Object.keys(got), ...Object.keys(want)])) {
      const d = firstDifference((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path || '.'}: live ${JSON.stringify(got)?.slice(0, 120)}, fold ${JSON.stringify(want)?.slice(0, 120)}`;
}

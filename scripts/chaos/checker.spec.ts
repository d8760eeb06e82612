import { DEFAULT_INDEX, Zone, monthlyReport, parseStored, projectEvents } from '@wall/shared';
import { describe, expect, it } from 'vitest';
import { check, fingerprint, type Ladder } from './checker.js';
import type { Entry, FinalState } from './history.js';

// The checker on hand-made histories: a clean one holds every rule, and each break of one
// rule is named by that rule, with its counter-example, and by no other.

const T0 = Date.parse('2026-12-08T02:00:00Z');
const zone = new Zone('Asia/Shanghai');
const ladder: Ladder = (center, level) => (level === 0 ? (center === 'ruian' ? ['sup-a'] : []) : ['boss']);

const reported = { id: 'r1', type: 'incident.reported', at: new Date(T0).toISOString(), incident: 'i1', center: 'ruian', kind: 'alarm', category: 'x' };
const dispatched = {
  id: 'd1',
  type: 'order.dispatched',
  at: new Date(T0 + 1000).toISOString(),
  incident: 'i1',
  order: 'o1',
  unit: 'ruian.power',
  deadlines: { signMinutes: 0.05, arriveMinutes: 600, feedbackMinutes: 1200 },
};
const reported2 = { id: 'r2', type: 'incident.reported', at: new Date(T0).toISOString(), incident: 'i2', center: 'ruian', kind: 'alarm', category: 'x' };
const dispatched2 = {
  id: 'd2',
  type: 'order.dispatched',
  at: new Date(T0 + 1000).toISOString(),
  incident: 'i2',
  order: 'o2',
  unit: 'ruian.power',
  deadlines: { signMinutes: 0.05, arriveMinutes: 600, feedbackMinutes: 1200 },
};
const signed2 = { id: 's2', type: 'order.signed', at: new Date(T0 + 2000).toISOString(), incident: 'i2', order: 'o2' };
const ALL = [reported, dispatched, reported2, dispatched2, signed2];
const DUE = T0 + 1000 + 3000;

function clean(): Entry[] {
  const events = ALL.map((e, i) => ({ id: e.id, seq: i + 1, json: JSON.stringify(e) }));
  const fold = projectEvents(
    events.map((e) => parseStored(e.json)),
    DEFAULT_INDEX,
    zone,
  );
  const report = JSON.parse(JSON.stringify(monthlyReport(fold, '2026-12', DEFAULT_INDEX))) as Record<string, unknown>;
  const alarm = {
    id: 'a1',
    order: 'o1',
    limit: 'sign',
    center: 'ruian',
    dueAt: new Date(DUE).toISOString(),
    raisedAt: new Date(DUE + 300).toISOString(),
    level: 1,
    recipients: ['boss'],
    resolvedAt: null,
    acknowledgedAt: null,
  };
  const final: FinalState = {
    seq: 5,
    events,
    alarms: [alarm],
    reports: { 'api-0': { '2026-12': report }, 'api-1': { '2026-12': structuredClone(report) } },
    walls: { 'wall-0': { seq: 5, reloads: 0 } },
    procs: { 'api-0': { healthy: true, restarts: 1 } },
    hands: [],
    consoles: ['sup-a'],
  };
  return [
    { t: T0, type: 'run', seed: 1, minutes: 1, command: '' },
    { t: T0 + 10, type: 'send', batch: 'b0', events: ALL.slice(0, 4).map((e) => ({ id: e.id, fp: fingerprint(e) })) },
    { t: T0 + 20, type: 'unacked', batch: 'b0', status: 503 },
    { t: T0 + 50, type: 'ack', batch: 'b0', status: 200, accepted: 4, duplicates: 0, conflicts: [], rejected: [], seq: 4 },
    {
      t: T0 + 60,
      type: 'send',
      batch: 'b1',
      events: [
        { id: 's2', fp: fingerprint(signed2) },
        { id: 'bad', fp: 'invalid' },
      ],
    },
    { t: T0 + 70, type: 'ack', batch: 'b1', status: 422, accepted: 1, duplicates: 0, conflicts: [], rejected: ['bad'], seq: 5 },
    { t: T0 + 80, type: 'wall', wall: 'wall-0', kind: 'snapshot', seq: 4, rev: 1 },
    { t: T0 + 90, type: 'wall', wall: 'wall-0', kind: 'delta', seq: 5, rev: 2 },
    { t: DUE + 300, type: 'console', console: 'sup-a', kind: 'raised', alarm: 'a1', level: 0 },
    { t: DUE + 320, type: 'hook', path: '/hook/sup-a', alarm: 'a1', level: 0, recipient: 'sup-a', answered: 500 },
    { t: DUE + 900, type: 'hook', path: '/hook/sup-a', alarm: 'a1', level: 0, recipient: 'sup-a', answered: 200 },
    { t: DUE + 15_400, type: 'hook', path: '/hook/boss', alarm: 'a1', level: 1, recipient: 'boss', answered: 200 },
    { t: DUE + 30_000, type: 'final', final },
  ];
}

const finalOf = (h: Entry[]) => (h.find((e) => e.type === 'final') as Extract<Entry, { type: 'final' }>).final;

function broken(h: Entry[]): Array<[string, string[]]> {
  return check(h, ladder, zone)
    .rules.filter((r) => !r.ok)
    .map((r) => [r.rule.split(' ').slice(0, 3).join(' '), r.counterExamples]);
}

describe('the chaos checker', () => {
  it('finds nothing wrong in a clean history, and counts its figures', () => {
    const v = check(clean(), ladder, zone);
    expect(v.rules.filter((r) => !r.ok)).toEqual([]);
    expect(v.rules).toHaveLength(7);
    expect(v.figures).toMatchObject({ sent: 6, acknowledged: 5, stored: 5, alarms: 1, doubles: 0, worstLateness: { none: 300 } });
  });

  it('names an acknowledged event stored twice, one lost, and a half-stored batch', () => {
    const h = clean();
    const f = finalOf(h);
    f.events.push({ ...f.events[0]!, seq: 6 });
    expect(broken(h)).toEqual([['every acknowledged event', ['r1: acknowledged, stored 2 times']]]);
    const lost = clean();
    finalOf(lost).events.splice(1, 1);
    expect(broken(lost)[0]![1]).toContain('d1: acknowledged, stored 0 times');
    const half = clean().filter((e) => !(e.type === 'ack' && e.batch === 'b0'));
    finalOf(half).events.splice(0, 1);
    expect(broken(half)[0]).toEqual(['every acknowledged event', ['batch b0: never acknowledged, 3 of its 4 events stored (r1 missing)']]);
  });

  it('names an instance whose projection differs from the fold', () => {
    const h = clean();
    const report = finalOf(h).reports['api-1']!['2026-12'] as { total: { incidents: number } };
    report.total.incidents = 7;
    expect(broken(h)).toEqual([["every instance's live", ['api-1 2026-12: .total.incidents: live 7, fold 2']]]);
  });

  it('names a late alarm with its fault, but takes the recovery of a Redis outage as the bound', () => {
    const h = clean();
    finalOf(h).alarms[0]!.raisedAt = new Date(DUE + 2500).toISOString();
    h.splice(
      2,
      0,
      { t: DUE - 500, type: 'fault', id: 0, kind: 'pause', target: 'worker-0', phase: 'start', planned: 0 },
      { t: DUE + 2000, type: 'fault', id: 0, kind: 'pause', target: 'worker-0', phase: 'end', planned: 0 },
    );
    const [rule] = broken(h);
    expect(rule![0]).toBe('every missed limit');
    expect(rule![1][0]).toMatch(/^o1\/sign: due .* \(2500 ms late, .*during pause worker-0\)$/);
    expect(check(h, ladder, zone).figures.worstLateness).toEqual({ pause: 2500 });
    const outage = clean();
    finalOf(outage).alarms[0]!.raisedAt = new Date(DUE + 2500).toISOString();
    outage.splice(
      2,
      0,
      { t: DUE - 500, type: 'fault', id: 0, kind: 'redis-kill', target: 'primary', phase: 'start', planned: 0 },
      { t: DUE + 2000, type: 'fault', id: 0, kind: 'redis-kill', target: 'primary', phase: 'end', planned: 0 },
    );
    expect(broken(outage)).toEqual([]);
    expect(check(outage, ladder, zone).figures.worstLateness).toEqual({ 'redis-kill': 2500 });
  });

  it('names a missed limit without an alarm, one raised twice at a console, and an alarm for a limit met', () => {
    const none = clean();
    finalOf(none).alarms = [];
    expect(broken(none)[0]).toEqual(['every missed limit', [expect.stringMatching(/^o1\/sign: missed .* 0 alarms$/)]]);
    const twice = clean();
    twice.splice(9, 0, { t: DUE + 310, type: 'console', console: 'sup-a', kind: 'raised', alarm: 'a1', level: 0 });
    expect(broken(twice)).toEqual([['every missed limit', ['o1/sign: console sup-a saw it raised 2 times']]]);
    const met = clean();
    finalOf(met).alarms.push({ ...finalOf(met).alarms[0]!, id: 'a2', order: 'o2', level: 0 });
    met.splice(
      -1,
      0,
      { t: DUE + 950, type: 'hook', path: '/hook/sup-a', alarm: 'a2', level: 0, recipient: 'sup-a', answered: 200 },
      { t: DUE + 960, type: 'console', console: 'sup-a', kind: 'raised', alarm: 'a2', level: 0 },
    );
    expect(broken(met)).toEqual([['no limit met', [expect.stringMatching(/^o2\/sign: met at .* alarm raised/)]]]);
  });

  it('names a rung never delivered, and a double delivery with no fault between', () => {
    const lost = clean().filter((e) => !(e.type === 'hook' && e.recipient === 'boss'));
    expect(broken(lost)).toEqual([['each rung of', ["alarm a1 (o1) level 1: boss's webhook never took a delivery (never tried)"]]]);
    const double = clean();
    double.splice(-1, 0, { t: DUE + 5000, type: 'hook', path: '/hook/sup-a', alarm: 'a1', level: 0, recipient: 'sup-a', answered: 200 });
    expect(broken(double)[0]![1][0]).toMatch(/^alarm a1 level 0 sup-a: delivered again at .* with no fault between$/);
    double.splice(
      2,
      0,
      { t: DUE + 1000, type: 'fault', id: 0, kind: 'kill', target: 'worker-0', phase: 'start', planned: 0 },
      { t: DUE + 4000, type: 'fault', id: 0, kind: 'kill', target: 'worker-0', phase: 'end', planned: 0 },
    );
    expect(broken(double)).toEqual([]);
    expect(check(double, ladder, zone).figures).toMatchObject({ doubles: 1, doublesAllowed: 1 });
  });

  it('names a wall that went back, one behind at the end, and a process left down', () => {
    const back = clean();
    back.splice(8, 0, { t: T0 + 95, type: 'wall', wall: 'wall-0', kind: 'snapshot', seq: 3, rev: 7 });
    expect(broken(back)).toEqual([["every wall's final", [expect.stringMatching(/^wall-0: showed seq 3 \(snapshot\) at .* after 5 at /)]]]);
    const behind = clean();
    finalOf(behind).walls['wall-0'] = { seq: 4, reloads: 1 };
    expect(broken(behind)[0]![1]).toEqual(['wall-0: final seq 4, stored 5', 'wall-0: reloaded 1 times']);
    const down = clean();
    finalOf(down).procs['api-0']!.healthy = false;
    down.splice(-1, 0, { t: T0 + 5000, type: 'proc', name: 'api-0', event: 'exit', code: 1, signal: null });
    expect(broken(down)).toEqual([['no process needed', ['api-0: not healthy at the end', expect.stringMatching(/^api-0: exited by itself at .* \(code 1, signal null\)$/)]]]);
  });
});

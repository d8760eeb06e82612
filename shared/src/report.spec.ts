import { describe, it, expect } from 'vitest';
import type { StoredEvent } from './events.js';
import { projectEvents } from './projection.js';
import { CENTERS, DEFAULT_INDEX } from './reference.js';
import { closedRate, drillCell, drillColumns, drillReport, formatMinSec, monthlyReport } from './report.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
const MIN = 60_000;
const D = Date.parse('2020-08-25T02:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

const ev = {
  reported: (id: string, incident: string, t: number, center: string, more: Record<string, unknown> = {}): StoredEvent =>
    ({ id, type: 'incident.reported', at: iso(t), t, incident, center, kind: 'alarm', category: '其他', ...more }) as StoredEvent,
  dispatched: (id: string, incident: string, order: string, t: number, unit: string): StoredEvent =>
    ({ id, type: 'order.dispatched', at: iso(t), t, incident, order, unit }) as StoredEvent,
  signed: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.signed', at: iso(t), t, incident, order }),
  arrived: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.arrived', at: iso(t), t, incident, order }),
  feedback: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.feedback', at: iso(t), t, incident, order, stage: 'result' }),
  returned: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.returned', at: iso(t), t, incident, order, reason: '非本单位职责' }),
  closed: (id: string, incident: string, t: number): StoredEvent => ({ id, type: 'incident.closed', at: iso(t), t, incident }),
};

const project = (events: StoredEvent[], zone = ZONE) => projectEvents(events, DEFAULT_INDEX, zone);
const centerRow = (r: ReturnType<typeof monthlyReport>, id: string) => r.centers.find((c) => c.center === id)!;
const unitRow = (r: ReturnType<typeof monthlyReport>, id: string) => r.units.find((u) => u.unit === id);

describe('closedRate', () => {
  it('computes 龙湾 1023/1027 as 99.61 (the bulletin prints 99.60)', () => {
    expect(closedRate(1023, 1027)).toBe(99.61);
  });
  it('is 100 when all are closed, 0 when none, null without incidents', () => {
    expect(closedRate(5019, 5019)).toBe(100);
    expect(closedRate(0, 3)).toBe(0);
    expect(closedRate(0, 0)).toBeNull();
  });
  it('rounds half up at the second decimal', () => {
    expect(closedRate(2, 3)).toBe(66.67);
    expect(closedRate(1, 3)).toBe(33.33);
    // 19921/20000 = 99.605% exactly
    expect(closedRate(19921, 20000)).toBe(99.61);
    // 1/8 = 12.5%
    expect(closedRate(1, 8)).toBe(12.5);
  });
});

describe('monthlyReport', () => {
  it('龙湾: 1027 incidents of which 1023 closed gives closedRate 99.61', () => {
    const events: StoredEvent[] = [];
    for (let i = 0; i < 1027; i++) {
      const t = Date.parse('2020-08-01T00:00:00Z') + i * 40 * MIN;
      events.push(ev.reported(`r${i}`, `i${i}`, t, 'longwan'));
      if (i >= 4) events.push(ev.closed(`c${i}`, `i${i}`, t + 30 * MIN));
    }
    const r = monthlyReport(project(events), '2020-08', DEFAULT_INDEX);
    expect(centerRow(r, 'longwan')).toMatchObject({ incidents: 1027, closed: 1023, closedRate: 99.61, parent: 'city' });
    // 龙湾 is shown under 市本级 and counts only its own: the city row and 合计 add nothing of it.
    expect(centerRow(r, 'city')).toMatchObject({ incidents: 0, closed: 0, closedRate: null, parent: null });
    expect(r.total).toMatchObject({ incidents: 0, closed: 0, closedRate: null });
  });

  it('has every center, with null closedRate where there are no incidents', () => {
    const r = monthlyReport(project([ev.reported('r', 'i', D, 'taishun'), ev.closed('c', 'i', D + MIN)]), '2020-08', DEFAULT_INDEX);
    expect(r.month).toBe('2020-08');
    expect(r.centers.map((c) => c.center)).toEqual(CENTERS.map((c) => c.id));
    expect(centerRow(r, 'taishun')).toEqual({
      center: 'taishun',
      name: '泰顺县',
      parent: null,
      incidents: 1,
      closed: 1,
      closedRate: 100,
      feedbacks: 0,
      unfed: 0,
      overdueFeedback: 0,
      returned: 0,
    });
    expect(centerRow(r, 'wencheng')).toMatchObject({ incidents: 0, closed: 0, closedRate: null });
    expect(r.total).toEqual({ incidents: 1, closed: 1, closedRate: 100, feedbacks: 0, unfed: 0, overdueFeedback: 0, returned: 0 });
  });

  it('an empty month: all city units listed with zeros, null rates', () => {
    const r = monthlyReport(project([]), '2020-08', DEFAULT_INDEX);
    expect(r.units.map((u) => u.name)).toEqual([
      '温州电力局',
      '温州市生态环境局',
      '温州市综合执法局',
      '温州市场监督管理局',
      '温州市公用事业投资集团',
      '温州市卫健委',
      '温州市人力资源和社会保障局',
      '温州市应急管理局',
      '温州市交通运输局',
      '温州市住建局',
    ]);
    expect(r.units.every((u) => u.orders === 0 && u.unsigned === 0)).toBe(true);
    expect(r.total.closedRate).toBeNull();
  });

  it('unit columns: unsigned = orders - signed, unfed excludes returned and fed orders', () => {
    const i = (n: number) => `i${n}`;
    const r = monthlyReport(
      project([
        ev.reported('r1', i(1), D, 'city', { district: 'lucheng' }),
        // o1: signed, fed twice -> signed, 2 feedbacks
        ev.dispatched('d1', i(1), 'o1', D, 'city.power'),
        ev.signed('s1', i(1), 'o1', D + MIN),
        ev.feedback('f1a', i(1), 'o1', D + 10 * MIN),
        ev.feedback('f1b', i(1), 'o1', D + 20 * MIN),
        // o2: signed, no feedback -> unfed
        ev.dispatched('d2', i(1), 'o2', D, 'city.power'),
        ev.signed('s2', i(1), 'o2', D + MIN),
        // o3: never signed, nothing else -> unsigned, unfed
        ev.dispatched('d3', i(1), 'o3', D, 'city.power'),
        // o4: returned (signing implied) -> returned, not unfed
        ev.dispatched('d4', i(1), 'o4', D, 'city.power'),
        ev.returned('x4', i(1), 'o4', D + 2 * MIN),
        // o5 to another unit, arrived only (signing implied) -> unfed
        ev.dispatched('d5', i(1), 'o5', D, 'city.health'),
        ev.arrived('a5', i(1), 'o5', D + 15 * MIN),
      ]),
      '2020-08',
      DEFAULT_INDEX,
    );
    expect(unitRow(r, 'city.power')).toEqual({
      unit: 'city.power',
      name: '温州电力局',
      center: 'city',
      orders: 4,
      signed: 3,
      unsigned: 1,
      feedbacks: 2,
      unfed: 2,
      returned: 1,
    });
    expect(unitRow(r, 'city.health')).toMatchObject({ orders: 1, signed: 1, unsigned: 0, feedbacks: 0, unfed: 1, returned: 0 });
    expect(centerRow(r, 'city')).toMatchObject({ incidents: 1, closed: 0, closedRate: 0, feedbacks: 2, unfed: 3, overdueFeedback: 0, returned: 1 });
  });

  it('lists a non-city unit only when it has orders', () => {
    const r = monthlyReport(
      project([ev.reported('r', 'i', D, 'cangnan'), ev.dispatched('d', 'i', 'o', D, 'cangnan.market'), ev.returned('x', 'i', 'o', D + MIN)]),
      '2020-08',
      DEFAULT_INDEX,
    );
    expect(r.units.filter((u) => u.center !== 'city')).toEqual([
      { unit: 'cangnan.market', name: '苍南市场监管', center: 'cangnan', orders: 1, signed: 1, unsigned: 0, feedbacks: 0, unfed: 0, returned: 1 },
    ]);
    expect(r.units).toHaveLength(11);
  });

  it('total adds only the rows without a parent, for every column', () => {
    const s = project([
      // lucheng: 1 incident, closed, 1 order fed late, 1 returned
      ev.reported('r1', 'i1', D, 'lucheng'),
      ev.closed('c1', 'i1', D + 90 * MIN),
      ev.dispatched('d1', 'i1', 'o1', D, 'lucheng.police'),
      ev.feedback('f1', 'i1', 'o1', D + 61 * MIN),
      ev.dispatched('d2', 'i1', 'o2', D, 'lucheng.street'),
      ev.returned('x2', 'i1', 'o2', D + MIN),
      // city itself (district ouhai): 1 incident, 1 unfed order
      ev.reported('r3', 'i3', D, 'city', { district: 'ouhai' }),
      ev.dispatched('d3', 'i3', 'o3', D, 'city.housing'),
      // yueqing: 2 incidents, 1 closed
      ev.reported('r4', 'i4', D, 'yueqing'),
      ev.reported('r5', 'i5', D, 'yueqing'),
      ev.closed('c5', 'i5', D + MIN),
    ]);
    const r = monthlyReport(s, '2020-08', DEFAULT_INDEX);
    expect(centerRow(r, 'lucheng')).toMatchObject({ incidents: 1, closed: 1, closedRate: 100, feedbacks: 1, unfed: 0, overdueFeedback: 1, returned: 1 });
    // The city row: its own incident i3 only, with urban incidents present (lucheng's i1).
    expect(centerRow(r, 'city')).toMatchObject({ incidents: 1, closed: 0, closedRate: 0, feedbacks: 0, unfed: 1, overdueFeedback: 0, returned: 0 });
    expect(centerRow(r, 'yueqing')).toMatchObject({ incidents: 2, closed: 1, closedRate: 50 });
    // 1 (city's own) + 2 (yueqing) per column; lucheng is shown (parent city) but not added.
    expect(r.total).toEqual({ incidents: 3, closed: 1, closedRate: 33.33, feedbacks: 0, unfed: 1, overdueFeedback: 0, returned: 0 });
    expect(centerRow(r, 'lucheng').parent).toBe('city');
  });

  it('month edges in Asia/Shanghai', () => {
    const s = project([
      ev.reported('r1', 'i1', Date.parse('2020-07-31T16:30:00Z'), 'ruian'), // 2020-08-01 00:30 local
      ev.reported('r2', 'i2', Date.parse('2020-08-31T16:30:00Z'), 'ruian'), // 2020-09-01 00:30 local
      ev.reported('r3', 'i3', Date.parse('2020-07-31T15:59:00Z'), 'ruian'), // 2020-07-31 23:59 local
    ]);
    expect(centerRow(monthlyReport(s, '2020-07', DEFAULT_INDEX), 'ruian').incidents).toBe(1);
    expect(centerRow(monthlyReport(s, '2020-08', DEFAULT_INDEX), 'ruian').incidents).toBe(1);
    expect(centerRow(monthlyReport(s, '2020-09', DEFAULT_INDEX), 'ruian').incidents).toBe(1);
  });

  it('month edges follow the zone: the same instants in UTC and Europe/Berlin', () => {
    const events = [
      ev.reported('r1', 'i1', Date.parse('2020-07-31T16:30:00Z'), 'ruian'),
      ev.reported('r2', 'i2', Date.parse('2020-08-31T16:30:00Z'), 'ruian'),
      ev.reported('r3', 'i3', Date.parse('2020-07-31T22:30:00Z'), 'ruian'), // 2020-08-01 00:30 in Berlin (CEST)
    ];
    const count = (zone: Zone, month: string) => centerRow(monthlyReport(project(events, zone), month, DEFAULT_INDEX), 'ruian').incidents;
    const utc = new Zone('UTC');
    expect([count(utc, '2020-07'), count(utc, '2020-08'), count(utc, '2020-09')]).toEqual([2, 1, 0]);
    const berlin = new Zone('Europe/Berlin');
    expect([count(berlin, '2020-07'), count(berlin, '2020-08'), count(berlin, '2020-09')]).toEqual([1, 2, 0]);
    expect([count(ZONE, '2020-07'), count(ZONE, '2020-08'), count(ZONE, '2020-09')]).toEqual([0, 2, 1]);
  });

  it('orders and feedbacks count with the month of their incident report', () => {
    const s = project([
      ev.reported('r', 'i', Date.parse('2020-08-31T15:50:00Z'), 'city', { district: 'longwan' }), // 23:50 on Aug 31
      ev.dispatched('d', 'i', 'o', Date.parse('2020-08-31T16:10:00Z'), 'city.power'), // 00:10 on Sep 1
      ev.feedback('f', 'i', 'o', Date.parse('2020-08-31T16:40:00Z')),
    ]);
    expect(unitRow(monthlyReport(s, '2020-08', DEFAULT_INDEX), 'city.power')).toMatchObject({ orders: 1, feedbacks: 1 });
    expect(unitRow(monthlyReport(s, '2020-09', DEFAULT_INDEX), 'city.power')).toMatchObject({ orders: 0, feedbacks: 0 });
  });

  it('leaves drills out of both annexes', () => {
    const s = project([
      ev.reported('r', 'i', D, 'city', { district: 'ouhai', drill: true }),
      ev.dispatched('d', 'i', 'o', D, 'city.power'),
      ev.feedback('f', 'i', 'o', D + MIN),
      ev.closed('c', 'i', D + 30 * MIN),
      ev.reported('r2', 'i2', D, 'ouhai', { drill: true }),
      ev.dispatched('d2', 'i2', 'o2', D, 'ouhai.police'),
    ]);
    const r = monthlyReport(s, '2020-08', DEFAULT_INDEX);
    expect(unitRow(r, 'city.power')).toMatchObject({ orders: 0, feedbacks: 0 });
    expect(unitRow(r, 'ouhai.police')).toBeUndefined();
    expect(centerRow(r, 'city')).toMatchObject({ incidents: 0, closed: 0 });
    expect(centerRow(r, 'ouhai')).toMatchObject({ incidents: 0 });
    expect(r.total.incidents).toBe(0);
  });
});

describe('drillReport', () => {
  // The bulletin's 8月25日 drills: arrival times per department, "-" = not dispatched.
  const OUHAI: Array<[string, number]> = [
    ['police', 3 * 60],
    ['emergency', 18 * 60 + 25],
    ['ecology', 27 * 60 + 30],
    ['transport', 14 * 60 + 10],
    ['market', 18 * 60 + 15],
    ['labour', 11 * 60 + 50],
    ['power', 22 * 60 + 20],
    ['street', 13 * 60 + 30],
  ];
  const YONGJIA: Array<[string, number]> = [
    ['police', 5 * 60 + 10],
    ['emergency', 14 * 60 + 40],
    ['ecology', 10 * 60 + 15],
    ['transport', 21 * 60 + 30],
    ['market', 9 * 60],
    ['labour', 13 * 60 + 50],
    ['health', 14 * 60 + 50],
    ['enforcement', 9 * 60 + 20],
    ['power', 13 * 60 + 30],
    ['street', 17 * 60 + 35],
  ];
  const drill = (incident: string, center: string, t: number, arrivals: Array<[string, number]>): StoredEvent[] => [
    ev.reported(`${incident}-r`, incident, t, center, { drill: true }),
    ...arrivals.flatMap(([type, seconds]) => [
      ev.dispatched(`${incident}-d-${type}`, incident, `${incident}-${type}`, t, `${center}.${type}`),
      ev.arrived(`${incident}-a-${type}`, incident, `${incident}-${type}`, t + seconds * 1000),
    ]),
    ev.closed(`${incident}-c`, incident, t + 40 * MIN),
  ];
  const ouhaiAt = Date.parse('2020-08-25T01:00:00Z'); // 09:00 local
  const yongjiaAt = Date.parse('2020-08-25T06:00:00Z'); // 14:00 local

  it('the 瓯海 drill: 27:30 and 22:20 are late against 20 min -> 2; 永嘉: 21:30 -> 1', () => {
    const s = project([...drill('yj', 'yongjia', yongjiaAt, YONGJIA), ...drill('oh', 'ouhai', ouhaiAt, OUHAI)]);
    const rows = drillReport(s, '2020-08', DEFAULT_INDEX, ZONE);
    expect(rows.map((r) => [r.incident, r.center, r.at, r.lateCount])).toEqual([
      ['oh', 'ouhai', '2020-08-25T01:00:00.000Z', 2],
      ['yj', 'yongjia', '2020-08-25T06:00:00.000Z', 1],
    ]);
    // Same dispatch time: sorted by unit id.
    expect(rows[0]!.arrivals.map((a) => [a.unitType, a.seconds, a.late])).toEqual([
      ['ecology', 1650, true],
      ['emergency', 1105, false],
      ['labour', 710, false],
      ['market', 1095, false],
      ['police', 180, false],
      ['power', 1340, true],
      ['street', 810, false],
      ['transport', 850, false],
    ]);
    expect(rows[0]!.arrivals[0]).toEqual({
      unit: 'ouhai.ecology',
      unitType: 'ecology',
      dispatchedAt: '2020-08-25T01:00:00.000Z',
      arrivedAt: '2020-08-25T01:27:30.000Z',
      seconds: 1650,
      late: true,
    });
    expect(rows[1]!.arrivals.filter((a) => a.late).map((a) => a.unit)).toEqual(['yongjia.transport']);
  });

  it('an arrival exactly at 20:00 is in time, 20:01 is late; nobody on scene is late once the drill is closed', () => {
    const t = Date.parse('2020-08-20T07:00:00Z');
    const events = [
      ev.reported('r', 'x', t, 'pingyang', { drill: true }),
      ev.dispatched('d1', 'x', 'o1', t, 'pingyang.market'),
      ev.arrived('a1', 'x', 'o1', t + 20 * MIN),
      ev.dispatched('d2', 'x', 'o2', t, 'pingyang.water'),
      ev.arrived('a2', 'x', 'o2', t + 20 * MIN + 1000),
      ev.dispatched('d3', 'x', 'o3', t + MIN, 'pingyang.power'),
    ];
    const open = drillReport(project(events), '2020-08', DEFAULT_INDEX, ZONE)[0]!;
    expect(open.arrivals.map((a) => [a.unit, a.seconds, a.late])).toEqual([
      ['pingyang.market', 1200, false],
      ['pingyang.water', 1201, true],
      ['pingyang.power', null, false],
    ]);
    expect(open.arrivals[2]!.arrivedAt).toBeNull();
    expect(open.lateCount).toBe(1);
    const closed = drillReport(project([...events, ev.closed('c', 'x', t + 45 * MIN)]), '2020-08', DEFAULT_INDEX, ZONE)[0]!;
    expect(closed.arrivals[2]).toMatchObject({ unit: 'pingyang.power', late: true });
    expect(closed.lateCount).toBe(2);
  });

  it('orders its arrivals the same whatever order the events came in, even for one unit sent twice at once', () => {
    const t = Date.parse('2020-08-20T07:00:00Z');
    const events = [
      ev.reported('r', 'x', t, 'pingyang', { drill: true }),
      ev.dispatched('d1', 'x', 'o1', t, 'pingyang.police'),
      ev.arrived('a1', 'x', 'o1', t + 25 * MIN),
      ev.dispatched('d2', 'x', 'o2', t, 'pingyang.police'),
      ev.arrived('a2', 'x', 'o2', t + 5 * MIN),
      ev.dispatched('d3', 'x', 'o3', t, 'pingyang.police'),
    ];
    const rows = [events, events.slice().reverse(), [events[0]!, events[5]!, events[3]!, events[1]!, events[2]!, events[4]!]].map((order) =>
      drillReport(project(order), '2020-08', DEFAULT_INDEX, ZONE),
    );
    expect(rows[0]![0]!.arrivals.map((a) => a.seconds)).toEqual([300, 1500, null]);
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
  });

  it('lists only drills reported in the month, in the report zone, and no real incidents', () => {
    const s = project([
      ev.reported('r1', 'late-july', Date.parse('2020-07-31T16:30:00Z'), 'ouhai', { drill: true }), // Aug 1 local
      ev.reported('r2', 'sept', Date.parse('2020-08-31T16:30:00Z'), 'ouhai', { drill: true }), // Sep 1 local
      ev.reported('r3', 'real', D, 'ouhai'),
    ]);
    expect(drillReport(s, '2020-08', DEFAULT_INDEX, ZONE).map((r) => r.incident)).toEqual(['late-july']);
    expect(drillReport(s, '2020-09', DEFAULT_INDEX, ZONE).map((r) => r.incident)).toEqual(['sept']);
    expect(drillReport(s, '2020-07', DEFAULT_INDEX, ZONE)).toEqual([]);
    expect(drillReport(s, '2020-07', DEFAULT_INDEX, new Zone('UTC')).map((r) => r.incident)).toEqual(['late-july']);
  });
});

describe('the drill table', () => {
  it('writes times as the bulletin does', () => {
    expect(formatMinSec(180)).toBe('3分');
    expect(formatMinSec(18 * 60 + 25)).toBe('18分25秒');
    expect(formatMinSec(45)).toBe('45秒');
    expect(formatMinSec(0)).toBe('0秒');
    expect(formatMinSec(-200)).toBe('-3分20秒');
  });

  it("has the bulletin's ten departments, then others the drills called, and each drill's first unit per department", () => {
    const t = D;
    const s = project([
      ev.reported('r', 'x', t, 'pingyang', { drill: true }),
      ev.dispatched('d1', 'x', 'o1', t, 'pingyang.water'),
      ev.arrived('a1', 'x', 'o1', t + 21 * MIN + 30_000),
      ev.dispatched('d2', 'x', 'o2', t, 'pingyang.police'),
      ev.arrived('a2', 'x', 'o2', t + 3 * MIN),
    ]);
    const rows = drillReport(s, '2020-08', DEFAULT_INDEX, ZONE);
    const columns = drillColumns(rows, DEFAULT_INDEX);
    expect(columns.map((c) => c.label)).toEqual(['公安', '应急管理', '生态环境', '交通运输', '市场监管', '人力社保', '卫健委', '综合执法', '供电', '街道（政府）', '水利']);
    expect(drillCell(rows[0]!, 'water')).toMatchObject({ seconds: 1290, late: true });
    expect(drillCell(rows[0]!, 'police')).toMatchObject({ seconds: 180, late: false });
    expect(drillCell(rows[0]!, 'health')).toBeNull();
    expect(drillColumns([], DEFAULT_INDEX)).toHaveLength(10);
  });
});

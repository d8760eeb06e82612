import { describe, it, expect } from 'vitest';
import type { StoredEvent } from './events.js';
import { applyEvent, projectEvents } from './projection.js';
import { DEFAULT_INDEX } from './reference.js';
import { monthlyReport } from './report.js';
import { Zone } from './time.js';
import { DEFAULT_ROSTER } from './roster.js';
import { buildWallSections, changedSections, OVERDUE_LIST_SIZE, prewarnedItems, SECTION_NAMES, TICKER_SIZE, UNIT_BOARD_SIZE, WEEK_DAYS } from './view.js';

const ZONE = new Zone('Asia/Shanghai');
const MIN = 60_000;
const u = (s: string) => Date.parse(s);
const iso = (t: number) => new Date(t).toISOString();

const ev = {
  reported: (id: string, incident: string, t: number, center: string, more: Record<string, unknown> = {}): StoredEvent =>
    ({ id, type: 'incident.reported', at: iso(t), t, incident, center, kind: 'alarm', category: '其他', ...more }) as StoredEvent,
  dispatched: (id: string, incident: string, order: string, t: number, unit: string, deadlines?: Record<string, number>): StoredEvent =>
    ({ id, type: 'order.dispatched', at: iso(t), t, incident, order, unit, ...(deadlines ? { deadlines } : {}) }) as StoredEvent,
  signed: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.signed', at: iso(t), t, incident, order }),
  arrived: (id: string, incident: string, order: string, t: number): StoredEvent => ({ id, type: 'order.arrived', at: iso(t), t, incident, order }),
  closed: (id: string, incident: string, t: number): StoredEvent => ({ id, type: 'incident.closed', at: iso(t), t, incident }),
};
const project = (events: StoredEvent[]) => projectEvents(events, DEFAULT_INDEX, ZONE);
const wall = (events: StoredEvent[], now: number) => buildWallSections(project(events), now, DEFAULT_INDEX, ZONE);
const hours = (entries: Record<number, number>) => Array.from({ length: 24 }, (_, h) => entries[h] ?? 0);

// now: 2020-08-25 14:30 in Wenzhou. Today began 2020-08-24T16:00Z, yesterday 2020-08-23T16:00Z.
const NOW = u('2020-08-25T06:30:00Z');

describe('buildWallSections: today and yesterday', () => {
  const events = [
    ev.reported('ra', 'a', u('2020-08-25T01:10:00Z'), 'yongjia'), // today 09:10
    ev.reported('rb', 'b', NOW, 'lucheng', { summary: '车祸', location: { lng: 120.65, lat: 28.01 } }), // today 14:30, exactly now
    ev.reported('rd', 'd', u('2020-08-24T06:30:00Z'), 'city', { district: 'ouhai' }), // yesterday 14:30
    ev.reported('re', 'e', u('2020-08-24T06:31:00Z'), 'ouhai'), // yesterday 14:31
    ev.reported('rf', 'f', u('2020-08-23T16:00:00Z'), 'ruian'), // yesterday 00:00
    ev.reported('rg', 'g', u('2020-08-24T15:59:00Z'), 'ruian'), // yesterday 23:59
    ev.reported('rh', 'h', u('2020-08-25T02:00:00Z'), 'yongjia', { drill: true }), // a drill today
    ev.reported('ri', 'i', u('2020-08-23T15:59:00Z'), 'ruian'), // the day before yesterday, 23:59
    ev.closed('cb', 'b', NOW),
  ];

  it('counts today up to now and yesterday up to the same time of day', () => {
    const s = wall(events, NOW);
    expect(s.kpi.today).toBe(2); // a, b
    expect(s.kpi.yesterdaySameTime).toBe(2); // f (00:00), d (14:30); not e (14:31), g (23:59)
    expect(s.hourly.today).toEqual(hours({ 9: 1, 14: 1 }));
    expect(s.hourly.yesterday).toEqual(hours({ 0: 1, 14: 2, 23: 1 }));
  });

  it('counts the week hour by hour, oldest day first: the day before yesterday, yesterday, today', () => {
    const s = wall(events, NOW);
    expect(s.hourly.week).toHaveLength(WEEK_DAYS * 24);
    const expected = new Array<number>(WEEK_DAYS * 24).fill(0);
    expected[(WEEK_DAYS - 3) * 24 + 23] = 1; // i, 08-23 23:59
    hours({ 0: 1, 14: 2, 23: 1 }).forEach((n, h) => (expected[(WEEK_DAYS - 2) * 24 + h] = n));
    hours({ 9: 1, 14: 1 }).forEach((n, h) => (expected[(WEEK_DAYS - 1) * 24 + h] = n));
    expect(s.hourly.week).toEqual(expected);
  });

  it('month figures: every real incident of the month so far, closedRate and in progress; 附件2 with its 合计', () => {
    const s = wall(events, NOW);
    // a b d e f g i: 7 real incidents in August, 1 closed
    expect(s.kpi.month).toBe(7);
    expect(s.kpi.inProgress).toBe(6);
    expect(s.kpi.closedRate).toBe(14.29); // 1/7
    expect(s.kpi.returnedMonth).toBe(0);
    const report = monthlyReport(project(events), '2020-08', DEFAULT_INDEX);
    expect(s.centers).toEqual(report.centers);
    // 合计 leaves the urban rows out: b (鹿城) and e (瓯海) are shown under 市本级, not added.
    expect(s.centersTotal).toEqual(report.total);
    expect(s.centersTotal).toMatchObject({ incidents: 5, closed: 0 });
    expect(s.centers.find((c) => c.center === 'lucheng')).toMatchObject({ incidents: 1, closed: 1, closedRate: 100 });
    expect(s.centers.find((c) => c.center === 'city')).toMatchObject({ incidents: 1, closed: 0 });
  });

  it('leaves incidents after now out of today', () => {
    const later = [...events, ev.reported('rj', 'j', NOW + 1000, 'yongjia')];
    const s = wall(later, NOW);
    expect(s.kpi.today).toBe(2);
    expect(s.hourly.today).toEqual(hours({ 9: 1, 14: 1 }));
    expect(s.ticker.map((t) => t.incident)).not.toContain('j');
    expect(wall(later, NOW + 1000).kpi.today).toBe(3);
  });

  it('district figures count today per map district', () => {
    const s = wall(events, NOW);
    const today = Object.fromEntries(s.districts.map((d) => [d.id, d.today]));
    expect(today).toEqual({ lucheng: 1, longwan: 0, ouhai: 0, dongtou: 0, yongjia: 1, pingyang: 0, cangnan: 0, wencheng: 0, taishun: 0, ruian: 0, yueqing: 0 });
  });

  it('the ticker lists today and yesterday, newest first, drills left out', () => {
    const s = wall(events, NOW);
    expect(s.ticker.map((t) => t.incident)).toEqual(['b', 'a', 'g', 'e', 'd', 'f']);
    expect(s.ticker[0]).toEqual({
      incident: 'b',
      t: NOW,
      center: 'lucheng',
      district: 'lucheng',
      kind: 'alarm',
      category: '其他',
      summary: '车祸',
      location: { lng: 120.65, lat: 28.01 },
    });
    expect(s.ticker[4]).toMatchObject({ incident: 'd', center: 'city', district: 'ouhai', summary: null, location: null });
  });

  it('yesterday becomes today at local midnight', () => {
    const s = wall(events, u('2020-08-24T16:00:00Z')); // 2020-08-25 00:00 local
    expect(s.kpi.today).toBe(0);
    // Yesterday (2020-08-24) up to 00:00: only f at 00:00.
    expect(s.kpi.yesterdaySameTime).toBe(1);
    const day = wall(events, u('2020-08-24T15:59:59Z')); // 2020-08-24 23:59:59 local
    expect(day.kpi.today).toBe(4); // f d e g
    expect(day.kpi.yesterdaySameTime).toBe(1); // i
  });
});

describe('buildWallSections: the ticker is bounded', () => {
  it(`keeps the ${TICKER_SIZE} newest of today's incidents`, () => {
    const start = u('2020-08-24T16:00:00Z');
    const events = Array.from({ length: 25 }, (_, k) => ev.reported(`r${k}`, `t${String(k).padStart(2, '0')}`, start + k * 10 * MIN, 'dongtou'));
    const now = start + 25 * 10 * MIN;
    const s = wall(events.slice().reverse(), now);
    expect(s.kpi.today).toBe(25);
    expect(s.ticker).toHaveLength(TICKER_SIZE);
    expect(s.ticker.map((t) => t.incident)).toEqual(Array.from({ length: 20 }, (_, k) => `t${String(24 - k).padStart(2, '0')}`));
  });

  it("fills up with yesterday's newest, whatever order they arrived in", () => {
    const todayStart = u('2020-08-24T16:00:00Z');
    const today = Array.from({ length: 5 }, (_, k) => ev.reported(`rt${k}`, `t${k}`, todayStart + (k + 1) * MIN, 'dongtou'));
    // 30 incidents yesterday, one every 30 minutes, applied oldest first.
    const yesterday = Array.from({ length: 30 }, (_, k) => ev.reported(`ry${k}`, `y${String(k).padStart(2, '0')}`, todayStart - 24 * 60 * MIN + k * 30 * MIN, 'wencheng'));
    const now = todayStart + 60 * MIN;
    const expected = [...['t4', 't3', 't2', 't1', 't0'], ...Array.from({ length: 15 }, (_, k) => `y${29 - k}`)];
    for (const order of [
      [...yesterday, ...today],
      [...yesterday.slice().reverse(), ...today],
      [...today, ...yesterday],
    ]) {
      const s = wall(order, now);
      expect(s.ticker.map((t) => t.incident)).toEqual(expected);
    }
  });
});

describe('buildWallSections: overdue orders', () => {
  const a = u('2020-08-25T01:10:00Z');
  const d1 = u('2020-08-25T06:00:00Z');
  const events = [
    ev.reported('ra', 'a', a, 'yongjia', { location: { lng: 120.7, lat: 28.15 } }),
    // o1: dispatched 06:00Z, signed in time, not on scene: arrive due 06:20, feedback due 07:00.
    ev.dispatched('d1', 'a', 'o1', d1, 'yongjia.police'),
    ev.signed('s1', 'a', 'o1', d1 + 3 * MIN),
    ev.reported('rb', 'b', u('2020-08-25T06:25:00Z'), 'lucheng'),
    // o2: dispatched 06:29Z, nothing else: sign due 06:34.
    ev.dispatched('d2', 'b', 'o2', u('2020-08-25T06:29:00Z'), 'lucheng.street'),
  ];

  it('nothing is overdue at the due instant itself', () => {
    const s = wall(events, d1 + 20 * MIN);
    expect(s.overdue).toMatchObject({ total: 0, items: [] });
    // At its due instant the arrival is still yellow (pre-warned), not red.
    expect(s.overdue.warnings!.items.map((w) => [w.order, w.limit])).toEqual([['o1', 'arrive']]);
    expect(s.kpi.overdue).toBe(0);
    const yongjia = s.districts.find((d) => d.id === 'yongjia')!;
    expect([yongjia.open, yongjia.overdue]).toEqual([1, 0]);
  });

  it('an order is overdue one ms after its limit, one item per late limit', () => {
    const s = wall(events, d1 + 20 * MIN + 1);
    expect(s.overdue.total).toBe(1);
    expect(s.overdue.items).toEqual([
      {
        order: 'o1',
        incident: 'a',
        unit: 'yongjia.police',
        center: 'yongjia',
        district: 'yongjia',
        limit: 'arrive',
        dueAt: d1 + 20 * MIN,
        location: { lng: 120.7, lat: 28.15 },
        acknowledgedBy: null,
        unreached: false,
      },
    ]);
    // o2 is not dispatched yet at 06:20Z, so not open.
    // b is reported at 06:25Z, after now.
    expect(s.districts.find((d) => d.id === 'lucheng')).toEqual({ id: 'lucheng', today: 0, open: 0, overdue: 0 });
  });

  it('an item with a 督办 says so; the others carry no mark', () => {
    const now = u('2020-08-25T07:00:01Z');
    const s = buildWallSections(project(events), now, DEFAULT_INDEX, ZONE, { supervised: (order, limit) => order === 'o2' && limit === 'sign' });
    const marked = s.overdue.items.filter((i) => i.supervised);
    expect(marked.map((i) => [i.order, i.limit])).toEqual([['o2', 'sign']]);
    expect(s.overdue.items.filter((i) => !('supervised' in i))).toHaveLength(s.overdue.items.length - 1);
  });

  it('at 07:00:01Z: o1 late on arrival and feedback, o2 on sign and arrival; newest due first', () => {
    const now = u('2020-08-25T07:00:01Z');
    const s = wall(events, now);
    // o2's feedback is due 07:29, still pending.
    expect(s.overdue.items.map((i) => [i.order, i.limit, iso(i.dueAt)])).toEqual([
      ['o1', 'feedback', '2020-08-25T07:00:00.000Z'],
      ['o2', 'arrive', '2020-08-25T06:49:00.000Z'],
      ['o2', 'sign', '2020-08-25T06:34:00.000Z'],
      ['o1', 'arrive', '2020-08-25T06:20:00.000Z'],
    ]);
    expect(s.kpi.overdue).toBe(4);
    expect(s.overdue.total).toBe(4);
    expect(s.districts.find((d) => d.id === 'lucheng')).toMatchObject({ open: 1, overdue: 1 });
    expect(s.districts.find((d) => d.id === 'yongjia')).toMatchObject({ open: 1, overdue: 1 });
  });

  it('names who acknowledged an item, asked per order and limit', () => {
    const now = u('2020-08-25T07:00:01Z');
    const asked: string[] = [];
    const s = buildWallSections(project(events), now, DEFAULT_INDEX, ZONE, {
      acks: (order, limit) => {
        asked.push(`${order}/${limit}`);
        return order === 'o2' && limit === 'sign' ? 'duty1' : null;
      },
    });
    expect(s.overdue.items.map((i) => [i.order, i.limit, i.acknowledgedBy])).toEqual([
      ['o1', 'feedback', null],
      ['o2', 'arrive', null],
      ['o2', 'sign', 'duty1'],
      ['o1', 'arrive', null],
    ]);
    expect(asked.sort()).toEqual(['o1/arrive', 'o1/feedback', 'o2/arrive', 'o2/sign']);
  });

  it('an arrival or a close takes the order off the list', () => {
    const now = u('2020-08-25T07:00:01Z');
    const s = wall([...events, ev.arrived('a1', 'a', 'o1', u('2020-08-25T06:45:00Z')), ev.closed('cb', 'b', u('2020-08-25T06:50:00Z'))], now);
    expect(s.overdue.items.map((i) => [i.order, i.limit])).toEqual([['o1', 'feedback']]);
    expect(s.districts.find((d) => d.id === 'lucheng')).toMatchObject({ open: 0, overdue: 0 });
  });

  it('unit figures: sign and arrival rates with one decimal', () => {
    const t = u('2020-08-25T02:00:00Z');
    const s = wall(
      [
        ev.reported('r', 'x', t, 'taishun'),
        ev.dispatched('d1', 'x', 'p1', t, 'taishun.power'),
        ev.signed('s1', 'x', 'p1', t + MIN),
        ev.arrived('a1', 'x', 'p1', t + 10 * MIN),
        ev.dispatched('d2', 'x', 'p2', t, 'taishun.power'),
        ev.signed('s2', 'x', 'p2', t + 4 * MIN),
        ev.arrived('a2', 'x', 'p2', t + 30 * MIN),
        ev.dispatched('d3', 'x', 'p3', t, 'taishun.power'),
        ev.signed('s3', 'x', 'p3', t + 6 * MIN),
        ev.dispatched('d4', 'x', 'p4', t, 'taishun.water'),
      ],
      NOW,
    );
    expect(s.units).toEqual([
      // water: 0 of 1 signed in time, no arrival decided
      { unit: 'taishun.water', name: '泰顺水利', orders: 1, signRate: 0, arriveRate: null },
      // power: 2 of 3 signed in time = 66.7, 1 of 2 arrivals in time = 50
      { unit: 'taishun.power', name: '泰顺供电', orders: 3, signRate: 66.7, arriveRate: 50 },
    ]);
  });
});

describe('changedSections', () => {
  const t = u('2020-08-25T06:00:00Z');
  const events = [
    ev.reported('ra', 'a', t, 'yongjia'),
    ev.dispatched('d1', 'a', 'o1', t, 'yongjia.police'),
    ev.signed('s1', 'a', 'o1', t + MIN),
    ev.dispatched('d2', 'a', 'o2', u('2020-08-25T06:29:00Z'), 'yongjia.fire'),
  ];

  it('returns every section without a previous view, none for an identical one', () => {
    const s = wall(events, NOW);
    expect(Object.keys(changedSections(undefined, s)).sort()).toEqual([...SECTION_NAMES].sort());
    expect(changedSections(s, wall(events, NOW))).toEqual({});
  });

  it('returns only the sections an event changed', () => {
    const state = project(events);
    const before = buildWallSections(state, NOW, DEFAULT_INDEX, ZONE);
    applyEvent(state, ev.signed('s2', 'a', 'o2', NOW), DEFAULT_INDEX, ZONE);
    const after = buildWallSections(state, NOW, DEFAULT_INDEX, ZONE);
    const changed = changedSections(before, after);
    expect(Object.keys(changed)).toEqual(['units']);
    expect(changed.units).toEqual(after.units);
    expect(after.units.find((x) => x.unit === 'yongjia.fire')!.signRate).toBe(100);
  });

  it('returns the sections time alone changed', () => {
    const state = project(events);
    const before = buildWallSections(state, NOW, DEFAULT_INDEX, ZONE);
    // o2's sign limit (06:34Z) passes; the minute is still in hour 14 with no incident near it.
    const after = buildWallSections(state, u('2020-08-25T06:34:01Z'), DEFAULT_INDEX, ZONE);
    expect(Object.keys(changedSections(before, after)).sort()).toEqual(['districts', 'kpi', 'overdue']);
  });
});

describe('buildWallSections: holiday duty', () => {
  it('shows the roster duty period of the day, and none on an ordinary day', () => {
    const roster = { ...DEFAULT_ROSTER, dutyPeriods: [{ name: '国庆·中秋', from: '2020-10-01', to: '2020-10-08' }] };
    const state = project([]);
    expect(buildWallSections(state, u('2020-10-03T02:00:00Z'), DEFAULT_INDEX, ZONE, { roster }).duty).toEqual(roster.dutyPeriods[0]);
    // 2020-09-30T16:30Z is already 10-01 in Shanghai.
    expect(buildWallSections(state, u('2020-09-30T16:30:00Z'), DEFAULT_INDEX, ZONE, { roster }).duty?.name).toBe('国庆·中秋');
    expect(buildWallSections(state, u('2020-10-09T02:00:00Z'), DEFAULT_INDEX, ZONE, { roster }).duty).toBeNull();
    expect(buildWallSections(state, u('2020-10-03T02:00:00Z'), DEFAULT_INDEX, ZONE).duty).toBeNull();
  });
});

describe('buildWallSections: edges of today and the week', () => {
  it('counts an incident of today with no map district in today, in no district', () => {
    // 市本级 (city) has no district of its own unless the event names one.
    const s = wall([ev.reported('rz', 'z', u('2020-08-25T01:00:00Z'), 'city')], NOW);
    expect(s.kpi.today).toBe(1);
    expect(s.districts.every((d) => d.today === 0)).toBe(true);
    expect(s.ticker.map((t) => [t.incident, t.district])).toEqual([['z', null]]);
  });

  it("the week's oldest day is six days before today; the seventh before is left out", () => {
    // 2020-08-19 10:00 and 2020-08-18 10:00 in Wenzhou.
    const s = wall([ev.reported('r6', 'six', u('2020-08-19T02:00:00Z'), 'ruian'), ev.reported('r7', 'seven', u('2020-08-18T02:00:00Z'), 'ruian')], NOW);
    const expected = new Array<number>(WEEK_DAYS * 24).fill(0);
    expected[10] = 1;
    expect(s.hourly.week).toEqual(expected);
  });

  it('an order dispatched at now itself is open', () => {
    const s = wall([ev.reported('ra', 'a', u('2020-08-25T06:00:00Z'), 'yongjia'), ev.dispatched('d1', 'a', 'o1', NOW, 'yongjia.police')], NOW);
    expect(s.districts.find((d) => d.id === 'yongjia')).toMatchObject({ open: 1, overdue: 0 });
    expect(
      wall([ev.reported('ra', 'a', u('2020-08-25T06:00:00Z'), 'yongjia'), ev.dispatched('d1', 'a', 'o1', NOW + 1, 'yongjia.police')], NOW).districts.find(
        (d) => d.id === 'yongjia',
      ),
    ).toMatchObject({ open: 0 });
  });

  it('ticker: incidents of the same instant by id, whatever order they arrived in', () => {
    const t = u('2020-08-25T03:00:00Z');
    const events = ['tb', 'ta', 'tc'].map((id) => ev.reported(`r-${id}`, id, t, 'ruian'));
    for (const order of [events, [...events].reverse(), [events[1]!, events[2]!, events[0]!]]) {
      expect(wall(order, NOW).ticker.map((x) => x.incident)).toEqual(['ta', 'tb', 'tc']);
    }
  });
});

describe('buildWallSections: overdue items of the same due time', () => {
  const T0 = u('2020-08-25T06:00:00Z');
  const events = [
    ev.reported('rx', 'x', T0 - 60 * MIN, 'yongjia'),
    // q0: feedback due T0+10, everything else in time.
    ev.dispatched('d0', 'x', 'q0', T0 - 50 * MIN, 'yongjia.police'),
    ev.signed('s0', 'x', 'q0', T0 - 49 * MIN),
    ev.arrived('a0', 'x', 'q0', T0 - 40 * MIN),
    // q2: its own deadlines put sign and arrival both at T0+20.
    ev.dispatched('d2', 'x', 'q2', T0, 'yongjia.fire', { signMinutes: 20, arriveMinutes: 20 }),
    // q1: sign due T0+20 too.
    ev.dispatched('d1', 'x', 'q1', T0 + 15 * MIN, 'yongjia.water'),
  ];
  const now = T0 + 21 * MIN;

  it('newest due first, then by order id, then by limit, whatever order the events came in', () => {
    const expected = [
      ['q1', 'sign', iso(T0 + 20 * MIN)],
      ['q2', 'arrive', iso(T0 + 20 * MIN)],
      ['q2', 'sign', iso(T0 + 20 * MIN)],
      ['q0', 'feedback', iso(T0 + 10 * MIN)],
    ];
    for (const order of [events, [...events].reverse(), [events[0]!, events[5]!, events[4]!, events[1]!, events[2]!, events[3]!]]) {
      const s = wall(order, now);
      expect(s.overdue.items.map((i) => [i.order, i.limit, iso(i.dueAt)])).toEqual(expected);
      expect(s.kpi.overdue).toBe(4);
    }
  });
});

describe('one order with all three limits due at once', () => {
  // Its own deadlines put sign, arrival and feedback all at T0+20: the limits by name.
  const T0 = u('2020-08-25T06:00:00Z');
  const events = [ev.reported('rz', 'z', T0, 'ruian'), ev.dispatched('dz', 'z', 'oz', T0, 'ruian.fire', { signMinutes: 20, arriveMinutes: 20, feedbackMinutes: 20 })];

  it('yellow, then red, arrive before feedback before sign', () => {
    expect(prewarnedItems(project(events), T0 + 17 * MIN, DEFAULT_INDEX).map((i) => i.limit)).toEqual(['arrive', 'feedback', 'sign']);
    expect(wall(events, T0 + 17 * MIN).overdue.warnings!.items.map((i) => i.limit)).toEqual(['arrive', 'feedback', 'sign']);
    expect(wall(events, T0 + 21 * MIN).overdue.items.map((i) => i.limit)).toEqual(['arrive', 'feedback', 'sign']);
  });
});

describe('pre-warned items (yellow), soonest due first', () => {
  const T0 = u('2020-08-25T06:00:00Z');
  const events = [
    ev.reported('rw', 'w', T0 - 40 * MIN, 'yongjia', { location: { lng: 120.7, lat: 28.15 } }),
    // p0: signed in time, arrival overdue (due T0-10), feedback due T0+30 (yellow from T0+18).
    ev.dispatched('d0', 'w', 'p0', T0 - 30 * MIN, 'yongjia.police'),
    ev.signed('s0', 'w', 'p0', T0 - 29 * MIN),
    // p2: sign and arrival both due T0+20 (yellow from T0+16).
    ev.dispatched('d2', 'w', 'p2', T0, 'yongjia.fire', { signMinutes: 20, arriveMinutes: 20 }),
    // p1: a unit the reference does not know; sign due T0+20 (yellow from T0+19).
    ev.dispatched('d1', 'w', 'p1', T0 + 15 * MIN, 'nowhere.gas'),
    // p4: an incident never reported; sign (its own 20 minutes) and arrival due T0+22 (yellow from T0+18).
    ev.dispatched('d4', 'v', 'p4', T0 + 2 * MIN, 'lucheng.street', { signMinutes: 20 }),
  ];
  const now = T0 + 19 * MIN + 30_000;
  const expected = [
    ['p1', 'sign', T0 + 20 * MIN],
    ['p2', 'arrive', T0 + 20 * MIN],
    ['p2', 'sign', T0 + 20 * MIN],
    ['p4', 'arrive', T0 + 22 * MIN],
    ['p4', 'sign', T0 + 22 * MIN],
    ['p0', 'feedback', T0 + 30 * MIN],
  ];
  const orders = [events, [...events].reverse(), [events[0]!, events[4]!, events[1]!, events[5]!, events[3]!, events[2]!]];

  it('prewarnedItems: every pending limit past its share, by due time, order id and limit', () => {
    for (const order of orders) {
      const items = prewarnedItems(project(order), now, DEFAULT_INDEX);
      expect(items.map((i) => [i.order, i.limit, i.dueAt])).toEqual(expected);
    }
    const items = prewarnedItems(project(events), now, DEFAULT_INDEX);
    expect(items[0]).toEqual({
      order: 'p1',
      incident: 'w',
      unit: 'nowhere.gas',
      unitType: 'gas',
      center: 'yongjia',
      district: 'yongjia',
      limit: 'sign',
      warnAt: T0 + 19 * MIN,
      dueAt: T0 + 20 * MIN,
      location: { lng: 120.7, lat: 28.15 },
    });
    expect(items[1]).toMatchObject({ unit: 'yongjia.fire', unitType: 'fire', warnAt: T0 + 16 * MIN });
    // The incident was never reported: no center, district or place.
    expect(items[3]).toMatchObject({ incident: 'v', unitType: 'street', center: null, district: null, location: null });
  });

  it('the wall lists the same items in the same order', () => {
    for (const order of orders) {
      const s = wall(order, now);
      expect(s.overdue.warnings!.items.map((i) => [i.order, i.limit, i.dueAt])).toEqual(expected);
      expect(s.overdue.warnings!.total).toBe(6);
      expect(s.overdue.items.map((i) => [i.order, i.limit])).toEqual([['p0', 'arrive']]);
    }
    // Red after T0+22: p4's incident was never reported, so its red items have no place either.
    const later = wall(events, T0 + 23 * MIN);
    expect(later.overdue.items.filter((i) => i.order === 'p4')).toMatchObject([
      { limit: 'arrive', center: null, district: null, location: null },
      { limit: 'sign', center: null, district: null, location: null },
    ]);
  });

  it('none before the pre-warning instants, none for an order not dispatched yet', () => {
    expect(prewarnedItems(project(events), T0 + 15 * MIN, DEFAULT_INDEX)).toEqual([]);
    // At T0+16 only p2 has turned yellow; p1 is dispatched only at T0+15 and yellow from T0+19.
    expect(prewarnedItems(project(events), T0 + 16 * MIN, DEFAULT_INDEX).map((i) => [i.order, i.limit])).toEqual([
      ['p2', 'arrive'],
      ['p2', 'sign'],
    ]);
    // Before its dispatch an order is not listed.
    expect(prewarnedItems(project([ev.dispatched('d1', 'w', 'p1', T0 + 15 * MIN, 'nowhere.gas')]), T0 + 14 * MIN, DEFAULT_INDEX)).toEqual([]);
  });

  it('an order whose incident the state does not hold: no center, district or place, and it is still listed', () => {
    const state = project([ev.dispatched('d9', 'gone', 'p9', T0, 'ruian.fire')]);
    state.incidents.delete('gone');
    // Yellow from T0+4 (sign due T0+5), red after.
    expect(prewarnedItems(state, T0 + 4 * MIN, DEFAULT_INDEX)).toMatchObject([{ order: 'p9', limit: 'sign', center: null, district: null, location: null }]);
    const s = buildWallSections(state, T0 + 6 * MIN, DEFAULT_INDEX, ZONE);
    expect(s.overdue.items).toMatchObject([{ order: 'p9', limit: 'sign', center: null, district: null, location: null }]);
    expect(buildWallSections(state, T0 + 4 * MIN, DEFAULT_INDEX, ZONE).overdue.warnings!.items).toMatchObject([{ order: 'p9', center: null, district: null, location: null }]);
  });
});

describe('buildWallSections: units and list bounds', () => {
  const t = u('2020-08-25T02:00:00Z');

  it('no units in a month without orders', () => {
    expect(wall([], NOW).units).toEqual([]);
    expect(wall([ev.reported('r', 'x', t, 'taishun')], NOW).units).toEqual([]);
  });

  it('a unit the reference does not know is shown by its id', () => {
    const s = wall([ev.reported('r', 'x', t, 'taishun'), ev.dispatched('d0', 'x', 'o1', t + 5 * MIN, 'nowhere.gas')], NOW);
    expect(s.units).toEqual([{ unit: 'nowhere.gas', name: 'nowhere.gas', orders: 1, signRate: 0, arriveRate: null }]);
  });

  it('units with the same figures by id', () => {
    const events = [
      ev.reported('r', 'x', t, 'ruian'),
      ev.dispatched('d1', 'x', 'o1', t, 'ruian.water'),
      ev.signed('s1', 'x', 'o1', t + MIN),
      ev.dispatched('d2', 'x', 'o2', t, 'ruian.fire'),
      ev.signed('s2', 'x', 'o2', t + MIN),
    ];
    for (const order of [events, [events[0]!, ...events.slice(3), ...events.slice(1, 3)]]) {
      expect(wall(order, NOW).units.map((x) => [x.unit, x.signRate])).toEqual([
        ['ruian.fire', 100],
        ['ruian.water', 100],
      ]);
    }
  });

  it(`shows ${UNIT_BOARD_SIZE} units and ${OVERDUE_LIST_SIZE} red and yellow items, and counts them all`, () => {
    const T0 = u('2020-08-25T06:00:00Z');
    const n = 61;
    const id = (k: number) => String(k).padStart(2, '0');
    const events = [ev.reported('r', 'x', T0, 'ruian'), ...Array.from({ length: n }, (_, k) => ev.dispatched(`d${id(k)}`, 'x', `o${id(k)}`, T0, `zz.u${id(k)}`))];
    // Sign due T0+5, yellow from T0+4.
    const red = wall(events, T0 + 6 * MIN);
    expect(red.overdue.total).toBe(n);
    expect(red.kpi.overdue).toBe(n);
    expect(red.overdue.items.map((i) => i.order)).toEqual(Array.from({ length: OVERDUE_LIST_SIZE }, (_, k) => `o${id(k)}`));
    expect(red.units).toHaveLength(UNIT_BOARD_SIZE);
    const yellow = wall(events, T0 + 4 * MIN);
    expect(yellow.overdue.warnings!.total).toBe(n);
    expect(yellow.overdue.warnings!.items.map((i) => i.order)).toEqual(Array.from({ length: OVERDUE_LIST_SIZE }, (_, k) => `o${id(k)}`));
  });
});

describe('buildWallSections: sections', () => {
  it('SECTION_NAMES names every section the wall builds', () => {
    expect(Object.keys(wall([], NOW)).sort()).toEqual([...SECTION_NAMES].sort());
  });

  it('health: up without a store outage, down since the outage began', () => {
    const state = project([]);
    expect(buildWallSections(state, NOW, DEFAULT_INDEX, ZONE).health).toEqual({ store: 'up', since: null });
    expect(buildWallSections(state, NOW, DEFAULT_INDEX, ZONE, { storeDownSince: null }).health).toEqual({ store: 'up', since: null });
    expect(buildWallSections(state, NOW, DEFAULT_INDEX, ZONE, { storeDownSince: NOW - MIN }).health).toEqual({ store: 'down', since: NOW - MIN });
  });
});

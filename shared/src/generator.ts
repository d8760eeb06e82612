import type { FeedEvent } from './events.js';

// A deterministic, seeded generator of incident lifecycles with the August 2020 bulletin's
// mix (附件1/附件2): used by the live simulator, `npm run load-month`, the benchmarks and
// tests. Same seed and range, same events, same ids, so re-sending a generated feed only
// makes duplicates; another month has ids of its own.

export type Rng = () => number;

/** mulberry32: small, fast, good enough for simulation. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: Rng, weighted: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of weighted) total += w;
  let x = rng() * total;
  for (const [value, w] of weighted) {
    x -= w;
    if (x < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

/**
 * 附件2 of August 2020, each center's own incidents (the seed's rows): incidents, of them
 * never closed with an order neither fed back nor returned (未反馈), returned orders, and
 * feedbacks. Every incident has one order; a fed order has one feedback, a few a second.
 */
interface CenterMonth {
  center: string;
  incidents: number;
  unfed: number;
  returned: number;
  feedbacks: number;
}

const OUTER_CENTERS: readonly CenterMonth[] = [
  { center: 'lucheng', incidents: 1331, unfed: 0, returned: 0, feedbacks: 1331 },
  { center: 'longwan', incidents: 1027, unfed: 4, returned: 2, feedbacks: 1023 },
  { center: 'ouhai', incidents: 1045, unfed: 0, returned: 0, feedbacks: 1045 },
  { center: 'kaifaqu', incidents: 78, unfed: 0, returned: 0, feedbacks: 78 },
  { center: 'dongtou', incidents: 299, unfed: 0, returned: 0, feedbacks: 299 },
  { center: 'ruian', incidents: 1143, unfed: 0, returned: 0, feedbacks: 1143 },
  { center: 'yueqing', incidents: 708, unfed: 0, returned: 0, feedbacks: 708 },
  { center: 'yongjia', incidents: 736, unfed: 0, returned: 0, feedbacks: 736 },
  { center: 'pingyang', incidents: 510, unfed: 0, returned: 0, feedbacks: 510 },
  { center: 'cangnan', incidents: 652, unfed: 0, returned: 1, feedbacks: 652 },
  { center: 'wencheng', incidents: 181, unfed: 0, returned: 0, feedbacks: 181 },
  { center: 'taishun', incidents: 162, unfed: 0, returned: 0, feedbacks: 162 },
];

/** 附件1: the city center's own 5,019 incidents, one order each to its ten units. */
const CITY_UNITS_MONTH: ReadonlyArray<{ type: string; orders: number; feedbacks: number; returned: number }> = [
  { type: 'power', orders: 429, feedbacks: 439, returned: 0 },
  { type: 'ecology', orders: 6, feedbacks: 6, returned: 0 },
  { type: 'enforcement', orders: 551, feedbacks: 564, returned: 2 },
  { type: 'market', orders: 586, feedbacks: 610, returned: 0 },
  { type: 'utilities', orders: 195, feedbacks: 159, returned: 51 },
  { type: 'health', orders: 2680, feedbacks: 2680, returned: 0 },
  { type: 'labour', orders: 91, feedbacks: 90, returned: 1 },
  { type: 'emergency', orders: 392, feedbacks: 393, returned: 0 },
  { type: 'transport', orders: 28, feedbacks: 30, returned: 0 },
  { type: 'housing', orders: 61, feedbacks: 63, returned: 2 },
];

/** The seed's 合计 of incidents (市本级 + the eight outer centers), 9,410 in 31 days. */
export const BULLETIN_TOTAL = 9410;
/** Every center's own incidents of August 2020 added up, the urban rows included: 12,891. */
export const BULLETIN_ALL_INCIDENTS = CITY_UNITS_MONTH.reduce((a, u) => a + u.orders, 0) + OUTER_CENTERS.reduce((a, c) => a + c.incidents, 0);
/** Incidents a day the whole city takes at the bulletin's volume (all centers' own). */
export const BULLETIN_INCIDENTS_PER_DAY = BULLETIN_ALL_INCIDENTS / 31;

/** Incidents per center (each center's own), for stochastic draws. */
export const CENTER_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['city', CITY_UNITS_MONTH.reduce((a, u) => a + u.orders, 0)],
  ...OUTER_CENTERS.map((c) => [c.center, c.incidents] as const),
];

/** 附件1: orders per city unit type. */
const CITY_UNIT_WEIGHTS: ReadonlyArray<readonly [string, number]> = CITY_UNITS_MONTH.map((u) => [u.type, u.orders] as const);

/** The district and county centers' own units: the same mix plus the types the city has not. */
const COUNTY_UNIT_WEIGHTS: ReadonlyArray<readonly [string, number]> = [...CITY_UNIT_WEIGHTS, ['police', 400], ['street', 300], ['water', 30], ['fire', 120], ['rescue', 20]];

/** How one incident ends: its unit feeds back (once or twice), returns the order, or never answers (the incident stays open). */
export interface IncidentProfile {
  center: string;
  unitType: string;
  outcome: 'fed' | 'returned' | 'unfed';
  /** Feedback submissions of a fed order: 1 or 2. */
  feedbacks: number;
}

/** Returns and second feedbacks as rates, for the stochastic (live) draws. */
const CITY_RATES = new Map(
  CITY_UNITS_MONTH.map((u) => [u.type, { returned: u.returned / u.orders, extra: Math.max(0, u.feedbacks - (u.orders - u.returned)) / (u.orders - u.returned) }]),
);
const OUTER_RATES = new Map(
  OUTER_CENTERS.map((c) => {
    const fed = c.incidents - c.unfed - c.returned;
    return [c.center, { returned: c.returned / c.incidents, unfed: c.unfed / c.incidents, extra: Math.max(0, c.feedbacks - fed) / fed }];
  }),
);

/** One incident's profile drawn at the bulletin's rates (the live simulator). */
export function drawProfile(rng: Rng): IncidentProfile {
  const center = pick(rng, CENTER_WEIGHTS);
  if (center === 'city') {
    const unitType = pick(rng, CITY_UNIT_WEIGHTS);
    const r = CITY_RATES.get(unitType)!;
    if (rng() < r.returned) return { center, unitType, outcome: 'returned', feedbacks: 0 };
    return { center, unitType, outcome: 'fed', feedbacks: rng() < r.extra ? 2 : 1 };
  }
  const unitType = pick(rng, COUNTY_UNIT_WEIGHTS);
  const r = OUTER_RATES.get(center)!;
  const x = rng();
  if (x < r.returned) return { center, unitType, outcome: 'returned', feedbacks: 0 };
  if (x < r.returned + r.unfed) return { center, unitType, outcome: 'unfed', feedbacks: 0 };
  return { center, unitType, outcome: 'fed', feedbacks: rng() < r.extra ? 2 : 1 };
}

/** `n` profiles: `returned` returned, `unfed` never answered, the rest fed with `feedbacks` submissions in all. */
function profilesOf(center: string, types: () => string, n: number, returned: number, unfed: number, feedbacks: number): IncidentProfile[] {
  const out: IncidentProfile[] = [];
  const r = Math.min(returned, n);
  const u = Math.min(unfed, n - r);
  const fed = n - r - u;
  let extra = Math.max(0, Math.min(feedbacks - fed, fed));
  for (let i = 0; i < r; i++) out.push({ center, unitType: types(), outcome: 'returned', feedbacks: 0 });
  for (let i = 0; i < u; i++) out.push({ center, unitType: types(), outcome: 'unfed', feedbacks: 0 });
  for (let i = 0; i < fed; i++) out.push({ center, unitType: types(), outcome: 'fed', feedbacks: extra-- > 0 ? 2 : 1 });
  return out;
}

/**
 * The month's incidents as exact counts: the seed's 附件1 and 附件2 cells times `volume`
 * (1 = August 2020 as printed), each cell rounded on its own.
 */
export function monthProfiles(rng: Rng, volume: number): IncidentProfile[] {
  const scale = (n: number) => Math.round(n * volume);
  const out: IncidentProfile[] = [];
  for (const u of CITY_UNITS_MONTH) {
    out.push(...profilesOf('city', () => u.type, scale(u.orders), scale(u.returned), 0, scale(u.feedbacks)));
  }
  for (const c of OUTER_CENTERS) {
    out.push(...profilesOf(c.center, () => pick(rng, COUNTY_UNIT_WEIGHTS), scale(c.incidents), scale(c.returned), scale(c.unfed), scale(c.feedbacks)));
  }
  return out;
}

const CATEGORIES: Record<string, ReadonlyArray<readonly [string, string]>> = {
  power: [
    ['停电', '小区突然停电'],
    ['电线故障', '电线杆倾斜有火花'],
  ],
  ecology: [['环境污染', '河道发现异味排污']],
  enforcement: [
    ['占道经营', '夜市摊位占道'],
    ['噪音扰民', '夜间施工噪音'],
  ],
  market: [
    ['消费纠纷', '商家拒绝退款'],
    ['食品安全', '餐馆食品变质'],
  ],
  utilities: [
    ['供水故障', '水管爆裂漏水'],
    ['燃气问题', '燃气闻到异味'],
  ],
  health: [
    ['急救', '老人摔倒需要急救'],
    ['急救', '路人突发疾病'],
  ],
  labour: [
    ['欠薪', '工人讨要工资'],
    ['劳动纠纷', '工伤赔偿纠纷'],
  ],
  emergency: [
    ['安全隐患', '厂房消防通道堵塞'],
    ['危化品', '危化品车辆泄漏'],
  ],
  transport: [
    ['交通设施', '公交站牌损坏'],
    ['道路抛洒', '道路抛洒物'],
  ],
  housing: [
    ['房屋安全', '墙体开裂'],
    ['工地问题', '工地围挡倒塌'],
  ],
  police: [
    ['矛盾纠纷', '邻里纠纷'],
    ['交通事故', '两车追尾'],
  ],
  street: [
    ['矛盾纠纷', '物业纠纷'],
    ['市容', '垃圾堆放'],
  ],
  water: [['水利', '河道水位上涨']],
  fire: [['火情', '厨房起火冒烟']],
  rescue: [['救援', '山上游客迷路']],
};

/** Rough centres of the districts, for incident locations. */
export const DISTRICT_CENTRES: Record<string, [number, number]> = {
  lucheng: [120.6, 28.03],
  longwan: [120.78, 27.93],
  ouhai: [120.6, 27.95],
  dongtou: [121.15, 27.85],
  yongjia: [120.68, 28.35],
  pingyang: [120.45, 27.65],
  cangnan: [120.45, 27.45],
  wencheng: [120.05, 27.8],
  taishun: [119.85, 27.55],
  ruian: [120.4, 27.8],
  yueqing: [121.0, 28.2],
};

const CENTER_DISTRICT: Record<string, string> = { kaifaqu: 'longwan' };

/** Share of incidents per hour of day: quiet at night, busy in the day. */
const HOURLY = [2, 1.5, 1, 1, 1, 1.5, 3, 5, 6, 6, 6, 6, 5, 5, 6, 6, 6, 6, 6, 6, 5, 4, 3, 2.5];

export interface LifecycleOptions {
  /** Divides every duration and limit: 60 makes a 20-minute arrival take 20 seconds. */
  timeScale?: number;
  /** Events after this instant are left out (a lifecycle still unfolding). */
  until?: number;
  drill?: boolean;
}

const MIN = 60_000;

/** Minutes with a long tail: mostly near `typical`, sometimes up to `tail`. */
function duration(rng: Rng, low: number, typical: number, tail: number, lateShare: number): number {
  if (rng() < lateShare) return typical + (tail - typical) * (0.3 + 0.7 * rng());
  return low + (typical - low) * rng();
}

/** The events of one incident reported at t0, in time order, drawn at the bulletin's rates. */
export function incidentLifecycle(rng: Rng, incidentId: string, t0: number, options: LifecycleOptions = {}): FeedEvent[] {
  if (options.drill) return drillLifecycle(rng, incidentId, t0, options);
  return profileLifecycle(rng, incidentId, t0, drawProfile(rng), options);
}

function reportEvent(rng: Rng, incidentId: string, t: string, center: string, category: string, summary: string, drill: boolean): FeedEvent {
  const district =
    center === 'city'
      ? pick(rng, [
          ['lucheng', 5],
          ['longwan', 3],
          ['ouhai', 3],
        ] as const)
      : (CENTER_DISTRICT[center] ?? center);
  const [lng, lat] = DISTRICT_CENTRES[district]!;
  const kind = pick(rng, [
    ['alarm', 6],
    ['help', 3],
    ['complaint', 1],
  ] as const);
  return {
    id: `${incidentId}-r`,
    type: 'incident.reported',
    at: t,
    incident: incidentId,
    center,
    ...(center === 'city' ? { district } : {}),
    kind,
    category: drill ? '模拟报警' : category,
    summary: drill ? `拉动检查：${summary}` : summary,
    location: { lng: +(lng + (rng() - 0.5) * 0.08).toFixed(5), lat: +(lat + (rng() - 0.5) * 0.08).toFixed(5) },
    ...(drill ? { drill: true } : {}),
  };
}

function limitsOf(scale: number) {
  return scale !== 1 ? { deadlines: { signMinutes: 5 / scale, arriveMinutes: 20 / scale, feedbackMinutes: 60 / scale } } : {};
}

/**
 * One incident with a known ending. Every fed order's first feedback comes within the
 * 60-minute limit (the seed's 逾期反馈 is 0); sign-offs and arrivals are sometimes late, as
 * the assessment expects; the incident closes after its last step unless its unit never answered.
 */
export function profileLifecycle(rng: Rng, incidentId: string, t0: number, profile: IncidentProfile, options: LifecycleOptions = {}): FeedEvent[] {
  const scale = options.timeScale ?? 1;
  const at = (offsetMin: number) => new Date(t0 + (offsetMin * MIN) / scale).toISOString();
  const { center, unitType } = profile;
  const [category, summary] = pick(
    rng,
    (CATEGORIES[unitType] ?? CATEGORIES['police']!).map((c) => [c, 1] as const),
  );
  const events: FeedEvent[] = [reportEvent(rng, incidentId, at(0), center, category, summary, false)];
  const order = `${incidentId}-o0`;
  const o = (suffix: string) => `${order}-${suffix}`;
  const dispatch = 1 + rng() * 4;
  events.push({ id: o('d'), type: 'order.dispatched', at: at(dispatch), incident: incidentId, order, unit: `${center}.${unitType}`, ...limitsOf(scale) });
  const sign = dispatch + duration(rng, 0.3, 3, 12, 0.04);
  events.push({ id: o('s'), type: 'order.signed', at: at(sign), incident: incidentId, order });
  let last = sign;
  if (profile.outcome === 'returned') {
    last = sign + 2 + rng() * 10;
    events.push({ id: o('x'), type: 'order.returned', at: at(last), incident: incidentId, order, reason: '非本单位职责' });
  } else {
    const arrive = Math.min(dispatch + duration(rng, 3, 17, 30, 0.05), dispatch + 50);
    if (rng() > 0.01) events.push({ id: o('a'), type: 'order.arrived', at: at(arrive), incident: incidentId, order });
    if (profile.outcome === 'fed') {
      // Within the limit: at most 59 minutes after dispatch.
      const result = arrive + (dispatch + 59 - arrive) * (0.2 + 0.8 * rng());
      events.push({ id: o('f1'), type: 'order.feedback', at: at(result), incident: incidentId, order, stage: 'result', text: '已处置' });
      last = result;
      if (profile.feedbacks > 1) {
        last = result + 10 + rng() * 60;
        events.push({ id: o('f2'), type: 'order.feedback', at: at(last), incident: incidentId, order, stage: 'result', text: '补充反馈' });
      }
    }
  }
  if (profile.outcome !== 'unfed') events.push({ id: `${incidentId}-c`, type: 'incident.closed', at: at(last + 2 + rng() * 20), incident: incidentId });
  events.sort((a, b) => a.at.localeCompare(b.at));
  return options.until === undefined ? events : events.filter((e) => Date.parse(e.at) <= options.until!);
}

/**
 * The bulletin's drill table (拉动检查, 8月25日): for each district, each department's time
 * from dispatch to the scene in seconds; a department left out was not called ("-").
 */
export interface DrillPlan {
  center: string;
  arrivals: Readonly<Record<string, number>>;
}

const m = (min: number, sec = 0) => min * 60 + sec;
export const SEED_DRILLS: readonly DrillPlan[] = [
  {
    center: 'ouhai',
    arrivals: { police: m(3), emergency: m(18, 25), ecology: m(27, 30), transport: m(14, 10), market: m(18, 15), labour: m(11, 50), power: m(22, 20), street: m(13, 30) },
  },
  {
    center: 'yongjia',
    arrivals: {
      police: m(5, 10),
      emergency: m(14, 40),
      ecology: m(10, 15),
      transport: m(21, 30),
      market: m(9),
      labour: m(13, 50),
      health: m(14, 50),
      enforcement: m(9, 20),
      power: m(13, 30),
      street: m(17, 35),
    },
  },
];

/** A drill (拉动检查): a district's own departments called at once, each timed to the scene. */
function drillLifecycle(rng: Rng, incidentId: string, t0: number, options: LifecycleOptions, plan?: DrillPlan): FeedEvent[] {
  const scale = options.timeScale ?? 1;
  const at = (offsetMin: number) => new Date(t0 + (offsetMin * MIN) / scale).toISOString();
  const center =
    plan?.center ??
    pick(rng, [
      ['ouhai', 1],
      ['yongjia', 1],
    ] as const);
  const events: FeedEvent[] = [reportEvent(rng, incidentId, at(0), center, '模拟报警', '车辆事故有人员受伤', true)];
  let last = 0;
  const types = ['police', 'emergency', 'ecology', 'transport', 'market', 'labour', 'health', 'enforcement', 'power', 'street'];
  const dispatch = 1;
  types.forEach((type, n) => {
    const planned = plan ? plan.arrivals[type] : undefined;
    if (plan && planned === undefined) return;
    const order = `${incidentId}-o${n}`;
    const o = (suffix: string) => `${order}-${suffix}`;
    events.push({ id: o('d'), type: 'order.dispatched', at: at(dispatch), incident: incidentId, order, unit: `${center}.${type}`, ...limitsOf(scale) });
    events.push({ id: o('s'), type: 'order.signed', at: at(dispatch + 0.5 + rng()), incident: incidentId, order });
    const arrive = planned !== undefined ? dispatch + planned / 60 : dispatch + duration(rng, 3, 17, 30, 0.15);
    events.push({ id: o('a'), type: 'order.arrived', at: at(arrive), incident: incidentId, order });
    const result = arrive + 5 + rng() * 20;
    events.push({ id: o('f1'), type: 'order.feedback', at: at(result), incident: incidentId, order, stage: 'result', text: '已处置' });
    last = Math.max(last, result);
  });
  events.push({ id: `${incidentId}-c`, type: 'incident.closed', at: at(last + 2 + rng() * 20), incident: incidentId });
  events.sort((a, b) => a.at.localeCompare(b.at));
  return options.until === undefined ? events : events.filter((e) => Date.parse(e.at) <= options.until!);
}

/** Report times of incidents between `from` and `to` at `perDay` a day on average, busier by day. */
export function incidentTimes(rng: Rng, from: number, to: number, perDay: number, hourOf: (t: number) => number): number[] {
  const times: number[] = [];
  const mean = HOURLY.reduce((a, b) => a + b, 0) / 24;
  let t = from;
  for (;;) {
    const rate = (perDay / 24 / 60) * (HOURLY[hourOf(t)]! / mean); // per minute
    t += (-Math.log(1 - rng()) / rate) * MIN;
    if (t >= to) return times;
    times.push(Math.floor(t));
  }
}

/** `n` report times spread over [from, to) by the hour-of-day shares, sorted. */
export function spreadTimes(rng: Rng, from: number, to: number, n: number, hourOf: (t: number) => number): number[] {
  // Cumulative weight per hour slice, then stratified draws through it: exactly n times, busier by day.
  const HOUR = 3600_000;
  const starts: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let t = from; t < to; t = Math.min(to, t - (t % HOUR) + HOUR)) {
    const end = Math.min(to, t - (t % HOUR) + HOUR);
    starts.push(t);
    total += HOURLY[hourOf(t)]! * (end - t);
    cumulative.push(total);
  }
  const times: number[] = [];
  let slice = 0;
  for (let i = 0; i < n; i++) {
    const x = ((i + rng()) / n) * total;
    while (slice < cumulative.length - 1 && cumulative[slice]! <= x) slice++;
    const before = slice === 0 ? 0 : cumulative[slice - 1]!;
    const end = slice + 1 < starts.length ? starts[slice + 1]! : to;
    const share = (x - before) / (cumulative[slice]! - before);
    times.push(Math.min(to - 1, Math.floor(starts[slice]! + share * (end - starts[slice]!))));
  }
  return times;
}

/** Mixes a generator seed with the first instant it covers, so each month's ids and draws are its own. */
export function monthSeed(seed: number, from: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of [from % 4294967296, Math.floor(from / 4294967296)]) {
    h = Math.imul(h ^ part, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/**
 * A month of feed with the bulletin's mix, sorted by time. `perDay` is the bulletin's 合计 a
 * day (9,410 / 31 by default): over August 2020 that gives exactly the seed's 附件1 and 附件2
 * cells (the urban centers' own incidents come on top, as they do in the seed), and any other
 * range the same cells scaled by its length. Two drills with the seed's drill table (瓯海, 永嘉).
 * Ids carry `label` (default: the range's first instant), so every month's ids are its own.
 */
export function generateMonth(seed: number, from: number, to: number, hourOf: (t: number) => number, perDay = BULLETIN_TOTAL / 31, label: string = from.toString(36)): FeedEvent[] {
  const rng = seededRng(monthSeed(seed, from));
  const volume = (perDay * (to - from)) / 86_400_000 / BULLETIN_TOTAL;
  const profiles = monthProfiles(rng, volume);
  // Fisher-Yates: which incident comes when is random, the counts are not.
  for (let i = profiles.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [profiles[i], profiles[j]] = [profiles[j]!, profiles[i]!];
  }
  const times = spreadTimes(rng, from, to, profiles.length, hourOf);
  const prefix = `g${seed}-${label}`;
  const events: FeedEvent[] = [];
  times.forEach((t, i) => events.push(...profileLifecycle(rng, `${prefix}-${i}`, t, profiles[i]!)));
  // The bulletin's two drills, 78 % into the range (8月25日 in August), three hours apart.
  const drillAt = from + (to - from) * 0.78;
  SEED_DRILLS.forEach((plan, d) => events.push(...drillLifecycle(rng, `${prefix}-drill${d}`, drillAt + d * 3 * 3600_000, {}, plan)));
  return events.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

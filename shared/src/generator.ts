import type { FeedEvent } from './events.js';

// A deterministic, seeded generator of incident lifecycles with the August 2020 bulletin's
// mix (附件1/附件2): used by the live simulator, `npm run load-month`, the benchmarks and
// tests. Same seed, same events, same ids, so re-sending a generated feed only makes
// duplicates.

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

/** 附件2: incidents per center in August 2020 (市本级's own = 5019 less the four urban rows). */
export const CENTER_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['city', 5019 - 1331 - 1027 - 1045 - 78],
  ['lucheng', 1331],
  ['longwan', 1027],
  ['ouhai', 1045],
  ['kaifaqu', 78],
  ['dongtou', 299],
  ['ruian', 1143],
  ['yueqing', 708],
  ['yongjia', 736],
  ['pingyang', 510],
  ['cangnan', 652],
  ['wencheng', 181],
  ['taishun', 162],
];

/** 附件1: orders per city unit type; incidents of the city and urban centers go to these. */
const CITY_UNIT_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['power', 429],
  ['ecology', 6],
  ['enforcement', 551],
  ['market', 586],
  ['utilities', 195],
  ['health', 2680],
  ['labour', 91],
  ['emergency', 392],
  ['transport', 28],
  ['housing', 61],
];

const COUNTY_UNIT_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ...CITY_UNIT_WEIGHTS,
  ['police', 400],
  ['street', 300],
  ['water', 30],
  ['fire', 120],
  ['rescue', 20],
];

/** 附件1: returns per order (公用事业 51 of 195), second feedbacks (电力 439 for 429). */
const RETURN_RATE: Record<string, number> = { utilities: 51 / 195, enforcement: 2 / 551, labour: 1 / 91, housing: 2 / 61 };
const EXTRA_FEEDBACK_RATE: Record<string, number> = {
  power: 10 / 429,
  enforcement: 13 / 551,
  market: 24 / 586,
  emergency: 1 / 392,
  transport: 2 / 28,
  housing: 2 / 61,
};

const CATEGORIES: Record<string, ReadonlyArray<readonly [string, string]>> = {
  power: [['停电', '小区突然停电'], ['电线故障', '电线杆倾斜有火花']],
  ecology: [['环境污染', '河道发现异味排污']],
  enforcement: [['占道经营', '夜市摊位占道'], ['噪音扰民', '夜间施工噪音']],
  market: [['消费纠纷', '商家拒绝退款'], ['食品安全', '餐馆食品变质']],
  utilities: [['供水故障', '水管爆裂漏水'], ['燃气问题', '燃气闻到异味']],
  health: [['急救', '老人摔倒需要急救'], ['急救', '路人突发疾病']],
  labour: [['欠薪', '工人讨要工资'], ['劳动纠纷', '工伤赔偿纠纷']],
  emergency: [['安全隐患', '厂房消防通道堵塞'], ['危化品', '危化品车辆泄漏']],
  transport: [['交通设施', '公交站牌损坏'], ['道路抛洒', '道路抛洒物']],
  housing: [['房屋安全', '墙体开裂'], ['工地问题', '工地围挡倒塌']],
  police: [['矛盾纠纷', '邻里纠纷'], ['交通事故', '两车追尾']],
  street: [['矛盾纠纷', '物业纠纷'], ['市容', '垃圾堆放']],
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

/** The events of one incident reported at t0, in time order. */
export function incidentLifecycle(rng: Rng, incidentId: string, t0: number, options: LifecycleOptions = {}): FeedEvent[] {
  const scale = options.timeScale ?? 1;
  const at = (offsetMin: number) => new Date(t0 + (offsetMin * MIN) / scale).toISOString();
  const center = options.drill ? pick(rng, [['ouhai', 1], ['yongjia', 1]] as const) : pick(rng, CENTER_WEIGHTS);
  const district =
    center === 'city' ? pick(rng, [['lucheng', 5], ['longwan', 3], ['ouhai', 3]] as const) : CENTER_DISTRICT[center] ?? center;
  const [lng, lat] = DISTRICT_CENTRES[district]!;
  const urban = ['city', 'lucheng', 'longwan', 'ouhai', 'kaifaqu'].includes(center);
  const kind = pick(rng, [['alarm', 6], ['help', 3], ['complaint', 1]] as const);

  const types: string[] = [];
  if (options.drill) {
    types.push('police', 'emergency', 'ecology', 'transport', 'market', 'labour', 'health', 'enforcement', 'power', 'street');
  } else {
    types.push(pick(rng, urban ? CITY_UNIT_WEIGHTS : COUNTY_UNIT_WEIGHTS));
    if (!urban && rng() < 0.1) types.push(pick(rng, COUNTY_UNIT_WEIGHTS));
  }
  // Drills test a district's own units (拉动检查); real urban incidents go to the city's units.
  const unitCenter = urban && !options.drill ? 'city' : center;
  const [category, summary] = pick(rng, (CATEGORIES[types[0]!] ?? CATEGORIES['police']!).map((c) => [c, 1] as const));

  const events: FeedEvent[] = [
    {
      id: `${incidentId}-r`,
      type: 'incident.reported',
      at: at(0),
      incident: incidentId,
      center,
      ...(center === 'city' ? { district } : {}),
      kind,
      category: options.drill ? '模拟报警' : category,
      summary: options.drill ? `拉动检查：${summary}` : summary,
      location: { lng: +(lng + (rng() - 0.5) * 0.08).toFixed(5), lat: +(lat + (rng() - 0.5) * 0.08).toFixed(5) },
      ...(options.drill ? { drill: true } : {}),
    },
  ];
  let lastMinute = 0;
  const seen = new Set<string>();
  types.forEach((type, n) => {
    const unitType = unitCenter === 'city' && !CITY_UNIT_WEIGHTS.some(([t]) => t === type) ? 'emergency' : type;
    const unit = `${unitCenter}.${unitType}`;
    if (seen.has(unit)) return;
    seen.add(unit);
    const order = `${incidentId}-o${n}`;
    const o = (suffix: string) => `${order}-${suffix}`;
    const dispatch = 1 + rng() * 4;
    events.push({
      id: o('d'),
      type: 'order.dispatched',
      at: at(dispatch),
      incident: incidentId,
      order,
      unit,
      ...(scale !== 1 ? { deadlines: { signMinutes: 5 / scale, arriveMinutes: 20 / scale, feedbackMinutes: 60 / scale } } : {}),
    });
    if (!options.drill && rng() < 0.003) return; // never signed: 未接收
    const sign = dispatch + duration(rng, 0.3, 3, 12, 0.04);
    events.push({ id: o('s'), type: 'order.signed', at: at(sign), incident: incidentId, order });
    if (!options.drill && rng() < (RETURN_RATE[unitType] ?? 0)) {
      const returned = sign + 2 + rng() * 10;
      events.push({ id: o('x'), type: 'order.returned', at: at(returned), incident: incidentId, order, reason: '非本单位职责' });
      lastMinute = Math.max(lastMinute, returned);
      return;
    }
    const arrive = dispatch + duration(rng, 3, 17, 30, options.drill ? 0.15 : 0.05);
    if (options.drill || rng() > 0.01) events.push({ id: o('a'), type: 'order.arrived', at: at(arrive), incident: incidentId, order });
    const result = arrive + duration(rng, 5, 35, 90, 0.01);
    if (!options.drill && rng() < 0.002) return; // never fed back: 未反馈
    events.push({ id: o('f1'), type: 'order.feedback', at: at(result), incident: incidentId, order, stage: 'result', text: '已处置' });
    lastMinute = Math.max(lastMinute, result);
    if (rng() < (EXTRA_FEEDBACK_RATE[unitType] ?? 0)) {
      const again = result + 10 + rng() * 60;
      events.push({ id: o('f2'), type: 'order.feedback', at: at(again), incident: incidentId, order, stage: 'result', text: '补充反馈' });
      lastMinute = Math.max(lastMinute, again);
    }
  });
  if (options.drill || rng() > 0.002) {
    events.push({ id: `${incidentId}-c`, type: 'incident.closed', at: at(lastMinute + 2 + rng() * 20), incident: incidentId });
  }
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
    t += -Math.log(1 - rng()) / rate * MIN;
    if (t >= to) return times;
    times.push(Math.floor(t));
  }
}

/**
 * A month of feed with the bulletin's volume: about 9,410 incidents, two drills (as on 8-25
 * in 瓯海 and 永嘉), sorted by time.
 */
export function generateMonth(seed: number, from: number, to: number, hourOf: (t: number) => number, perDay = 9410 / 31): FeedEvent[] {
  const rng = seededRng(seed);
  const events: FeedEvent[] = [];
  const times = incidentTimes(rng, from, to, perDay, hourOf);
  times.forEach((t, i) => events.push(...incidentLifecycle(rng, `S${seed}-${i}`, t)));
  const drillAt = from + (to - from) * 0.78;
  for (let d = 0; d < 2; d++) events.push(...incidentLifecycle(rng, `S${seed}-drill${d}`, drillAt + d * 3 * 3600_000, { drill: true }));
  return events.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

import { describe, it, expect } from 'vitest';
import { checkEvent, parseStored, FEED_EVENT_TYPES, MIN_EVENT_TIME, MAX_FUTURE_MS, type EventCheck } from './events.js';
import { DEFAULT_INDEX } from './reference.js';

const NOW = Date.parse('2020-08-25T12:00:00Z');
const AT = '2020-08-25T10:00:00+08:00'; // 2020-08-25T02:00:00Z
const T = Date.parse('2020-08-25T02:00:00Z');

const check = (raw: unknown, now = NOW): EventCheck => checkEvent(raw, DEFAULT_INDEX, now);

/** One minimal valid event of every type (required fields only). */
const minimal: Record<string, Record<string, unknown>> = {
  'incident.reported': { id: 'r1', type: 'incident.reported', at: AT, incident: 'i1', center: 'yongjia', kind: 'alarm', category: '交通事故' },
  'order.dispatched': { id: 'd1', type: 'order.dispatched', at: AT, incident: 'i1', order: 'o1', unit: 'city.power' },
  'order.signed': { id: 's1', type: 'order.signed', at: AT, incident: 'i1', order: 'o1' },
  'order.arrived': { id: 'a1', type: 'order.arrived', at: AT, incident: 'i1', order: 'o1' },
  'order.feedback': { id: 'f1', type: 'order.feedback', at: AT, incident: 'i1', order: 'o1', stage: 'progress' },
  'order.returned': { id: 'x1', type: 'order.returned', at: AT, incident: 'i1', order: 'o1', reason: '不属于本单位职责' },
  'incident.closed': { id: 'c1', type: 'incident.closed', at: AT, incident: 'i1' },
};

/** The same events with every optional field filled. */
const full: Record<string, Record<string, unknown>> = {
  ...minimal,
  'incident.reported': {
    ...minimal['incident.reported'],
    center: 'city',
    district: 'ouhai',
    kind: 'complaint',
    summary: '丽岙街道丽南隧道油罐车事故',
    location: { lng: 120.6, lat: 27.9 },
    drill: true,
  },
  'order.dispatched': { ...minimal['order.dispatched'], deadlines: { signMinutes: 2, arriveMinutes: 15, feedbackMinutes: 30 } },
  'order.feedback': { ...minimal['order.feedback'], stage: 'result', text: '已处置完毕' },
};

function rejected(result: EventCheck): { id?: string; error: string } {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result;
}

describe('checkEvent accepts', () => {
  it('covers all seven types of the contract', () => {
    expect([...FEED_EVENT_TYPES].sort()).toEqual(Object.keys(minimal).sort());
  });

  for (const type of Object.keys(minimal)) {
    it(`${type} with required fields only`, () => {
      const raw = minimal[type]!;
      const result = check(raw);
      expect(result).toEqual({ ok: true, event: { ...raw, t: T } });
    });

    it(`${type} with every optional field`, () => {
      const raw = full[type]!;
      const result = check(raw);
      expect(result).toEqual({ ok: true, event: { ...raw, t: T } });
    });
  }

  it('accepts Z and other offsets and converts to epoch ms', () => {
    const r = (at: string) => check({ ...minimal['incident.closed'], at });
    expect(r('2020-08-25T02:00:00Z')).toMatchObject({ ok: true, event: { t: T } });
    expect(r('2020-08-25T02:00:00.500Z')).toMatchObject({ ok: true, event: { t: T + 500 } });
    expect(r('2020-08-24T22:00:00-04:00')).toMatchObject({ ok: true, event: { t: T } });
  });

  it('implies the district of a single-district center and accepts 开发区 with longwan', () => {
    expect(check({ ...minimal['incident.reported'], center: 'kaifaqu', district: 'longwan' }).ok).toBe(true);
    expect(check({ ...minimal['incident.reported'], center: 'lucheng', district: 'lucheng' }).ok).toBe(true);
    expect(check({ ...minimal['incident.reported'], center: 'city', district: 'lucheng' }).ok).toBe(true);
  });

  it('accepts fractional and partial deadlines', () => {
    const d = (deadlines: unknown) => check({ ...minimal['order.dispatched'], deadlines });
    expect(d({ signMinutes: 0.05 })).toMatchObject({ ok: true, event: { deadlines: { signMinutes: 0.05 } } });
    expect(d({ arriveMinutes: 0.5, feedbackMinutes: 0.05 }).ok).toBe(true);
    expect(d({}).ok).toBe(true);
  });

  it('accepts the time bounds themselves: 2000-01-01T00:00Z and now + 24 h', () => {
    const r = (at: string) => check({ ...minimal['incident.closed'], at });
    expect(r('2000-01-01T00:00:00Z')).toMatchObject({ ok: true, event: { t: MIN_EVENT_TIME } });
    expect(r('2020-08-26T12:00:00Z')).toMatchObject({ ok: true, event: { t: NOW + MAX_FUTURE_MS } });
  });

  it('accepts ids of 1 and 128 characters', () => {
    expect(check({ ...minimal['incident.closed'], id: 'x' }).ok).toBe(true);
    const long = 'y'.repeat(128);
    expect(check({ ...minimal['incident.closed'], id: long, incident: long })).toMatchObject({ ok: true, event: { id: long } });
  });
});

describe('checkEvent rejects, naming the field', () => {
  const reported = minimal['incident.reported']!;
  const dispatched = minimal['order.dispatched']!;

  it('an unknown type', () => {
    const r = rejected(check({ ...reported, type: 'incident.opened' }));
    expect(r.error).toMatch(/^type: must be one of /);
    expect(r.error).toContain('order.dispatched');
    expect(r.id).toBe('r1');
    expect(rejected(check({ ...reported, type: 7 })).error).toMatch(/^type:/);
    const { type: _, ...untyped } = reported;
    expect(rejected(check(untyped)).error).toMatch(/^type:/);
  });

  it('an unknown center', () => {
    const r = rejected(check({ ...reported, center: 'hangzhou' }));
    expect(r.error).toMatch(/^center: unknown center "hangzhou"/);
    expect(r.id).toBe('r1');
  });

  it('an unknown unit, including a unit type the city center does not have', () => {
    expect(rejected(check({ ...dispatched, unit: 'city.nobody' })).error).toMatch(/^unit: unknown unit "city.nobody"/);
    // 附件1: the city center has ten units, no police.
    expect(rejected(check({ ...dispatched, unit: 'city.police' })).error).toMatch(/^unit: unknown unit/);
    expect(check({ ...dispatched, unit: 'ouhai.police' }).ok).toBe(true);
  });

  it('a district the center does not cover, and an unknown district', () => {
    expect(rejected(check({ ...reported, center: 'yongjia', district: 'ouhai' })).error).toMatch(/^district: "ouhai" is not covered by center "yongjia"/);
    expect(rejected(check({ ...reported, center: 'city', district: 'ruian' })).error).toMatch(/^district: "ruian" is not covered/);
    expect(rejected(check({ ...reported, center: 'kaifaqu', district: 'lucheng' })).error).toMatch(/^district:/);
    expect(rejected(check({ ...reported, center: 'yongjia', district: 'kaifaqu' })).error).toMatch(/^district: unknown district "kaifaqu"/);
  });

  it('a missing district for the city center', () => {
    const r = rejected(check({ ...reported, center: 'city' }));
    expect(r.error).toMatch(/^district: is required for center "city"/);
  });

  it('a timestamp without offset or that is garbage', () => {
    for (const at of ['2020-08-25T10:00:00', '2020-08-25 10:00:00Z', 'yesterday', '', '2020-13-01T00:00:00Z', '2020-02-30T10:00:00Z']) {
      const r = rejected(check({ ...reported, at }));
      expect(r.error, at).toBe('at: must be an ISO-8601 time with offset or Z');
      expect(r.id).toBe('r1');
    }
  });

  it('a time before 2000', () => {
    expect(rejected(check({ ...reported, at: '1999-12-31T23:59:59Z' })).error).toMatch(/^at: must not be before 2000/);
    // 2000-01-01 07:00 in +08:00 is still 1999 in UTC.
    expect(rejected(check({ ...reported, at: '2000-01-01T07:00:00+08:00' })).error).toMatch(/^at: must not be before 2000/);
  });

  it('a time more than 24 h ahead of now', () => {
    const r = rejected(check({ ...reported, at: '2020-08-26T12:00:01Z' }));
    expect(r.error).toMatch(/^at: must not be more than 24 hours ahead/);
    // The same event is fine once the clock has moved on.
    expect(check({ ...reported, at: '2020-08-26T12:00:01Z' }, NOW + 1000).ok).toBe(true);
  });

  it('a missing field, by name', () => {
    for (const [type, field] of [
      ['incident.reported', 'center'],
      ['incident.reported', 'kind'],
      ['incident.reported', 'category'],
      ['incident.reported', 'at'],
      ['incident.reported', 'incident'],
      ['incident.reported', 'id'],
      ['order.dispatched', 'order'],
      ['order.dispatched', 'unit'],
      ['order.feedback', 'stage'],
      ['order.returned', 'reason'],
      ['order.signed', 'order'],
    ] as const) {
      const raw = { ...minimal[type]! };
      delete raw[field];
      const r = rejected(check(raw));
      expect(r.error, `${type} without ${field}`).toBe(`${field}: is required`);
    }
  });

  it('a field of the wrong type, without calling it missing', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...reported, kind: 'fire' }, 'kind'],
      [{ ...reported, kind: 5 }, 'kind'],
      [{ ...reported, drill: 'yes' }, 'drill'],
      [{ ...reported, category: 12 }, 'category'],
      [{ ...reported, center: ['yongjia'] }, 'center'],
      [{ ...reported, at: Date.parse(AT) }, 'at'],
      [{ ...reported, incident: 42 }, 'incident'],
      [{ ...reported, location: { lng: '120', lat: 27 } }, 'location.lng'],
      [{ ...reported, location: { lng: 200, lat: 27 } }, 'location.lng'],
      [{ ...reported, location: 'somewhere' }, 'location'],
      [{ ...dispatched, order: null }, 'order'],
      [{ ...minimal['order.feedback'], stage: 'final' }, 'stage'],
      [{ ...minimal['order.returned'], reason: '' }, 'reason'],
    ];
    for (const [raw, field] of cases) {
      const r = rejected(check(raw));
      expect(r.error.startsWith(`${field}: `), `${JSON.stringify(raw)} -> ${r.error}`).toBe(true);
      expect(r.error, `${field} is present, so not "required"`).not.toContain('is required');
    }
  });

  it('an id over 128 characters, an empty id and a non-string id', () => {
    const long = 'z'.repeat(129);
    const r = rejected(check({ ...reported, id: long }));
    expect(r.error).toBe('id: must be at most 128 characters');
    // Over-long ids are not echoed back.
    expect(r.id).toBeUndefined();
    const empty = rejected(check({ ...reported, id: '' }));
    expect(empty.error).toBe('id: must not be empty');
    expect(empty.id).toBe('');
    const numeric = rejected(check({ ...reported, id: 5 }));
    expect(numeric.error).toMatch(/^id: /);
    expect(numeric.id).toBeUndefined();
    expect(rejected(check({ ...dispatched, order: long })).error).toBe('order: must be at most 128 characters');
    expect(rejected(check({ ...reported, incident: '' })).error).toBe('incident: must not be empty');
  });

  it('an unknown key, top-level or nested', () => {
    expect(rejected(check({ ...reported, centre: 'yongjia' })).error).toBe('centre: unknown field');
    expect(rejected(check({ ...minimal['incident.closed'], center: 'yongjia' })).error).toBe('center: unknown field');
    expect(rejected(check({ ...reported, location: { lng: 120, lat: 27, alt: 3 } })).error).toBe('location.alt: unknown field');
    expect(rejected(check({ ...dispatched, deadlines: { signMinutes: 5, arrive: 20 } })).error).toBe('deadlines.arrive: unknown field');
  });

  it('a __proto__ key', () => {
    const raw = JSON.parse(
      '{"__proto__": {"drill": true}, "id": "r9", "type": "incident.reported", "at": "2020-08-25T10:00:00+08:00", "incident": "i1", "center": "yongjia", "kind": "alarm", "category": "x"}',
    ) as Record<string, unknown>;
    expect(Object.hasOwn(raw, '__proto__')).toBe(true);
    const r = rejected(check(raw));
    expect(r.error).toBe('__proto__: unknown field');
    expect(r.id).toBe('r9');
    const nested = JSON.parse(
      '{"id":"d9","type":"order.dispatched","at":"2020-08-25T02:00:00Z","incident":"i1","order":"o1","unit":"city.power","deadlines":{"__proto__":{"signMinutes":1}}}',
    );
    expect(rejected(check(nested)).error).toBe('deadlines.__proto__: unknown field');
  });

  it('a key that is not a plain name, written so that "field: reason" stays unambiguous', () => {
    const error = rejected(check({ ...dispatched, deadlines: { ':': false, 'a.b c': 1 } })).error;
    expect(error).toBe('deadlines["\\u003a"]: unknown field; deadlines["a.b c"]: unknown field');
    for (const part of error.split('; ')) expect(part).toMatch(/^[^:]+: ./);
    const [field] = error.split(': ');
    expect(JSON.parse(field!.slice('deadlines['.length, -1))).toBe(':');
    expect(rejected(check({ ...reported, 'x:y': 1 })).error).toBe('["x\\u003ay"]: unknown field');
  });

  it('anything that is not an object', () => {
    for (const raw of [[reported], [], null, 42, 'incident.reported', true, undefined]) {
      const r = rejected(check(raw));
      expect(r.error, JSON.stringify(raw)).toBe('(event): must be a JSON object');
      expect(r.id).toBeUndefined();
    }
  });

  it('negative, zero and non-number deadlines', () => {
    const d = (deadlines: unknown) => rejected(check({ ...dispatched, deadlines })).error;
    expect(d({ signMinutes: -1 })).toBe('deadlines.signMinutes: must be positive');
    expect(d({ arriveMinutes: 0 })).toBe('deadlines.arriveMinutes: must be positive');
    expect(d({ feedbackMinutes: -0.05 })).toBe('deadlines.feedbackMinutes: must be positive');
    expect(d({ signMinutes: '5' })).toBe('deadlines.signMinutes: must be a number of minutes');
    expect(d({ arriveMinutes: null })).toBe('deadlines.arriveMinutes: must be a number of minutes');
    expect(d({ feedbackMinutes: 7 * 24 * 60 + 1 })).toBe('deadlines.feedbackMinutes: must be at most 7 days');
    expect(d(20)).toMatch(/^deadlines: /);
  });

  it('returns the event id with the rejection whenever it is a usable string', () => {
    expect(rejected(check({ ...dispatched, id: 'evt-77', unit: 'nope' })).id).toBe('evt-77');
    expect(rejected(check({ ...dispatched, id: 'evt-78', at: 'soon' })).id).toBe('evt-78');
    expect(rejected(check({ ...dispatched, id: 'evt-79', type: 'nope' })).id).toBe('evt-79');
    expect(rejected(check({ ...dispatched, id: 'evt-80', bogus: 1 })).id).toBe('evt-80');
  });
});

describe('parseStored', () => {
  it('restores t from at', () => {
    const e = parseStored(JSON.stringify(minimal['order.signed']));
    expect(e.t).toBe(T);
    expect(e.type).toBe('order.signed');
  });
});

describe('checkEvent for the server’s own events', () => {
  const mark = { id: 'mark-1', type: 'incident.marked', at: '2020-08-14T02:00:00Z', incident: 'i1', drill: true, by: 'admin' };
  it('refuses a drill mark from the feed, and takes it on the server path', () => {
    expect(checkEvent(mark, DEFAULT_INDEX, Date.parse('2020-08-15T00:00:00Z'))).toMatchObject({ ok: false, error: expect.stringContaining('type:') });
    expect(checkEvent(mark, DEFAULT_INDEX, Date.parse('2020-08-15T00:00:00Z'), { server: true })).toMatchObject({ ok: true });
    expect(checkEvent({ ...mark, drill: 'yes' }, DEFAULT_INDEX, Date.parse('2020-08-15T00:00:00Z'), { server: true })).toMatchObject({
      ok: false,
      error: expect.stringContaining('drill'),
    });
  });
});

import { beforeEach, describe, it, expect, vi } from 'vitest';
import fc from 'fast-check';
import { MONTH_KEY, Zone } from './time.js';

const u = (iso: string) => Date.parse(iso);
const HOUR = 3600_000;

// Zones are built inside the tests: a format option Intl rejects then fails a test, where a
// throw while the file is collected would fail it with no test (which Stryker counts as survived).
describe('Zone in Asia/Shanghai (UTC+8, no DST)', () => {
  let z: Zone;
  beforeEach(() => {
    z = new Zone('Asia/Shanghai');
  });

  it('monthKey turns at local midnight, 16:00Z the day before', () => {
    expect(z.monthKey(u('2020-07-31T15:59:59.999Z'))).toBe('2020-07');
    expect(z.monthKey(u('2020-07-31T16:00:00Z'))).toBe('2020-08');
    expect(z.monthKey(u('2020-12-31T16:00:00Z'))).toBe('2021-01');
  });

  it('dayKey and minuteOfDay', () => {
    expect(z.dayKey(u('2020-08-24T15:59:00Z'))).toBe('2020-08-24');
    expect(z.dayKey(u('2020-08-24T16:00:00Z'))).toBe('2020-08-25');
    expect(z.minuteOfDay(u('2020-08-25T01:30:00Z'))).toBe(9 * 60 + 30);
    expect(z.minuteOfDay(u('2020-08-24T16:00:00Z'))).toBe(0);
    expect(z.minuteOfDay(u('2020-08-25T15:59:59Z'))).toBe(23 * 60 + 59);
  });

  it('startOfDay and startOfMonth', () => {
    expect(z.startOfDay('2020-08-25')).toBe(u('2020-08-24T16:00:00Z'));
    expect(z.startOfDay('2021-01-01')).toBe(u('2020-12-31T16:00:00Z'));
    expect(z.startOfMonth('2020-08')).toBe(u('2020-07-31T16:00:00Z'));
    expect(z.startOfMonth('2021-01')).toBe(u('2020-12-31T16:00:00Z'));
  });

  it('offset and parts', () => {
    expect(z.offset(u('2020-08-25T01:30:00Z'))).toBe(8 * HOUR);
    // 2020-08-25 was a Tuesday.
    expect(z.parts(u('2020-08-25T01:30:00Z'))).toEqual({ year: 2020, month: 8, day: 25, hour: 9, minute: 30, weekday: 2 });
  });
});

describe('Zone in America/New_York (DST)', () => {
  let z: Zone;
  beforeEach(() => {
    z = new Zone('America/New_York');
  });

  it('spring forward 2020-03-08: a 23-hour day, 02:00 EST -> 03:00 EDT', () => {
    expect(z.startOfDay('2020-03-08')).toBe(u('2020-03-08T05:00:00Z'));
    expect(z.startOfDay('2020-03-09')).toBe(u('2020-03-09T04:00:00Z'));
    expect(z.startOfDay('2020-03-09') - z.startOfDay('2020-03-08')).toBe(23 * HOUR);
    expect(z.offset(u('2020-03-08T06:59:00Z'))).toBe(-5 * HOUR);
    expect(z.offset(u('2020-03-08T07:00:00Z'))).toBe(-4 * HOUR);
    expect(z.minuteOfDay(u('2020-03-08T06:59:00Z'))).toBe(1 * 60 + 59);
    expect(z.minuteOfDay(u('2020-03-08T07:00:00Z'))).toBe(3 * 60);
    expect(z.dayKey(u('2020-03-09T03:59:00Z'))).toBe('2020-03-08');
    expect(z.dayKey(u('2020-03-09T04:00:00Z'))).toBe('2020-03-09');
  });

  it('fall back 2020-11-01: a 25-hour day, 01:xx happens twice', () => {
    expect(z.startOfDay('2020-11-01')).toBe(u('2020-11-01T04:00:00Z'));
    expect(z.startOfDay('2020-11-02')).toBe(u('2020-11-02T05:00:00Z'));
    expect(z.startOfDay('2020-11-02') - z.startOfDay('2020-11-01')).toBe(25 * HOUR);
    expect(z.minuteOfDay(u('2020-11-01T05:30:00Z'))).toBe(90); // 01:30 EDT
    expect(z.minuteOfDay(u('2020-11-01T06:30:00Z'))).toBe(90); // 01:30 EST
    expect(z.dayKey(u('2020-11-02T04:30:00Z'))).toBe('2020-11-01'); // 23:30 EST
    expect(z.dayKey(u('2020-11-02T05:00:00Z'))).toBe('2020-11-02');
  });

  it('months start at local midnight in either offset', () => {
    expect(z.startOfMonth('2020-03')).toBe(u('2020-03-01T05:00:00Z'));
    expect(z.startOfMonth('2020-04')).toBe(u('2020-04-01T04:00:00Z'));
    expect(z.startOfMonth('2020-11')).toBe(u('2020-11-01T04:00:00Z'));
    expect(z.startOfMonth('2020-12')).toBe(u('2020-12-01T05:00:00Z'));
    expect(z.monthKey(u('2020-11-01T03:59:00Z'))).toBe('2020-10');
    expect(z.monthKey(u('2020-11-01T04:00:00Z'))).toBe('2020-11');
  });

  it('dayKey, minuteOfDay and startOfDay agree with Intl for any instant of 2019-2021', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    fc.assert(
      fc.property(fc.integer({ min: u('2019-01-01T00:00:00Z'), max: u('2021-12-31T00:00:00Z') }), (t) => {
        const p = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
        const day = `${p.year}-${p.month}-${p.day}`;
        expect(z.dayKey(t)).toBe(day);
        expect(z.monthKey(t)).toBe(day.slice(0, 7));
        expect(z.minuteOfDay(t)).toBe(Number(p.hour) * 60 + Number(p.minute));
        const start = z.startOfDay(day);
        expect(start).toBeLessThanOrEqual(t);
        expect(z.dayKey(start)).toBe(day);
        expect(z.minuteOfDay(start)).toBe(0);
        expect(z.dayKey(start - 1)).toBe(Zone.previousDay(day));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Zone with quarter-hour offsets', () => {
  it('Asia/Kolkata (+05:30) and Asia/Kathmandu (+05:45)', () => {
    const kolkata = new Zone('Asia/Kolkata');
    expect(kolkata.dayKey(u('2020-08-24T18:29:00Z'))).toBe('2020-08-24');
    expect(kolkata.dayKey(u('2020-08-24T18:30:00Z'))).toBe('2020-08-25');
    expect(kolkata.startOfDay('2020-08-25')).toBe(u('2020-08-24T18:30:00Z'));
    const kathmandu = new Zone('Asia/Kathmandu');
    expect(kathmandu.minuteOfDay(u('2020-08-25T00:00:00Z'))).toBe(5 * 60 + 45);
    expect(kathmandu.startOfMonth('2020-09')).toBe(u('2020-08-31T18:15:00Z'));
  });
});

describe('Zone.previousDay', () => {
  it('crosses month, leap-day and year ends', () => {
    expect(Zone.previousDay('2020-08-25')).toBe('2020-08-24');
    expect(Zone.previousDay('2020-09-01')).toBe('2020-08-31');
    expect(Zone.previousDay('2020-03-01')).toBe('2020-02-29');
    expect(Zone.previousDay('2019-03-01')).toBe('2019-02-28');
    expect(Zone.previousDay('2021-01-01')).toBe('2020-12-31');
    expect(Zone.previousDay('2020-05-01')).toBe('2020-04-30');
  });
});

describe('MONTH_KEY', () => {
  it('accepts YYYY-MM with months 01-12 only', () => {
    expect(MONTH_KEY.test('2020-08')).toBe(true);
    expect(MONTH_KEY.test('2020-12')).toBe(true);
    expect(MONTH_KEY.test('2020-13')).toBe(false);
    expect(MONTH_KEY.test('2020-00')).toBe(false);
    expect(MONTH_KEY.test('2020-8')).toBe(false);
    expect(MONTH_KEY.test('2020-08-01')).toBe(false);
    expect(MONTH_KEY.test('x2020-08')).toBe(false);
  });
});

describe('Zone caches', () => {
  const DAY = 86_400_000;
  /** Every 5 minutes of [from, from + days) (three per quarter hour), through each public lookup. */
  const walk = (zone: Zone, from: number, days: number) => {
    for (let t = from; t < from + days * DAY; t += 5 * 60_000) {
      zone.dayKey(t);
      zone.monthKey(t);
      zone.minuteOfDay(t);
      zone.parts(t);
    }
  };

  it('a month costs two Intl calls per UTC day, a day with a DST change one per quarter hour, and a second pass none', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const shanghai = new Zone('Asia/Shanghai');
      walk(shanghai, Date.parse('2020-08-01T00:00:00Z'), 31);
      // Each UTC day: its first and its last quarter hour, found equal.
      expect(spy.mock.calls.length).toBe(2 * 31);
      spy.mockClear();
      walk(shanghai, Date.parse('2020-08-01T00:00:00Z'), 31);
      expect(spy.mock.calls.length).toBe(0);

      const ny = new Zone('America/New_York');
      spy.mockClear();
      walk(ny, Date.parse('2020-03-01T00:00:00Z'), 31);
      // 2020-03-08 (UTC) holds the change: its 96 quarter hours, two of them already known.
      expect(spy.mock.calls.length).toBe(2 * 31 + 96 - 2);
      spy.mockClear();
      walk(ny, Date.parse('2020-03-01T00:00:00Z'), 31);
      expect(spy.mock.calls.length).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('Zone cache sizes', () => {
  const QUARTER = 15 * 60_000;
  const sizes = (zone: Zone) => {
    const z = zone as unknown as { days: Map<number, unknown>; offsets: Map<number, unknown>; keys: Map<number, unknown> };
    return { days: z.days.size, offsets: z.offsets.size, keys: z.keys.size };
  };

  it('keeps one day key per quarter hour and one offset per UTC day, each looked up once', () => {
    const zone = new Zone('Asia/Shanghai');
    const from = Date.parse('2020-08-01T00:00:00Z');
    for (let q = 0; q < 100; q++) for (const d of [0, 5, 10]) zone.dayKey(from + q * QUARTER + d * 60_000);
    expect(sizes(zone)).toEqual({ days: 2, offsets: 4, keys: 100 });
  });
});

describe('Zone with a change near local midnight and a positive offset', () => {
  // Australia/Sydney: +10 AEST, +11 AEDT; the changes at 02:00 / 03:00 local fall on the UTC
  // day before, so local midnight as UTC already lies in the other offset: the first pass
  // (local minus the offset there) lands before the change and the second settles it.
  it('startOfDay on the days of the change', () => {
    const z = new Zone('Australia/Sydney');
    // Spring forward 2020-10-04 02:00 AEST (16:00Z the day before): midnight is still AEST.
    expect(z.startOfDay('2020-10-04')).toBe(u('2020-10-03T14:00:00Z'));
    expect(z.startOfDay('2020-10-05')).toBe(u('2020-10-04T13:00:00Z'));
    // Fall back 2020-04-05 03:00 AEDT (16:00Z the day before): midnight is still AEDT.
    expect(z.startOfDay('2020-04-05')).toBe(u('2020-04-04T13:00:00Z'));
    expect(z.startOfDay('2020-04-06')).toBe(u('2020-04-05T14:00:00Z'));
    expect(z.startOfMonth('2020-10')).toBe(u('2020-09-30T14:00:00Z'));
  });
});

describe('Zone, a change at 00:00 UTC', () => {
  it('belongs to the UTC day it starts: the day before costs two Intl calls, not one per quarter hour', () => {
    // Asia/Jerusalem went from +2 to +3 at 2020-03-27T00:00:00Z (02:00 local).
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const z = new Zone('Asia/Jerusalem');
      for (let t = u('2020-03-26T00:00:00Z'); t < u('2020-03-27T00:00:00Z'); t += 15 * 60_000) {
        expect(z.offset(t)).toBe(2 * HOUR);
      }
      expect(spy.mock.calls.length).toBe(2);
      expect(z.offset(u('2020-03-27T00:00:00Z'))).toBe(3 * HOUR);
      expect(z.offset(u('2020-03-27T23:59:00Z'))).toBe(3 * HOUR);
      expect(spy.mock.calls.length).toBe(4);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('Zone cache bounds', () => {
  const QUARTER = 15 * 60_000;
  const DAY = 86_400_000;
  const from = Date.parse('2020-08-01T00:00:00Z');
  type Inside = {
    days: Map<number, unknown>;
    offsets: Map<number, unknown>;
    keys: Map<number, unknown>;
    exactOffset(t: number): number;
  };
  const inside = (zone: Zone) => zone as unknown as Inside;

  // A cache holding more than cacheLimit entries is cleared before the next one: with a limit
  // of 4 it grows to 5, and the 6th entry finds it cleared.
  it('days: one entry per UTC day, cleared at the 6th day with a limit of 4', () => {
    const zone = new Zone('Asia/Shanghai', 4);
    for (let d = 0; d < 5; d++) zone.offset(from + d * DAY);
    expect(inside(zone).days.size).toBe(5);
    zone.offset(from + 5 * DAY);
    expect(inside(zone).days.size).toBe(1);
    // Still right after the clear.
    expect(zone.offset(from)).toBe(8 * 3600_000);
    expect(inside(zone).days.size).toBe(2);
  });

  it('offsets: one entry per quarter hour, cleared at the 6th with a limit of 4', () => {
    const zone = new Zone('Asia/Shanghai', 4);
    for (let q = 0; q < 5; q++) inside(zone).exactOffset(from + q * QUARTER);
    expect(inside(zone).offsets.size).toBe(5);
    expect(inside(zone).exactOffset(from + 5 * QUARTER)).toBe(8 * 3600_000);
    expect(inside(zone).offsets.size).toBe(1);
  });

  it('keys: one entry per quarter hour, cleared at the 6th with a limit of 4', () => {
    const zone = new Zone('Asia/Shanghai', 4);
    for (let q = 0; q < 5; q++) zone.dayKey(from + q * QUARTER);
    expect(inside(zone).keys.size).toBe(5);
    expect(zone.monthKey(from + 5 * QUARTER)).toBe('2020-08');
    expect(inside(zone).keys.size).toBe(1);
  });
});

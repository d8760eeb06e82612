// Calendar arithmetic in the report time zone (TZ_REPORTS). Every offset in use is a
// multiple of 15 minutes and changes at most once a day, so offsets are cached per day and,
// on a day with a change, per quarter hour: a month of events costs about 60 Intl calls
// instead of one per event.

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
}

export class Zone {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();
  /** Per UTC day: its one offset, or null when it changes within the day. */
  private readonly days = new Map<number, number | null>();
  /** Day and month keys per quarter hour: a key never changes within one. */
  private readonly keys = new Map<number, [day: string, month: string]>();

  /**
   * @param cacheLimit a cache holding more entries than this is cleared before the next one is
   *   added (only memory depends on it; a test sets it small to see the bound work)
   */
  constructor(
    readonly tz: string,
    private readonly cacheLimit = 50_000,
  ) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** Offset of local time from UTC in ms at instant t. */
  offset(t: number): number {
    // Most UTC days have one offset all day: two Intl calls settle the day. Only a day with a
    // change (DST) is resolved per quarter hour.
    const day = Math.floor(t / DAY);
    let known = this.days.get(day);
    if (known === undefined) {
      const start = this.exactOffset(day * DAY);
      known = start === this.exactOffset(day * DAY + DAY - QUARTER) ? start : null;
      if (this.days.size > this.cacheLimit) this.days.clear();
      this.days.set(day, known);
    }
    return known ?? this.exactOffset(t);
  }

  private exactOffset(t: number): number {
    const bucket = Math.floor(t / QUARTER);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const parts: Record<string, number> = {};
      for (const p of this.format.formatToParts(bucket * QUARTER)) {
        if (p.type !== 'literal') parts[p.type] = Number(p.value);
      }
      const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
      offset = local - bucket * QUARTER;
      if (this.offsets.size > this.cacheLimit) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  parts(t: number): ZonedParts {
    const d = new Date(t + this.offset(t));
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      weekday: d.getUTCDay(),
    };
  }

  private keysOf(t: number): [string, string] {
    const bucket = Math.floor(t / QUARTER);
    let keys = this.keys.get(bucket);
    if (!keys) {
      const day = new Date(t + this.offset(t)).toISOString().slice(0, 10);
      keys = [day, day.slice(0, 7)];
      if (this.keys.size > this.cacheLimit) this.keys.clear();
      this.keys.set(bucket, keys);
    }
    return keys;
  }

  /** "YYYY-MM" of instant t. */
  monthKey(t: number): string {
    return this.keysOf(t)[1];
  }

  /** "YYYY-MM-DD" of instant t. */
  dayKey(t: number): string {
    return this.keysOf(t)[0];
  }

  /** Minutes since local midnight of instant t. */
  minuteOfDay(t: number): number {
    const d = new Date(t + this.offset(t));
    return d.getUTCHours() * 60 + d.getUTCMinutes();
  }

  /** The instant of local midnight starting the day "YYYY-MM-DD". */
  startOfDay(dayKey: string): number {
    const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
    return this.localToInstant(Date.UTC(y, m - 1, d));
  }

  /** The instant of local midnight starting the month "YYYY-MM". */
  startOfMonth(monthKey: string): number {
    const [y, m] = monthKey.split('-').map(Number) as [number, number];
    return this.localToInstant(Date.UTC(y, m - 1, 1));
  }

  /** The day key before "YYYY-MM-DD". */
  static previousDay(dayKey: string): string {
    const [y, m, d] = dayKey.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  }

  private localToInstant(localAsUtc: number): number {
    // Two passes settle the offset across a DST change.
    let t = localAsUtc - this.offset(localAsUtc);
    t = localAsUtc - this.offset(t);
    return t;
  }
}

export const MONTH_KEY = /^\d{4}-(0[1-9]|1[0-2])$/;

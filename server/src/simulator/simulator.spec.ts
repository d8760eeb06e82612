import { Zone, type FeedEvent } from '@wall/shared';
import { describe, expect, it } from 'vitest';
import { backfillDay } from './simulator.js';

// A restarted demo backfills again: what it re-sends must be what it sent before, id for id,
// or the store counts conflicting duplicates (the bulletin's 重复编号但内容不同).

const zone = new Zone('Asia/Shanghai');
const day = zone.startOfDay('2026-12-07');
const HOUR = 3600_000;

function byId(events: FeedEvent[]): Map<string, string> {
  return new Map(events.map((e) => [e.id, JSON.stringify(e)]));
}

describe('the simulator backfill', () => {
  it('re-sends every id of an earlier start with the same content, and only adds after it', () => {
    const first = byId(backfillDay(zone, day, day + 24 * HOUR, day + 9 * HOUR));
    const later = byId(backfillDay(zone, day, day + 24 * HOUR, day + 15 * HOUR + 1234));
    expect(first.size).toBeGreaterThan(100);
    expect(later.size).toBeGreaterThan(first.size);
    const changed = [...first].filter(([id, json]) => later.get(id) !== json).map(([id]) => id);
    expect(changed).toEqual([]);
  });

  it('ends at the day’s end and draws another day’s incidents of its own', () => {
    const events = backfillDay(zone, day, day + 24 * HOUR, day + 30 * HOUR);
    const reports = events.filter((e) => e.type === 'incident.reported');
    expect(reports.every((e) => Date.parse(e.at) < day + 24 * HOUR)).toBe(true);
    const next = backfillDay(zone, day + 24 * HOUR, day + 48 * HOUR, day + 30 * HOUR);
    const ids = new Set(events.map((e) => e.id));
    expect(next.length).toBeGreaterThan(0);
    expect(next.some((e) => ids.has(e.id))).toBe(false);
  });
});

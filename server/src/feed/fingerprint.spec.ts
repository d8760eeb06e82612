import { DEFAULT_INDEX, checkEvent, type StoredEvent } from '@wall/shared';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './feed.service.js';

const check = (raw: unknown): StoredEvent => {
  const c = checkEvent(raw, DEFAULT_INDEX, Date.parse('2020-09-01T00:00:00Z'));
  if (!c.ok) throw new Error(c.error);
  return c.event;
};

describe('fingerprint (conflicting duplicates)', () => {
  const base = {
    id: 'x',
    type: 'order.dispatched',
    at: '2020-08-01T08:00:00+08:00',
    incident: 'i',
    order: 'o',
    unit: 'city.power',
    deadlines: { signMinutes: 1, feedbackMinutes: 3 },
  };

  it('is the same for the same content in another key order or another spelling of the instant', () => {
    const reordered = {
      deadlines: { feedbackMinutes: 3, signMinutes: 1 },
      unit: 'city.power',
      order: 'o',
      incident: 'i',
      at: '2020-08-01T00:00:00Z',
      type: 'order.dispatched',
      id: 'x',
    };
    expect(fingerprint(check(reordered))).toBe(fingerprint(check(base)));
  });

  it('differs for another instant or another field', () => {
    expect(fingerprint(check({ ...base, at: '2020-08-01T08:00:01+08:00' }))).not.toBe(fingerprint(check(base)));
    expect(fingerprint(check({ ...base, unit: 'city.health' }))).not.toBe(fingerprint(check(base)));
    expect(fingerprint(check({ ...base, deadlines: { signMinutes: 2, feedbackMinutes: 3 } }))).not.toBe(fingerprint(check(base)));
  });
});

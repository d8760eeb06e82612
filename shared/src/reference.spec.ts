import { describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE, referenceSchema } from './reference.js';

const messages = (value: unknown) => {
  const r = referenceSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('referenceSchema', () => {
  it('accepts the shipped Wenzhou data: 13 centers, 11 districts, 10 city units + 12 x 15', () => {
    expect(messages(DEFAULT_REFERENCE)).toEqual([]);
    expect(DEFAULT_REFERENCE.units).toHaveLength(10 + 12 * 15);
  });

  it('names each broken reference by its path', () => {
    const bad = structuredClone(DEFAULT_REFERENCE);
    bad.centers[1]!.parent = 'atlantis';
    bad.centers[2]!.districts = ['nowhere'];
    bad.units[0]!.type = 'wizards';
    bad.units[1]!.center = 'mars';
    bad.unitTypes.push({ id: 'power', name: '又一个供电' });
    expect(messages(bad)).toEqual([
      'unitTypes.15.id: duplicate id "power"',
      'centers.1.parent: unknown center "atlantis"',
      'centers.2.districts.0: unknown district "nowhere"',
      'units.0.type: unknown unit type "wizards"',
      'units.1.center: unknown center "mars"',
    ]);
  });

  it('rejects bad shapes field by field, and unknown keys', () => {
    const bad = structuredClone(DEFAULT_REFERENCE) as unknown as Record<string, unknown>;
    (bad['defaultLimits'] as Record<string, unknown>)['signMinutes'] = -1;
    bad['extra'] = 1;
    const got = messages(bad);
    expect(got.some((m) => m.startsWith('defaultLimits.signMinutes: must be positive'))).toBe(true);
    expect(got.some((m) => m.includes('extra'))).toBe(true);
  });
});

describe('limits per unit type and center', () => {
  it("the most specific override wins, field by field; per-order deadlines stay the caller's", async () => {
    const { ReferenceIndex } = await import('./reference.js');
    const ref = new ReferenceIndex({
      ...DEFAULT_REFERENCE,
      limitOverrides: [
        { unitType: 'fire', arriveMinutes: 10 },
        { center: 'taishun', arriveMinutes: 40, feedbackMinutes: 120 },
        { center: 'taishun', unitType: 'fire', arriveMinutes: 25 },
      ],
    });
    expect(ref.limitsFor('ruian.power')).toEqual({ signMinutes: 5, arriveMinutes: 20, feedbackMinutes: 60 });
    expect(ref.limitsFor('ruian.fire')).toEqual({ signMinutes: 5, arriveMinutes: 10, feedbackMinutes: 60 });
    expect(ref.limitsFor('taishun.power')).toEqual({ signMinutes: 5, arriveMinutes: 40, feedbackMinutes: 120 });
    expect(ref.limitsFor('taishun.fire')).toEqual({ signMinutes: 5, arriveMinutes: 25, feedbackMinutes: 120 });
  });

  it('refuses an override naming nothing or an unknown center', () => {
    expect(messages({ ...DEFAULT_REFERENCE, limitOverrides: [{ signMinutes: 3 }, { center: 'mars', signMinutes: 3 }] })).toEqual([
      'limitOverrides.0: needs a center, a unitType or both',
      'limitOverrides.1.center: unknown center "mars"',
    ]);
  });
});

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

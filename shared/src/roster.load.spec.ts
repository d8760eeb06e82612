import { describe, expect, it } from 'vitest';

// roster.ts parses its DEFAULT_ROSTER while it loads. This file imports it inside a test, so a
// schema that refuses the default roster fails this test; a static import would fail the file
// with no test (which Stryker counts as a survivor).
describe('roster.ts loads', () => {
  it('with its default roster: no shifts, every alarm to admin, the two-rung ladder', async () => {
    const { DEFAULT_ROSTER, ladderOf } = await import('./roster.js');
    expect(DEFAULT_ROSTER).toEqual({ shifts: [], dutyPeriods: [], offDays: [], makeUpWorkdays: [], fallback: { '*': 'admin' }, ackTimeoutMinutes: 5, contacts: {}, holidays: {} });
    expect(ladderOf(DEFAULT_ROSTER).map((r) => r.level)).toEqual(['supervisor', 'leader']);
  });
});

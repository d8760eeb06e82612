import { describe, expect, it } from 'vitest';
import { alarmSpeech, repeatFromUrl } from './voice';

describe('voice settings', () => {
  it('speaks the unit and the limit', () => {
    expect(alarmSpeech('瑞安市公安', '签收')).toBe('瑞安市公安 签收超时');
  });
  it('repeats every ?voiceEvery seconds, 60 s by default, never under 2 s', () => {
    expect(repeatFromUrl('')).toBe(60_000);
    expect(repeatFromUrl('?voiceEvery=15')).toBe(15_000);
    expect(repeatFromUrl('?voiceEvery=1')).toBe(60_000);
    expect(repeatFromUrl('?voiceEvery=abc')).toBe(60_000);
  });
});

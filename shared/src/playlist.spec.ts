import { describe, expect, it } from 'vitest';
import { parsePlaylistParam, playlistPosition, playlistSchema } from './playlist.js';

describe('parsePlaylistParam', () => {
  it('reads entries and the alarm hold', () => {
    expect(parsePlaylistParam('live:60,bulletin:30,replay:120;hold=90')).toEqual({
      ok: true,
      value: {
        entries: [
          { view: 'live', seconds: 60 },
          { view: 'bulletin', seconds: 30 },
          { view: 'replay', seconds: 120 },
        ],
        alarmHoldSeconds: 90,
      },
    });
    expect(parsePlaylistParam('stored')).toEqual({ ok: true, value: 'stored' });
  });
  it('names the bad entry and why', () => {
    expect(parsePlaylistParam('live:60,news:30')).toMatchObject({ ok: false, error: expect.stringMatching(/^playlist\[1\]\.view:/) });
    expect(parsePlaylistParam('live:1')).toMatchObject({ ok: false, error: expect.stringMatching(/^playlist\[0\]\.seconds:/) });
    expect(parsePlaylistParam('live')).toMatchObject({ ok: false, error: expect.stringMatching(/^playlist\[0\]:/) });
    expect(parsePlaylistParam('live:60;loud=1')).toMatchObject({ ok: false, error: expect.stringMatching(/hold=/) });
  });
});

describe('playlistSchema', () => {
  it('refuses an empty list and unknown keys', () => {
    expect(playlistSchema.safeParse({ entries: [] }).success).toBe(false);
    expect(playlistSchema.safeParse({ entries: [{ view: 'live', seconds: 10 }], extra: 1 }).success).toBe(false);
    expect(playlistSchema.parse({ entries: [{ view: 'live', seconds: 10 }] }).alarmHoldSeconds).toBe(300);
  });
});

describe('playlistPosition', () => {
  const p = playlistSchema.parse({
    entries: [
      { view: 'live', seconds: 10 },
      { view: 'bulletin', seconds: 5 },
      { view: 'replay', seconds: 5 },
    ],
  });
  it('walks the entries and wraps around', () => {
    expect(playlistPosition(p, 0)).toMatchObject({ index: 0, cycle: 0, endsIn: 10_000 });
    expect(playlistPosition(p, 9_999)).toMatchObject({ index: 0, endsIn: 1 });
    expect(playlistPosition(p, 10_000)).toMatchObject({ index: 1, entry: { view: 'bulletin' } });
    expect(playlistPosition(p, 17_500)).toMatchObject({ index: 2, endsIn: 2_500 });
    expect(playlistPosition(p, 20_000)).toMatchObject({ index: 0, cycle: 1 });
    expect(playlistPosition(p, 70_000)).toMatchObject({ index: 1, cycle: 3 });
  });
});

import { describe, expect, it } from 'vitest';
import { playlistSchema } from '@wall/shared';
import { PlaylistCycle } from './cycle';

function fakeTimers() {
  let now = 0;
  let pending: { at: number; fn: () => void; id: number } | null = null;
  let ids = 0;
  return {
    timers: {
      setTimeout(fn: () => void, ms: number) {
        pending = { at: now + ms, fn, id: ++ids };
        return pending.id;
      },
      clearTimeout(id: unknown) {
        if (pending?.id === id) pending = null;
      },
      now: () => now,
    },
    advance(ms: number) {
      const end = now + ms;
      while (pending && pending.at <= end) {
        const p = pending;
        pending = null;
        now = p.at;
        p.fn();
      }
      now = end;
    },
  };
}

const playlist = playlistSchema.parse({
  entries: [
    { view: 'live', seconds: 10 },
    { view: 'bulletin', seconds: 5 },
    { view: 'replay', seconds: 8 },
  ],
  alarmHoldSeconds: 20,
});

describe('PlaylistCycle', () => {
  it('shows each entry for its time, round and round', () => {
    const t = fakeTimers();
    const seen: string[] = [];
    const c = new PlaylistCycle(playlist, t.timers, (v) => seen.push(v));
    c.start();
    t.advance(9_999);
    expect(seen).toEqual(['live']);
    t.advance(1);
    expect(seen).toEqual(['live', 'bulletin']);
    t.advance(5_000 + 8_000 + 10_000 + 5_000);
    expect(seen).toEqual(['live', 'bulletin', 'replay', 'live', 'bulletin', 'replay']);
    c.stop();
    t.advance(100_000);
    expect(seen).toHaveLength(6);
  });

  it('goes back to live on an alarm, holds it, then goes on after live', () => {
    const t = fakeTimers();
    const seen: string[] = [];
    const c = new PlaylistCycle(playlist, t.timers, (v) => seen.push(v));
    c.start();
    t.advance(12_000); // bulletin since 10 s
    c.alarm();
    expect(seen).toEqual(['live', 'bulletin', 'live']);
    t.advance(19_999);
    expect(c.view).toBe('live');
    c.alarm(); // another alarm: the hold counts again
    t.advance(19_999);
    expect(c.view).toBe('live');
    t.advance(1);
    expect(seen).toEqual(['live', 'bulletin', 'live', 'bulletin']);
  });

  it('an alarm while live keeps the wall live at least for the hold', () => {
    const t = fakeTimers();
    const seen: string[] = [];
    const c = new PlaylistCycle(playlist, t.timers, (v) => seen.push(v));
    c.start();
    t.advance(5_000);
    c.alarm();
    t.advance(19_999);
    expect(seen).toEqual(['live']);
    t.advance(1);
    expect(seen).toEqual(['live', 'bulletin']);
  });
});

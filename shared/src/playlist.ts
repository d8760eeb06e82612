import { z } from 'zod';

// A wall's playlist: the views it cycles through, each for so many seconds. Kept by the
// server (an admin edits it, PUT /api/wall/playlist) or given to one screen as `?playlist=`.

export const PLAYLIST_VIEWS = ['live', 'bulletin', 'replay'] as const;
export type PlaylistView = (typeof PLAYLIST_VIEWS)[number];
export const PLAYLIST_MIN_SECONDS = 2;
export const PLAYLIST_MAX_SECONDS = 86_400;
export const PLAYLIST_MAX_ENTRIES = 12;

export const playlistEntrySchema = z.strictObject({
  view: z.enum(PLAYLIST_VIEWS),
  seconds: z.number().int().min(PLAYLIST_MIN_SECONDS).max(PLAYLIST_MAX_SECONDS),
});
export const playlistSchema = z.strictObject({
  entries: z.array(playlistEntrySchema).min(1).max(PLAYLIST_MAX_ENTRIES),
  /** After an alarm brought the wall back to live, how long it stays there before cycling on. */
  alarmHoldSeconds: z.number().int().min(0).max(PLAYLIST_MAX_SECONDS).default(300),
});
export type PlaylistEntry = z.infer<typeof playlistEntrySchema>;
export type Playlist = z.infer<typeof playlistSchema>;

export const DEFAULT_PLAYLIST: Playlist = {
  entries: [
    { view: 'live', seconds: 600 },
    { view: 'bulletin', seconds: 60 },
    { view: 'replay', seconds: 120 },
  ],
  alarmHoldSeconds: 300,
};

/**
 * `live:600,bulletin:60,replay:120[;hold=300]`, or `stored` for the server's playlist. An error
 * names the entry and the reason.
 */
export function parsePlaylistParam(text: string): { ok: true; value: Playlist | 'stored' } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === 'stored' || trimmed === '') return { ok: true, value: 'stored' };
  const [list = '', ...options] = trimmed.split(';');
  const entries: PlaylistEntry[] = [];
  const parts = list.split(',');
  for (const [i, part] of parts.entries()) {
    const m = /^([a-z]+):(\d+)$/.exec(part.trim());
    if (!m) return { ok: false, error: `playlist[${i}]: 应为 视图:秒，如 live:600（收到 "${part}"）` };
    const r = playlistEntrySchema.safeParse({ view: m[1], seconds: Number(m[2]) });
    if (!r.success) return { ok: false, error: `playlist[${i}].${String(r.error.issues[0]?.path[0] ?? '')}: ${r.error.issues[0]?.message ?? 'invalid'}` };
    entries.push(r.data);
  }
  let alarmHoldSeconds = DEFAULT_PLAYLIST.alarmHoldSeconds;
  for (const opt of options) {
    const m = /^hold=(\d+)$/.exec(opt.trim());
    if (!m) return { ok: false, error: `playlist: 未知选项 "${opt}"（可用 hold=秒）` };
    alarmHoldSeconds = Number(m[1]);
  }
  const r = playlistSchema.safeParse({ entries, alarmHoldSeconds });
  if (!r.success) return { ok: false, error: `playlist.${r.error.issues[0]?.path.join('.') ?? ''}: ${r.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, value: r.data };
}

/**
 * Where a playlist stands at `elapsed` ms after it started: the entry shown and when it ends.
 * Pure, so every screen of one wall started together shows the same view.
 */
export function playlistPosition(p: Playlist, elapsed: number): { index: number; entry: PlaylistEntry; cycle: number; endsIn: number } {
  const cycleMs = p.entries.reduce((s, e) => s + e.seconds * 1000, 0);
  const t = Math.max(0, elapsed);
  const cycle = Math.floor(t / cycleMs);
  let within = t - cycle * cycleMs;
  for (const [index, entry] of p.entries.entries()) {
    const ms = entry.seconds * 1000;
    if (within < ms) return { index, entry, cycle, endsIn: ms - within };
    within -= ms;
  }
  const last = p.entries.length - 1;
  return { index: last, entry: p.entries[last]!, cycle, endsIn: 0 };
}

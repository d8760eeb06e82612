import { Inject, Injectable, Logger } from '@nestjs/common';
import { DEFAULT_PLAYLIST, playlistSchema, wallScreenReportSchema, type Playlist, type WallScreen } from '@wall/shared';
import { AuditRepository } from '../audit/audit.repository.js';
import { WallScreensRepository } from './wall-screens.repository.js';

/**
 * A screen reports after each heartbeat (every 5 s): three missed reports and it is gone from
 * the list. A closed page is removed at once on its disconnect.
 */
export const SCREEN_TTL_SECONDS = 20;

@Injectable()
export class WallScreensService {
  private readonly logger = new Logger('WallScreens');

  constructor(
    @Inject(WallScreensRepository) private readonly screens: WallScreensRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** A screen's report over its socket; returns its id, or null when the report is malformed (ignored). */
  async report(raw: unknown, socket: string, user: string, connectedAt: number): Promise<string | null> {
    const parsed = wallScreenReportSchema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn(`screen report from ${user} ignored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return null;
    }
    await this.screens.touch({ ...parsed.data, user, lastContact: Date.now(), connectedAt }, socket, SCREEN_TTL_SECONDS);
    return parsed.data.id;
  }

  gone(id: string, socket: string): Promise<void> {
    return this.screens.remove(id, socket);
  }

  /** Most recently heard from first. */
  async list(): Promise<WallScreen[]> {
    return (await this.screens.list()).sort((a, b) => b.lastContact - a.lastContact || (a.id < b.id ? -1 : 1));
  }

  async playlist(): Promise<Playlist> {
    const json = await this.screens.getPlaylist();
    if (!json) return DEFAULT_PLAYLIST;
    const parsed = playlistSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : DEFAULT_PLAYLIST;
  }

  async setPlaylist(p: Playlist, who: string): Promise<void> {
    await this.screens.putPlaylist(JSON.stringify(p), this.audit.entry(who, 'wall.playlist.update'));
  }
}

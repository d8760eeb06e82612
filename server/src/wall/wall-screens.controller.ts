import { Body, Controller, Get, Put } from '@nestjs/common';
import { playlistSchema, type Playlist, type WallScreen } from '@wall/shared';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { WallScreensService } from './wall-screens.service.js';

@Controller('wall')
export class WallScreensController {
  constructor(private readonly screens: WallScreensService) {}

  /** The wall screens alive: what each shows (seq, layout, tile, view) and when it last reported. */
  @Roles('admin')
  @Get('screens')
  list(): Promise<WallScreen[]> {
    return this.screens.list();
  }

  /** The playlist a wall opened with `?playlist=stored` cycles through. */
  @Roles('admin', 'supervisor', 'viewer')
  @Get('playlist')
  playlist(): Promise<Playlist> {
    return this.screens.playlist();
  }

  @Roles('admin')
  @Put('playlist')
  async setPlaylist(@Body() body: unknown, @CurrentUser() user: Principal): Promise<Playlist> {
    const playlist = parseBody(playlistSchema, body);
    await this.screens.setPlaylist(playlist, user.username);
    return playlist;
  }
}

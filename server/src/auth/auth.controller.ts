import { Body, Controller, HttpCode, HttpException, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import { CurrentSession, Public, Roles } from './auth.decorators.js';
import { QUEUE_BOARD_PATH } from '../queue-board.js';
import { AuthService, LoginError, bearer } from './auth.service.js';
import { BoardTicketRepository } from './board-ticket.repository.js';
import { ROLES, type Role, type Session } from './auth.types.js';
import { SessionsService } from './sessions.service.js';

/**
 * Which accounts a login form takes: a wall screen's form never admins or supervisors (a wall
 * PC in a hall is no place for their tokens), the supervisor console only them.
 */
export const SCREEN_ROLES: Record<'wall' | 'console', readonly Role[]> = {
  wall: ['viewer', 'wall'],
  console: ['admin', 'supervisor'],
};

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  screen: z.enum(['wall', 'console']).optional(),
});

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly tickets: BoardTicketRepository,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { username, password, screen } = parseBody(loginBody, body);
    const allowed = screen ? (role: Role) => SCREEN_ROLES[screen].includes(role) : undefined;
    try {
      return await this.auth.login(username, password, req.ip ?? 'unknown', allowed);
    } catch (e) {
      if (!(e instanceof LoginError)) throw e;
      if (e.retryAfterS) res.set('Retry-After', String(e.retryAfterS));
      throw new HttpException({ statusCode: e.status, message: e.message }, e.status);
    }
  }

  /** A one-time ticket (a minute) that opens Bull Board in a browser: GET /admin/queues?ticket=… */
  @Roles('admin')
  @Post('board-ticket')
  @HttpCode(200)
  async boardTicket(@Req() req: Request) {
    const { ticket, expiresInSeconds } = await this.tickets.issue(bearer(req.headers.authorization)!);
    return { url: `${QUEUE_BOARD_PATH}?ticket=${ticket}`, expiresInSeconds };
  }

  /** Revokes the caller's token on the server and closes its sockets; the user's other sessions stay. */
  @Roles(...ROLES)
  @Post('logout')
  @HttpCode(200)
  async logout(@CurrentSession() session: Session) {
    await this.auth.logout(session);
    this.sessions.endToken(session.tokenId);
    return { loggedOut: true };
  }
}

/** For the API document (server/src/openapi). */
export { loginBody as loginRequest };

import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AuthService, bearer } from './auth/auth.service.js';
import type { BoardTicketRepository } from './auth/board-ticket.repository.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'wall_queue_board';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Bull Board, for admins only, on the API's own tokens. A browser cannot send a bearer header
 * when it navigates, so it opens `?ticket=` (one-time, a minute: POST /api/auth/board-ticket):
 * the ticket's token goes into an HttpOnly, SameSite=Strict cookie for this path and the
 * address is reloaded without it. No long-lived token travels in a URL.
 */
export function queueBoardAuth(auth: AuthService, tickets: BoardTicketRepository) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ticket = typeof req.query['ticket'] === 'string' ? req.query['ticket'] : undefined;
    void (async () => {
      const fromTicket = ticket ? await tickets.take(ticket) : undefined;
      const token = bearer(req.headers.authorization) ?? fromTicket ?? cookie(req, COOKIE);
      const user = await auth.verify(token);
      if (!user) return void res.status(401).json({ statusCode: 401, message: 'an admin token is required (Authorization: Bearer, or a ticket from POST /api/auth/board-ticket)' });
      if (user.role !== 'admin') return void res.status(403).json({ statusCode: 403, message: `role ${user.role} may not do this` });
      if (fromTicket) {
        const secure = req.secure ? '; Secure' : '';
        res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(fromTicket)}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict${secure}`);
        const url = new URL(req.originalUrl, 'http://x');
        url.searchParams.delete('ticket');
        return void res.redirect(303, `${url.pathname}${url.search}`);
      }
      next();
    })().catch(next);
  };
}

export function mountQueueBoard(app: NestExpressApplication, auth: AuthService, tickets: BoardTicketRepository, queues: Queue[]): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  app.use(QUEUE_BOARD_PATH, queueBoardAuth(auth, tickets), serverAdapter.getRouter());
}

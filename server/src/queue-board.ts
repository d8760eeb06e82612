import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AuthService, bearer } from './auth/auth.service.js';

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
 * when it navigates, so the first visit may carry `?token=`: it is moved into an HttpOnly,
 * SameSite=Strict cookie for this path and the address reloaded without it.
 */
export function queueBoardAuth(auth: AuthService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const fromQuery = typeof req.query['token'] === 'string' ? req.query['token'] : undefined;
    const token = bearer(req.headers.authorization) ?? fromQuery ?? cookie(req, COOKIE);
    void auth.verify(token).then((user) => {
      if (!user) return void res.status(401).json({ statusCode: 401, message: 'an admin token is required (Authorization: Bearer, or ?token= once)' });
      if (user.role !== 'admin') return void res.status(403).json({ statusCode: 403, message: `role ${user.role} may not do this` });
      if (fromQuery) {
        const secure = req.secure ? '; Secure' : '';
        res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(fromQuery)}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict${secure}`);
        const url = new URL(req.originalUrl, 'http://x');
        url.searchParams.delete('token');
        return void res.redirect(303, `${url.pathname}${url.search}`);
      }
      next();
    }, next);
  };
}

export function mountQueueBoard(app: NestExpressApplication, auth: AuthService, queues: Queue[]): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  app.use(QUEUE_BOARD_PATH, queueBoardAuth(auth), serverAdapter.getRouter());
}

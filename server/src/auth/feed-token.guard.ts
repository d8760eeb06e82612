import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AuthService } from './auth.service.js';

/**
 * The feed's check: FEED_TOKEN (or the built-in simulator's own token), never a user token
 * (mark the route @Public() too). Who posts is left on the request as `feedSource`.
 */
@Injectable()
export class FeedTokenGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request & { feedSource?: 'real' | 'demo' }>();
    const source = this.auth.feedSource(req.headers.authorization);
    if (source) {
      req.feedSource = source;
      return true;
    }
    // The body is never read: drained, so the sender reads the 401 rather than a reset.
    req.resume();
    throw new UnauthorizedException('Authorization: Bearer <FEED_TOKEN> required');
  }
}

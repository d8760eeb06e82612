import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';
import { AuthService, bearer } from './auth.service.js';
import type { Principal, Role, Session } from './auth.types.js';

/** Without @Roles(): every role of a person; a wall screen's credential needs to be named. */
export const USER_ROLES: readonly Role[] = ['admin', 'supervisor', 'viewer'];

/** Every route needs a user token unless marked @Public(); @Roles() narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets are checked once, at the handshake (WallGateway's namespace middleware).
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: Principal; session?: Session }>();
    const principal = await this.auth.verify(bearer(request.headers.authorization));
    if (!principal) throw new UnauthorizedException('a valid token is required (POST /api/auth/login)');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    // A wall screen's credential opens only what names it: the wall, never the archive.
    if ((roles ?? USER_ROLES).includes(principal.role) === false) throw new ForbiddenException(`role ${principal.role} may not do this`);
    request.user = { username: principal.username, role: principal.role };
    request.session = principal;
    return true;
  }
}

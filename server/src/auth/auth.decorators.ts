import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role, Session } from './auth.types.js';

export const PUBLIC_KEY = 'wall:public';
export const ROLES_KEY = 'wall:roles';

/** No user token needed (health, login, and the feed, which checks FEED_TOKEN itself). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The verified token of the request (its id and expiry too). */
export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): Session => {
  return ctx.switchToHttp().getRequest<{ session: Session }>().session;
});

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ROLES, type Principal } from '../auth/auth.types.js';
import { parseBody } from '../common/parse-body.js';
import { UsersService } from './users.service.js';

const password = z.string().min(8, 'must be at least 8 characters').max(256);
const scope = z.strictObject({ centers: z.array(z.string().min(1)).max(50).optional(), unitTypes: z.array(z.string().min(1)).max(50).optional() });
const newUser = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -'),
  password,
  role: z.enum(ROLES),
  scope: scope.optional(),
});
const patch = z
  .strictObject({ role: z.enum(ROLES).optional(), scope: scope.nullable().optional(), disabled: z.boolean().optional() })
  .refine((p) => Object.keys(p).length > 0, 'give at least one of role, scope, disabled');
const passwordBody = z.strictObject({ password, currentPassword: z.string().min(1).max(256).optional() });

@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list() {
    return this.users.list();
  }

  @Post()
  create(@Body() body: unknown, @CurrentUser() admin: Principal) {
    const { username, password, role, scope } = parseBody(newUser, body);
    return this.users.create(admin, username, role, password, scope);
  }

  /** Role, scope, disabled. Any change closes the user's open sessions. */
  @Patch(':username')
  update(@Param('username') username: string, @Body() body: unknown, @CurrentUser() admin: Principal) {
    return this.users.update(admin, username, parseBody(patch, body));
  }

  @Delete(':username')
  remove(@Param('username') username: string, @CurrentUser() admin: Principal) {
    return this.users.remove(admin, username);
  }

  /** Revokes every token the user holds (a lost or retired wall screen). */
  @Post(':username/revoke')
  revoke(@Param('username') username: string, @CurrentUser() admin: Principal) {
    return this.users.revoke(admin, username);
  }

  /** The user (with currentPassword) or an admin. Ends the user's other sessions. */
  @Roles('admin', 'supervisor', 'viewer')
  @Put(':username/password')
  @HttpCode(200)
  changePassword(@Param('username') username: string, @Body() body: unknown, @CurrentUser() by: Principal) {
    const { password, currentPassword } = parseBody(passwordBody, body);
    return this.users.changePassword(by, username, password, currentPassword);
  }
}

/** For the API document (server/src/openapi). */
export { newUser as newUserRequest, patch as userPatchRequest, passwordBody as passwordRequest };

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/auth.types.js';
import { NEW_USER as newUser, PASSWORD_CHANGE as passwordBody, USER_PATCH as patch } from '@wall/shared';
import { parseBody } from '../common/parse-body.js';
import { UsersService } from './users.service.js';

// The bodies' schemas are shared/src/users.ts: the admin console's forms check the same.

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

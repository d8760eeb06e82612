import { Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { AuditRepository } from '../audit/audit.repository.js';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { AuthService } from '../auth/auth.service.js';
import { ROLES, type Principal } from '../auth/auth.types.js';
import { UserSocketsRepository } from '../auth/user-sockets.repository.js';
import { UsersRepository } from '../auth/users.repository.js';
import { parseBody } from '../common/parse-body.js';

const newUser = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -'),
  password: z.string().min(8, 'must be at least 8 characters').max(256),
  role: z.enum(ROLES),
  scope: z
    .strictObject({ centers: z.array(z.string().min(1)).max(50).optional(), unitTypes: z.array(z.string().min(1)).max(50).optional() })
    .optional(),
});

@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly sockets: UserSocketsRepository,
  ) {}

  @Get()
  async list() {
    return (await this.users.list()).map(({ passwordHash: _hash, ...user }) => user);
  }

  @Post()
  async create(@Body() body: unknown, @CurrentUser() admin: Principal) {
    const { username, password, role, scope } = parseBody(newUser, body);
    await this.auth.createUser(username, role, password, scope);
    await this.audit.record(admin.username, 'user.create', { username, role, scope });
    return { username, role, scope: scope ?? null };
  }

  /** Revokes every token the user holds (a lost or retired wall screen). */
  @Post(':username/revoke')
  async revoke(@Param('username') username: string, @CurrentUser() admin: Principal) {
    const user = await this.users.get(username);
    if (!user) throw new NotFoundException(`user ${username} does not exist`);
    await this.users.put({ ...user, tokenVersion: user.tokenVersion + 1 });
    this.sockets.disconnect(username);
    await this.audit.record(admin.username, 'user.revoke', { username });
    return { username, revoked: true };
  }
}

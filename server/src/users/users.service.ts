import { ConflictException, ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { AuthService, type IssuedToken } from '../auth/auth.service.js';
import type { Principal, Role, StoredUser } from '../auth/auth.types.js';
import { SessionsService } from '../auth/sessions.service.js';
import { UsersRepository } from '../auth/users.repository.js';

export type PublicUser = Omit<StoredUser, 'passwordHash'>;

export interface UserPatch {
  role?: Role;
  scope?: StoredUser['scope'] | null;
  disabled?: boolean;
}

const ATTEMPTS = 5;

function visible(user: StoredUser | undefined): PublicUser | null {
  if (!user) return null;
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

/**
 * Users and their sessions. Every change is one compare-and-set with its audit entry
 * (before/after, never a hash); a change that ends the user's sessions raises its token
 * version (old tokens stop working) and closes its open sockets.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditRepository,
  ) {}

  async list(): Promise<PublicUser[]> {
    return (await this.users.list()).map((u) => visible(u)!);
  }

  /** 409 when the name is taken: a create never overwrites, and a re-created name never revives old tokens. */
  async create(by: Principal, username: string, role: Role, password: string, scope?: StoredUser['scope']): Promise<PublicUser> {
    const user = await this.auth.newUser(username, role, password, scope);
    const entry = this.audit.entry(by.username, 'user.create', { username, before: null, after: visible(user) });
    const { outcome, version } = await this.users.write(username, '', user, true, entry, 0);
    if (outcome === 'exists') throw new ConflictException(`username: ${username} already exists`);
    return visible({ ...user, tokenVersion: version })!;
  }

  /** Role, scope, enabled: any of them changed ends the user's sessions. */
  update(by: Principal, username: string, patch: UserPatch): Promise<PublicUser> {
    return this.change(by, username, 'user.update', (user) => {
      const next: StoredUser = { ...user };
      if (patch.role !== undefined) next.role = patch.role;
      if (patch.scope === null) delete next.scope;
      else if (patch.scope !== undefined) next.scope = patch.scope;
      if (patch.disabled !== undefined) {
        if (patch.disabled) next.disabled = true;
        else delete next.disabled;
      }
      if (username === by.username && (next.role !== 'admin' || next.disabled)) throw new ForbiddenException('an admin cannot demote or disable themselves');
      return next;
    });
  }

  /** Revokes every token the user holds (a lost or retired wall screen). */
  async revoke(by: Principal, username: string): Promise<{ username: string; revoked: true }> {
    await this.change(by, username, 'user.revoke', (user) => user);
    return { username, revoked: true };
  }

  /**
   * By the user (who must give the current password) or an admin. Ends every other session of
   * the user; the user changing their own password gets a fresh token back.
   */
  async changePassword(by: Principal, username: string, password: string, current: string | undefined): Promise<{ username: string; token?: IssuedToken }> {
    const self = by.username === username;
    if (!self && by.role !== 'admin') throw new ForbiddenException('only the user or an admin may change a password');
    const newHash = await this.auth.hashPassword(password);
    const updated = await this.changeStored(by, username, 'user.password', async (user) => {
      if (self && by.role !== 'admin' && !(current !== undefined && (await this.auth.verifyPassword(current, user.passwordHash)).ok)) {
        throw new UnauthorizedException('currentPassword: wrong or missing');
      }
      return { ...user, passwordHash: newHash };
    });
    return self ? { username, token: await this.auth.issue(updated) } : { username };
  }

  async remove(by: Principal, username: string): Promise<{ username: string; deleted: true }> {
    if (username === by.username) throw new ForbiddenException('an admin cannot delete themselves');
    for (let i = 0; i < ATTEMPTS; i++) {
      const stored = await this.users.getRaw(username);
      if (!stored) throw new NotFoundException(`user ${username} does not exist`);
      const entry = this.audit.entry(by.username, 'user.delete', { username, before: visible(stored.user), after: null });
      const { outcome } = await this.users.write(username, stored.json, null, false, entry, stored.user.tokenVersion);
      if (outcome === 'ok') {
        this.sessions.endSessions(username);
        return { username, deleted: true };
      }
    }
    throw new ConflictException(`user ${username} changed while being deleted, try again`);
  }

  private async change(by: Principal, username: string, action: string, edit: (user: StoredUser) => StoredUser): Promise<PublicUser> {
    return visible(await this.changeStored(by, username, action, async (user) => edit(user)))!;
  }

  /** Read, edit, compare-and-set with a raised token version; again if someone else wrote in between. */
  private async changeStored(by: Principal, username: string, action: string, edit: (user: StoredUser) => Promise<StoredUser>): Promise<StoredUser> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const stored = await this.users.getRaw(username);
      if (!stored) throw new NotFoundException(`user ${username} does not exist`);
      const next = await edit(stored.user);
      const before = visible(stored.user);
      const after = visible(next);
      const entry = this.audit.entry(by.username, action, { username, before, after });
      const { outcome, version } = await this.users.write(username, stored.json, next, true, entry, stored.user.tokenVersion);
      if (outcome === 'ok') {
        this.sessions.endSessions(username);
        return { ...next, tokenVersion: version };
      }
      if (outcome === 'missing') throw new NotFoundException(`user ${username} does not exist`);
    }
    throw new ConflictException(`user ${username} changed while being edited, try again`);
  }
}

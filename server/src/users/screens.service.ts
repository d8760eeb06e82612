import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository.js';
import { AuthService, type IssuedToken } from '../auth/auth.service.js';
import type { Principal, StoredUser } from '../auth/auth.types.js';
import { EnrolmentRepository } from '../auth/enrolment.repository.js';
import { SessionsService } from '../auth/sessions.service.js';
import { UsersRepository } from '../auth/users.repository.js';

/** How long an issued code can be used. */
export const CODE_TTL_MS = 15 * 60 * 1000;
/** The code the demo's first start prints for its first wall screen: a newcomer may open the wall the next morning. */
export const FIRST_SCREEN_CODE_TTL_MS = 24 * 3600 * 1000;
export const FIRST_SCREEN_NAME = 'screen-1';
// No 0/O, 1/I/L: read off one screen and typed on another. 12 of 31 symbols: 59 bits.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 12;
/** A screen's account has no password: '!' matches no hash scheme, so it can never log in by form. */
const NO_PASSWORD = '!';
const ATTEMPTS = 5;

@Injectable()
export class ScreensService {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditRepository,
  ) {}

  async issueCode(by: Principal, name: string, ttlMs = CODE_TTL_MS): Promise<{ name: string; code: string; expiresAt: string }> {
    const existing = await this.users.get(name);
    if (existing && existing.role !== 'wall') throw new ConflictException(`name: ${name} is a ${existing.role} account, not a wall screen`);
    const raw = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const code = raw.match(/.{4}/g)!.join('-');
    await this.enrolments.issue(code, name, ttlMs, this.audit.entry(by.username, 'screen.code', { name }));
    return { name, code, expiresAt: new Date(Date.now() + ttlMs).toISOString() };
  }

  /**
   * Takes the code (once) and answers the screen's token. Enrolling a name again revokes the
   * token of the screen enrolled before under it (a replaced PC).
   */
  async enrol(code: string): Promise<IssuedToken & { name: string }> {
    const name = await this.enrolments.take(code);
    if (!name) throw new UnauthorizedException('code: unknown, used or expired');
    for (let i = 0; i < ATTEMPTS; i++) {
      const stored = await this.users.getRaw(name);
      if (stored && stored.user.role !== 'wall') throw new ConflictException(`name: ${name} is not a wall screen`);
      const next: StoredUser = stored ? { ...stored.user } : { username: name, role: 'wall', passwordHash: NO_PASSWORD, tokenVersion: 0, createdAt: new Date().toISOString() };
      const entry = this.audit.entry(name, 'screen.enrol', { name, again: !!stored });
      const { outcome, version } = await this.users.write(name, stored?.json ?? '', next, true, entry, stored?.user.tokenVersion ?? 0);
      if (outcome === 'ok') {
        this.sessions.endSessions(name);
        return { name, ...(await this.auth.issue({ ...next, tokenVersion: version })) };
      }
    }
    throw new ConflictException(`name: ${name} changed while enrolling, try again`);
  }
}

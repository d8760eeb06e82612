import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SignJWT, jwtVerify } from 'jose';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { keys } from '../redis/redis.tokens.js';
import { ROLES, type Role, type Session, type StoredUser } from './auth.types.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { PasswordHasher, type Verdict } from './password.js';
import { UsersRepository } from './users.repository.js';

/** Free attempts before the delay starts growing: this account from one address, this account, one address. */
export const LOGIN_LIMITS = { perAccountAddress: 5, perAccount: 50, perAddress: 100 } as const;

export class LoginError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 429,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

export interface IssuedToken {
  token: string;
  role: Role;
  expiresAt: string;
}

@Injectable()
export class AuthService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Auth');
  private secret!: Uint8Array;
  private feedToken!: Buffer;
  private dummyHash!: Promise<string>;
  private inFlight = 0;
  private readonly hasher: PasswordHasher;
  /** Set when this start generated credentials, so the operator can be told once. */
  generated: { adminPassword?: string; feedToken?: string } = {};

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly audit: AuditRepository,
  ) {
    this.hasher = new PasswordHasher(config.LOGIN_CONCURRENCY);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.hasher.close();
  }

  hashPassword(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  verifyPassword(password: string, hash: string): Promise<Verdict> {
    return this.hasher.verify(password, hash);
  }

  async onModuleInit(): Promise<void> {
    // Compared against when the user does not exist, so timing does not tell which usernames exist.
    this.dummyHash = this.hasher.hash(randomBytes(16).toString('hex'));
    const secret = this.config.JWT_SECRET ?? (await this.users.sharedSecret(keys.jwtSecret, () => randomBytes(32).toString('hex')));
    this.secret = new TextEncoder().encode(secret);

    let feedToken = this.config.FEED_TOKEN;
    if (!feedToken) {
      const candidate = randomBytes(24).toString('base64url');
      feedToken = await this.users.sharedSecret(keys.feedToken, () => candidate);
      if (feedToken === candidate) this.generated.feedToken = feedToken;
    }
    this.feedToken = Buffer.from(feedToken);

    const password = this.config.ADMIN_PASSWORD ?? randomBytes(9).toString('base64url');
    if (await this.users.createFirst(await this.newUser('admin', 'admin', password))) {
      this.logger.log('created user admin (first start)');
      if (!this.config.ADMIN_PASSWORD) this.generated.adminPassword = password;
    }
  }

  get feedTokenValue(): string {
    return this.feedToken.toString();
  }

  checkFeedToken(header: string | undefined): boolean {
    const given = Buffer.from(bearer(header) ?? '');
    return given.length === this.feedToken.length && timingSafeEqual(given, this.feedToken);
  }

  async newUser(username: string, role: Role, password: string, scope?: StoredUser['scope']): Promise<StoredUser> {
    if (!ROLES.includes(role)) throw new Error(`role: must be one of ${ROLES.join(', ')}`);
    return {
      username,
      role,
      passwordHash: await this.hasher.hash(password),
      tokenVersion: 1,
      ...(scope ? { scope } : {}),
      createdAt: new Date().toISOString(),
    };
  }

  /**
   * At most LOGIN_CONCURRENCY password checks at once on this instance; past that, 429 at once.
   * Every attempt is counted (atomically, before the check) against growing delays per account
   * and address, per account, and per address.
   */
  /** False while every login slot is taken: the HTTP layer then answers 429 before reading the body. */
  get loginSlotFree(): boolean {
    return this.inFlight < this.config.LOGIN_CONCURRENCY;
  }

  /** Ends this one token (a console's logout): refused from now on, its sockets closed by the caller. */
  async logout(session: Session): Promise<void> {
    await this.users.revokeToken(session.tokenId, session.expiresAt, this.audit.entry(session.username, 'logout', { role: session.role }));
  }

  async login(username: string, password: string, ip: string, allowed?: (role: Role) => boolean): Promise<IssuedToken> {
    if (!this.loginSlotFree) throw new LoginError('too many logins at once, try again in a moment', 429, 1);
    this.inFlight++;
    try {
      const rules = this.throttle.rules(username, ip, LOGIN_LIMITS);
      const wait = await this.throttle.attempt(rules, username, ip, 'throttled');
      if (wait > 0) throw new LoginError(`too many failed logins, try again in ${Math.ceil(wait / 1000)} s`, 429, Math.ceil(wait / 1000));
      const user = await this.users.get(username);
      const verdict = await this.hasher.verify(password, user?.passwordHash ?? (await this.dummyHash));
      if (!user || !verdict.ok || user.disabled || (allowed && !allowed(user.role))) {
        const reason = !user || !verdict.ok ? 'wrong username or password' : user.disabled ? 'disabled' : `role ${user.role} not allowed here`;
        await this.throttle.refused(username, ip, reason);
        // A disabled account or a wrong role answers like a wrong password only when the
        // password was wrong: once it is right, saying why helps the person at the screen.
        throw new LoginError(!user || !verdict.ok ? 'wrong username or password' : user.disabled ? 'this account is disabled' : `a ${user.role} account cannot log in here`, 401);
      }
      await this.throttle.succeeded(rules, this.audit.entry(username, 'login', { role: user.role }, ip));
      if (verdict.rehash) await this.rehash(user, password);
      return await this.issue(user);
    } finally {
      this.inFlight--;
    }
  }

  private async rehash(user: StoredUser, password: string): Promise<void> {
    const stored = await this.users.getRaw(user.username);
    if (!stored || stored.user.passwordHash !== user.passwordHash) return;
    // A concurrent edit wins: the old hash stays valid and is replaced at a later login.
    await this.users.write(user.username, stored.json, { ...stored.user, passwordHash: await this.hasher.hash(password) }, false, null, stored.user.tokenVersion);
  }

  async issue(user: StoredUser): Promise<IssuedToken> {
    const hours = user.role === 'viewer' || user.role === 'wall' ? this.config.VIEWER_TOKEN_TTL_DAYS * 24 : this.config.TOKEN_TTL_HOURS;
    const expires = Math.floor(Date.now() / 1000 + hours * 3600);
    const token = await new SignJWT({ role: user.role, ver: user.tokenVersion })
      .setProtectedHeader({ alg: 'HS256' })
      .setJti(randomBytes(12).toString('base64url'))
      .setSubject(user.username)
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(this.secret);
    return { token, role: user.role, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** The session of a valid, unexpired, unrevoked token of an enabled user; undefined otherwise. */
  async verify(token: string | undefined): Promise<Session | undefined> {
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'] });
      if (!payload.sub || !payload.jti) return undefined;
      const { user, revoked } = await this.users.getWithToken(payload.sub, payload.jti);
      if (revoked || !user || !sessionHolds(user, payload['ver'], payload['role'])) return undefined;
      return { username: user.username, role: user.role, tokenVersion: user.tokenVersion, tokenId: payload.jti, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch {
      return undefined;
    }
  }
}

/** Whether a token of this version and role still speaks for the stored user. */
export function sessionHolds(user: StoredUser | undefined, version: unknown, role: unknown): boolean {
  return !!user && !user.disabled && version === user.tokenVersion && role === user.role;
}

export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { SignJWT, jwtVerify } from 'jose';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { keys } from '../redis/redis.tokens.js';
import { ROLES, type Principal, type Role, type StoredUser } from './auth.types.js';
import { UsersRepository } from './users.repository.js';

export const MAX_LOGIN_FAILURES = 10;
/** Higher per address: a whole command center may sit behind one NAT address. */
export const MAX_ADDRESS_FAILURES = 50;
const FAILURE_WINDOW_S = 15 * 60;
const BCRYPT_ROUNDS = 10;

export class LoginError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 429,
  ) {
    super(message);
  }
}

@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger('Auth');
  private secret!: Uint8Array;
  private feedToken!: Buffer;
  /**
   * The built-in simulator's own token, known to this process only and never printed: events
   * posted with it are marked simulated in the log, and a store that holds them takes no real feed.
   */
  private readonly simulatorToken = Buffer.from(randomBytes(24).toString('base64url'));
  /** Set when this start generated credentials, so the operator can be told once. */
  generated: { adminPassword?: string; feedToken?: string } = {};

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
  ) {}

  async onModuleInit(): Promise<void> {
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
    return this.feedSource(header) === 'real';
  }

  get simulatorTokenValue(): string {
    return this.simulatorToken.toString();
  }

  /** Who posts: a real feed (FEED_TOKEN), the simulator (its own token, only while it runs), or nobody. */
  feedSource(header: string | undefined): 'real' | 'demo' | null {
    const given = Buffer.from(bearer(header) ?? '');
    if (given.length === this.feedToken.length && timingSafeEqual(given, this.feedToken)) return 'real';
    if (this.config.simulate && given.length === this.simulatorToken.length && timingSafeEqual(given, this.simulatorToken)) return 'demo';
    return null;
  }

  async newUser(username: string, role: Role, password: string, scope?: StoredUser['scope']): Promise<StoredUser> {
    if (!ROLES.includes(role)) throw new Error(`role: must be one of ${ROLES.join(', ')}`);
    return {
      username,
      role,
      passwordHash: await bcrypt.hash(password, BCRYPT_ROUNDS),
      tokenVersion: 1,
      ...(scope ? { scope } : {}),
      createdAt: new Date().toISOString(),
    };
  }

  async createUser(username: string, role: Role, password: string, scope?: StoredUser['scope']): Promise<void> {
    await this.users.put(await this.newUser(username, role, password, scope));
  }

  /** Rate-limited per user (10 failures in 15 minutes) and per address (50). */
  async login(username: string, password: string, ip: string): Promise<{ token: string; role: Role; expiresAt: string }> {
    const who = [`u:${username}`, `ip:${ip}`];
    if ((await this.users.failures(who[0]!)) >= MAX_LOGIN_FAILURES || (await this.users.failures(who[1]!)) >= MAX_ADDRESS_FAILURES) {
      throw new LoginError('too many failed logins, try again in 15 minutes', 429);
    }
    const user = await this.users.get(username);
    const ok = user ? await bcrypt.compare(password, user.passwordHash) : await bcrypt.compare(password, DUMMY_HASH);
    if (!user || !ok) {
      for (const key of who) await this.users.countFailure(key, FAILURE_WINDOW_S);
      throw new LoginError('wrong username or password', 401);
    }
    for (const key of who) await this.users.clearFailures(key);
    return this.issue(user);
  }

  async issue(user: StoredUser): Promise<{ token: string; role: Role; expiresAt: string }> {
    const hours = user.role === 'viewer' ? this.config.VIEWER_TOKEN_TTL_DAYS * 24 : this.config.TOKEN_TTL_HOURS;
    const expires = Math.floor(Date.now() / 1000 + hours * 3600);
    const token = await new SignJWT({ role: user.role, ver: user.tokenVersion })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.username)
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(this.secret);
    return { token, role: user.role, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** The principal of a valid, unexpired, unrevoked token; undefined otherwise. */
  async verify(token: string | undefined): Promise<Principal | undefined> {
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'] });
      const user = payload.sub ? await this.users.get(payload.sub) : undefined;
      if (!user || payload['ver'] !== user.tokenVersion || payload['role'] !== user.role) return undefined;
      return { username: user.username, role: user.role };
    } catch {
      return undefined;
    }
  }
}

// Compared against when the user does not exist, so timing does not tell which usernames exist.
const DUMMY_HASH = bcrypt.hashSync('not-a-password', BCRYPT_ROUNDS);

export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

import { USER_ROLES } from '@wall/shared';

export const ROLES = USER_ROLES;
export type Role = (typeof ROLES)[number];

export interface StoredUser {
  username: string;
  role: Role;
  passwordHash: string;
  /**
   * Tokens carry the version they were issued under; bumping it revokes every one issued
   * before (a lost wall screen, a changed password or role). It never goes down, even across
   * a delete and a re-create of the same name (users.repository.ts).
   */
  tokenVersion: number;
  /** A supervisor's scope: centers and/or unit types; empty means all. */
  scope?: { centers?: string[]; unitTypes?: string[] };
  /** A disabled user cannot log in and none of its tokens works. */
  disabled?: boolean;
  createdAt: string;
}

export interface Principal {
  username: string;
  role: Role;
}

/** A verified token: who, and what a socket needs to notice that its session ended. */
export interface Session extends Principal {
  tokenVersion: number;
  /** The token's own id (jti): logging out revokes this one token. */
  tokenId: string;
  /** Epoch ms at which the token expires. */
  expiresAt: number;
}

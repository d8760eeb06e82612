export const ROLES = ['admin', 'supervisor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface StoredUser {
  username: string;
  role: Role;
  passwordHash: string;
  /** Bumped to revoke every token issued before (e.g. a lost wall screen). */
  tokenVersion: number;
  /** A supervisor's scope: centers and/or unit types; empty means all. */
  scope?: { centers?: string[]; unitTypes?: string[] };
  createdAt: string;
}

export interface Principal {
  username: string;
  role: Role;
}

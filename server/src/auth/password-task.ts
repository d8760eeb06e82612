export const KEY_LENGTH = 32;
export const MAXMEM = 64 * 1024 * 1024;

/** What the main thread asks a hashing thread (password.worker.ts). */
export type HashTask = { op: 'derive'; password: string; salt: string; N: number; r: number; p: number; expected?: string } | { op: 'bcrypt'; password: string; hash: string };

export interface HashAnswer {
  id: number;
  key?: string;
  ok?: boolean;
  error?: string;
}

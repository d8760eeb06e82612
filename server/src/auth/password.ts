import bcrypt from 'bcryptjs';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Passwords are hashed with scrypt, which node runs on its thread pool: a login storm keeps
// the pool busy, not the event loop that raises the deadline alarms and pushes the walls.
// Hashes made before (bcrypt, computed in JavaScript) still verify, and are replaced by an
// scrypt hash at the user's next login.

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export interface Verdict {
  ok: boolean;
  /** The hash is of an older kind or strength: store a new one now that the password is known. */
  rehash: boolean;
}

export async function verifyPassword(password: string, hash: string): Promise<Verdict> {
  if (hash.startsWith('scrypt$')) {
    const [, n, r, p, salt, key] = hash.split('$');
    const expected = Buffer.from(key ?? '', 'base64url');
    const got = await derive(password, Buffer.from(salt ?? '', 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
    const ok = got.length === expected.length && timingSafeEqual(got, expected);
    return { ok, rehash: ok && (Number(n) !== N || Number(r) !== R || Number(p) !== P) };
  }
  if (/^\$2[aby]\$/.test(hash)) {
    const ok = await bcrypt.compare(password, hash);
    return { ok, rehash: ok };
  }
  return { ok: false, rehash: false };
}

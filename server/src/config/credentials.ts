import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Credentials this installation generated for itself, in one file only its owner can read
// (0600, under DATA_DIR): the operator finds them there instead of in a log that every start
// would print them to again.

export interface Credentials {
  /** The feed token, when this installation generated it (Redis keeps only its hash). */
  feedToken?: string;
  /** The first admin's password, when generated at the first start. */
  adminPassword?: string;
  /** The demo's first wall screen code (one use, FIRST_SCREEN_CODE_TTL_MS), and until when it holds. */
  screenCode?: string;
  screenCodeExpiresAt?: string;
  /** The embedded redis-server's password. */
  redisPassword?: string;
}

export function credentialsPath(dataDir: string): string {
  return resolve(dataDir, 'credentials.json');
}

export function readCredentials(dataDir: string): Credentials {
  const path = credentialsPath(dataDir);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Credentials;
  } catch {
    return {};
  }
}

/** Adds to the file (written whole, then renamed into place), 0600 in a 0700 directory. */
export function saveCredentials(dataDir: string, more: Credentials): string {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = credentialsPath(dataDir);
  const next = { ...readCredentials(dataDir), ...more };
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return path;
}

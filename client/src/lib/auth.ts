import type { ReferenceData } from '@wall/shared';
import { apiJson, UnauthorizedError } from './api';

export { UnauthorizedError };

// The viewer login of a wall screen. The token is kept in localStorage so a screen comes back
// by itself after a power cut; `?token=` in the start URL is taken, stored and removed from
// the address bar.

const KEY = 'wall.auth';

export interface StoredAuth {
  token: string;
  role: string | null;
  /** ISO or epoch ms as the server sent it; null when unknown (a `?token=` URL). */
  expiresAt: string | number | null;
}

function expired(a: StoredAuth, now: number): boolean {
  if (a.expiresAt === null || a.expiresAt === undefined) return false;
  const t = typeof a.expiresAt === 'number' ? a.expiresAt : Date.parse(a.expiresAt);
  return Number.isFinite(t) && t <= now;
}

export function loadAuth(storage: Storage = localStorage, now = Date.now()): StoredAuth | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const a = JSON.parse(raw) as StoredAuth;
    if (typeof a?.token !== 'string' || !a.token || expired(a, now)) return null;
    return a;
  } catch {
    return null;
  }
}

export function saveAuth(a: StoredAuth, storage: Storage = localStorage): void {
  try {
    storage.setItem(KEY, JSON.stringify(a));
  } catch {
    // Private mode or full storage: the session still works until reload.
  }
}

export function clearAuth(storage: Storage = localStorage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    /* ignore */
  }
}

/** Takes `?token=` from the URL (stores it, strips it from the address bar). */
export function takeUrlToken(): StoredAuth | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return null;
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  const a: StoredAuth = { token, role: null, expiresAt: null };
  saveAuth(a);
  return a;
}

export async function login(username: string, password: string): Promise<StoredAuth> {
  let body: { token?: string; role?: string; expiresAt?: string | number };
  try {
    body = await apiJson('/api/auth/login', {
      method: 'POST',
      body: { username, password },
      unauthorized: [401, 403],
      failure: (status) => `登录失败 (${status})`,
    });
  } catch (e) {
    throw e instanceof UnauthorizedError ? new UnauthorizedError('用户名或密码错误') : e;
  }
  if (!body.token) throw new Error('登录失败 (no token)');
  const a: StoredAuth = { token: body.token, role: body.role ?? null, expiresAt: body.expiresAt ?? null };
  saveAuth(a);
  return a;
}

export async function fetchReference(token: string, signal?: AbortSignal): Promise<ReferenceData> {
  return apiJson<ReferenceData>('/api/reference', { token, signal, failure: (status) => `reference ${status}` });
}

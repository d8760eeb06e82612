import type { ReferenceData } from '@wall/shared';
import { apiJson, UnauthorizedError } from './api';

export { UnauthorizedError };

// The logins of the pages. The token is kept in localStorage so a wall screen comes back by
// itself after a power cut. No token ever travels in a URL (browser history, proxy logs): a
// screen is enrolled with a one-time code instead, or logs in with a viewer or wall account.

const KEY = 'wall.auth';

export interface StoredAuth {
  token: string;
  role: string | null;
  /** ISO or epoch ms as the server sent it; null when unknown. */
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

/** Which login form: a wall screen's takes only viewer and wall accounts, the console only supervisors and admins. */
export type Screen = 'wall' | 'console';

type TokenAnswer = { token?: string; role?: string; expiresAt?: string | number; message?: string };

async function takeToken(res: Response, refused: (body: TokenAnswer) => string): Promise<StoredAuth> {
  const body = (await res.json().catch(() => ({}))) as TokenAnswer;
  if (res.status === 401 || res.status === 403) throw new UnauthorizedError(refused(body));
  if (res.status === 429) throw new Error('尝试过于频繁，请稍后再试');
  if (!res.ok || !body.token) throw new Error(body.message || `登录失败 (${res.status})`);
  const a: StoredAuth = { token: body.token, role: body.role ?? null, expiresAt: body.expiresAt ?? null };
  saveAuth(a);
  return a;
}

export async function login(username: string, password: string, screen?: Screen): Promise<StoredAuth> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password, ...(screen ? { screen } : {}) }),
  });
  return takeToken(res, (body) =>
    /cannot log in here/.test(body.message ?? '')
      ? screen === 'wall'
        ? '大屏不能使用管理员或督导账号登录，请使用大屏或只读账号'
        : '该账号无权使用督导台（仅督导、管理员可用）'
      : '用户名或密码错误',
  );
}

/** A wall screen's enrolment: the one-time code an admin issued, exchanged for the screen's own token. */
export async function enrol(code: string): Promise<StoredAuth> {
  const res = await fetch('/api/screens/enrol', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return takeToken(res, () => '登记码无效、已使用或已过期');
}

/** Revokes the token on the server (a lost laptop's copy stops working), then forgets it here. */
export async function logout(a: StoredAuth | null): Promise<void> {
  clearAuth();
  if (!a) return;
  await fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${a.token}` } }).catch(() => undefined);
}

export async function fetchReference(token: string, signal?: AbortSignal): Promise<ReferenceData> {
  return apiJson<ReferenceData>('/api/reference', { token, signal, failure: (status) => `reference ${status}` });
}

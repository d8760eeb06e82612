import type { AssessmentRules, NewUser, ReferenceData, PagingPreview, Playlist, Roster, UserPatchBody, UserRole, WallScreen } from '@wall/shared';
import { UnauthorizedError } from '../lib/api';

// The REST calls of the admin console. A refused request keeps the server's status and
// message, so a form can put the reason next to its field (field-errors.ts).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function call<T>(token: string, path: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' = 'GET', body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) throw new UnauthorizedError();
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const message = (parsed as { message?: string | string[] } | undefined)?.message;
    throw new ApiError(res.status, Array.isArray(message) ? message.join('; ') : (message ?? `请求失败 (${res.status})`));
  }
  return parsed as T;
}

export interface AdminUser {
  username: string;
  role: UserRole;
  scope?: { centers?: string[]; unitTypes?: string[] };
  disabled?: boolean;
  createdAt: string;
}

const user = (name: string) => `/api/users/${encodeURIComponent(name)}`;

export const listUsers = (token: string) => call<AdminUser[]>(token, '/api/users');
export const createUser = (token: string, body: NewUser) => call<AdminUser>(token, '/api/users', 'POST', body);
export const updateUser = (token: string, name: string, body: UserPatchBody) => call<AdminUser>(token, user(name), 'PATCH', body);
export const deleteUser = (token: string, name: string) => call<unknown>(token, user(name), 'DELETE');
export const revokeUser = (token: string, name: string) => call<unknown>(token, `${user(name)}/revoke`, 'POST');
export const setPassword = (token: string, name: string, password: string) => call<unknown>(token, `${user(name)}/password`, 'PUT', { password });

export interface IssuedCode {
  name: string;
  code: string;
  expiresAt: string;
}
export const issueScreenCode = (token: string, name: string) => call<IssuedCode>(token, '/api/screens/codes', 'POST', { name });
export const listScreens = (token: string) => call<WallScreen[]>(token, '/api/wall/screens');
export const getPlaylist = (token: string) => call<Playlist>(token, '/api/wall/playlist');
export const putPlaylist = (token: string, body: Playlist) => call<Playlist>(token, '/api/wall/playlist', 'PUT', body);

export const getRoster = (token: string) => call<Roster>(token, '/api/roster');
export const putRoster = (token: string, body: Roster) => call<Roster>(token, '/api/roster', 'PUT', body);
export function pagingPreview(token: string, center: string, unit: string, at: string): Promise<PagingPreview> {
  const q = new URLSearchParams({ center, unit, at });
  return call<PagingPreview>(token, `/api/roster/preview?${q}`);
}

export interface WebhookTestResult {
  ok: boolean;
  status: number | null;
  answer: string;
  error?: string;
}
export const testWebhook = (token: string, user: string, index: number) =>
  call<WebhookTestResult>(token, `/api/roster/contacts/${encodeURIComponent(user)}/webhooks/${index}/test`, 'POST');

export const getReference = (token: string) => call<ReferenceData>(token, '/api/reference');
export const putReference = (token: string, body: ReferenceData) => call<ReferenceData>(token, '/api/reference', 'PUT', body);
export const getAssessmentRules = (token: string) => call<AssessmentRules>(token, '/api/reports/assessment-rules');
export const putAssessmentRules = (token: string, body: AssessmentRules) => call<AssessmentRules>(token, '/api/reports/assessment-rules', 'PUT', body);

export interface Readiness {
  status: string;
  redis: string;
  projection: string;
  seq: number;
  worker: string;
  workerBeatSecondsAgo: number | null;
  node: string;
}
/** GET /api/health/ready: answered with 503 and the same body when not ready, so both are read. */
export async function getReadiness(): Promise<{ httpStatus: number; body: Readiness }> {
  const res = await fetch('/api/health/ready');
  return { httpStatus: res.status, body: (await res.json()) as Readiness };
}
export const boardTicket = (token: string) => call<{ url: string; expiresInSeconds: number }>(token, '/api/auth/board-ticket', 'POST');
/** The product version: the API document's info.version (GET /api/openapi.json, public). */
export async function productVersion(): Promise<string> {
  const res = await fetch('/api/openapi.json');
  if (!res.ok) throw new ApiError(res.status, `请求失败 (${res.status})`);
  return ((await res.json()) as { info?: { version?: string } }).info?.version ?? '未知';
}

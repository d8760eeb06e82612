// The one fetch wrapper for the server's /api: the bearer token, JSON bodies, 401 as an
// UnauthorizedError (the page goes back to its login), any other failure as an Error with the
// server's message (NestJS sends `message` as a string or, for validation, a list).

export class UnauthorizedError extends Error {
  constructor(message = 'unauthorized') {
    super(message);
  }
}

export interface ApiOptions {
  token?: string;
  method?: 'GET' | 'POST' | 'PUT';
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Statuses answered with an UnauthorizedError (401 unless told). */
  unauthorized?: readonly number[];
  /** The error's text when the server gives none. */
  failure?: (status: number) => string;
}

/** The server's `message` of a failed answer, if it sent one. */
async function serverMessage(res: Response): Promise<string | undefined> {
  const body = (await res.json().catch(() => ({}))) as { message?: string | string[] };
  return Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
}

/** fetch for /api; resolves only with a 2xx answer. */
export async function apiFetch(path: string, options: ApiOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if ((options.unauthorized ?? [401]).includes(res.status)) throw new UnauthorizedError();
  if (!res.ok) throw new Error((await serverMessage(res)) || (options.failure?.(res.status) ?? `${path}: ${res.status}`));
  return res;
}

/** apiFetch's answer as JSON. */
export async function apiJson<T>(path: string, options: ApiOptions = {}): Promise<T> {
  return (await (await apiFetch(path, options)).json()) as T;
}

import { SUPERVISOR_NAMESPACE, WALL_NAMESPACE } from '@wall/shared';
import { io, type Socket } from 'socket.io-client';

/** An admin call with a JSON body; answers the status and the parsed body. */
export async function adminCall<T = unknown>(url: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function createUser(url: string, adminToken: string, username: string, role: string, password = 'password-123', scope?: unknown): Promise<void> {
  const res = await adminCall(url, adminToken, 'POST', '/api/users', { username, password, role, ...(scope ? { scope } : {}) });
  if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A real socket.io client that records every event with its arrival time, and when it
 * closed. `opened` settles with 'connected' or the refusal's message.
 */
export interface WatchedSocket {
  socket: Socket;
  opened: Promise<string>;
  events: Array<{ at: number; name: string }>;
  closedAt(): number | undefined;
  close(): void;
}

export function watchSocket(url: string, namespace: 'wall' | 'supervisor', token: string | undefined): WatchedSocket {
  const ns = namespace === 'wall' ? WALL_NAMESPACE : SUPERVISOR_NAMESPACE;
  const socket = io(`${url}${ns}`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: Array<{ at: number; name: string }> = [];
  let closed: number | undefined;
  socket.onAny((name: string) => events.push({ at: Date.now(), name }));
  socket.on('disconnect', () => (closed ??= Date.now()));
  const opened = new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (e) => resolve(e.message));
  });
  return { socket, opened, events, closedAt: () => closed, close: () => socket.close() };
}

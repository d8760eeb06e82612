import { describe, expect, it } from 'vitest';
import type { SocketLike, Timers } from '../lib/connection';
import { alarm } from './fixtures';
import { LIST_TIMEOUT_MS, SupervisorConnection } from './connection';

class FakeSocket implements SocketLike {
  connected = false;
  active = false;
  handlers = new Map<string, Array<(...a: any[]) => void>>();
  emitted: string[] = [];
  connects = 0;
  on(ev: string, fn: (...a: any[]) => void) {
    this.handlers.set(ev, [...(this.handlers.get(ev) ?? []), fn]);
  }
  emit(ev: 'resync') {
    this.emitted.push(ev);
  }
  connect() {
    this.connects++;
    this.active = true;
  }
  disconnect() {
    this.connected = false;
    this.active = false;
  }
  removeAllListeners() {
    this.handlers.clear();
  }
  fire(ev: string, ...args: unknown[]) {
    if (ev === 'connect') this.connected = true;
    if (ev === 'disconnect') this.connected = false;
    for (const fn of this.handlers.get(ev) ?? []) fn(...args);
  }
}

function setup() {
  let t = 0;
  let id = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => (pending.set(++id, { at: t + ms, fn }), id),
    clearTimeout: (h) => void pending.delete(h as number),
    now: () => t,
    random: () => 0.5,
  };
  const advance = (ms: number) => {
    t += ms;
    for (const [k, v] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
      if (v.at <= t && pending.has(k)) {
        pending.delete(k);
        v.fn();
      }
    }
  };
  const socket = new FakeSocket();
  const log: string[] = [];
  const c = new SupervisorConnection(() => socket, {
    onAlarms: (a) => log.push(`alarms:${a.length}`),
    onChange: (ch) => log.push(`${ch.kind}:${ch.alarm.id}:${ch.popup}`),
    onState: (s) => log.push(`state:${s}`),
    onUnauthorized: () => log.push('unauthorized'),
    onForbidden: () => log.push('forbidden'),
  }, timers);
  return { c, socket, log, advance, pending };
}

describe('the supervisor connection', () => {
  it('goes live with the list, then passes changes on', () => {
    const { c, socket, log } = setup();
    c.start();
    expect(socket.connects).toBe(1);
    socket.fire('connect');
    socket.fire('alarms', [alarm('a')]);
    socket.fire('alarm', { kind: 'raised', alarm: alarm('b'), popup: true });
    expect(log).toEqual(['alarms:1', 'state:live', 'raised:b:true']);
  });

  it('asks again when the list does not come after connecting', () => {
    const { c, socket, advance } = setup();
    c.start();
    socket.fire('connect');
    advance(LIST_TIMEOUT_MS);
    expect(socket.emitted).toEqual(['resync']);
  });

  it('reconnects with backoff when the server closed the socket', () => {
    const { c, socket, log, advance } = setup();
    c.start();
    socket.fire('connect');
    socket.fire('alarms', []);
    socket.fire('disconnect', 'io server disconnect');
    expect(log).toContain('state:down');
    advance(1000);
    expect(socket.connects).toBe(2);
  });

  it('sends a refused token to the login, and a viewer to the forbidden notice, and stops', () => {
    for (const [message, expected] of [['unauthorized', 'unauthorized'], ['forbidden', 'forbidden']] as const) {
      const { c, socket, log, pending } = setup();
      c.start();
      socket.fire('connect_error', new Error(message));
      expect(log).toEqual([expected]);
      expect(socket.handlers.size).toBe(0);
      expect(pending.size).toBe(0);
    }
  });

  it('retries a refused handshake that socket.io gives up on', () => {
    const { c, socket, advance } = setup();
    c.start();
    socket.active = false;
    socket.fire('connect_error', new Error('server error'));
    advance(1000);
    expect(socket.connects).toBe(2);
  });
});

// Test doubles for ReconnectingLink: a scripted socket and timers that move only when told.
import type { SocketLike, Timers } from './link';

export class FakeSocket implements SocketLike {
  connected = false;
  active = false;
  handlers = new Map<string, Array<(...a: any[]) => void>>();
  emitted: string[] = [];
  connects = 0;
  on(ev: string, fn: (...a: never[]) => void) {
    this.handlers.set(ev, [...(this.handlers.get(ev) ?? []), fn as (...a: any[]) => void]);
  }
  sent: Array<{ ev: string; args: unknown[] }> = [];
  emit(ev: 'resync' | 'screen', ...args: unknown[]) {
    this.emitted.push(ev);
    this.sent.push({ ev, args });
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

export function fakeTimers() {
  let t = 0;
  let id = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(++id, { at: t + ms, fn });
      return id;
    },
    clearTimeout: (h) => void pending.delete(h as number),
    now: () => t,
    random: () => 0.5,
  };
  return {
    timers,
    pending,
    advance: (ms: number) => {
      t += ms;
      for (const [k, v] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (v.at <= t && pending.has(k)) {
          pending.delete(k);
          v.fn();
        }
      }
    },
  };
}

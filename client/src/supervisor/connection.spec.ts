import { describe, expect, it } from 'vitest';
import { FakeSocket, fakeTimers } from '../lib/link.fakes';
import { alarm } from './fixtures';
import { LIST_TIMEOUT_MS, SupervisorConnection } from './connection';

function setup() {
  const { timers, advance, pending } = fakeTimers();
  const socket = new FakeSocket();
  const log: string[] = [];
  const c = new SupervisorConnection(
    () => socket,
    {
      onAlarms: (a) => log.push(`alarms:${a.length}`),
      onChange: (ch) => log.push(`${ch.kind}:${ch.alarm.id}:${ch.popup}`),
      onState: (s) => log.push(`state:${s}`),
      onUnauthorized: () => log.push('unauthorized'),
      onForbidden: () => log.push('forbidden'),
    },
    timers,
  );
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
    for (const [message, expected] of [
      ['unauthorized', 'unauthorized'],
      ['forbidden', 'forbidden'],
    ] as const) {
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

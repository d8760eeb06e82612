import { describe, expect, it } from 'vitest';
import type { WallSections } from '@wall/shared';
import { RETRY_MAX_MS, SNAPSHOT_TIMEOUT_MS, WallConnection, backoffDelay } from './connection';
import { FakeSocket, fakeTimers } from './link.fakes';

const sections = (today: number): WallSections => ({
  kpi: { today, yesterdaySameTime: 0, month: today, inProgress: 0, closedRate: null, overdue: 0, returnedMonth: 0, simulated: 0 },
  hourly: { today: [], yesterday: [], week: [] },
  districts: [],
  centers: [],
  centersTotal: { incidents: 0, closed: 0, closedRate: null, feedbacks: 0, unfed: 0, overdueFeedback: 0, returned: 0 },
  units: [],
  overdue: { total: 0, items: [] },
  ticker: [],
  duty: null,
  health: { store: 'up', since: null },
});

function setup() {
  const sock = new FakeSocket();
  const ft = fakeTimers();
  const log: string[] = [];
  let unauthorized = 0;
  const conn = new WallConnection(
    () => sock,
    {
      onData: (f, kind) => log.push(`${kind}:${f.rev}:${f.sections?.kpi.today}`),
      onState: (s) => log.push(`state:${s}`),
      onUnauthorized: () => unauthorized++,
    },
    ft.timers,
  );
  conn.start();
  return { sock, ft, log, conn, unauthorized: () => unauthorized };
}

describe('WallConnection', () => {
  it('goes live on the snapshot and applies chained deltas', () => {
    const { sock, log } = setup();
    expect(sock.connects).toBe(1);
    sock.fire('connect');
    sock.fire('snapshot', { seq: 1, rev: 1, at: 0, sections: sections(5) });
    sock.fire('delta', { seq: 2, rev: 2, prevRev: 1, at: 0, sections: { kpi: sections(6).kpi } });
    expect(log).toEqual(['state:live', 'snapshot:1:5', 'delta:2:6']);
  });

  it('asks for a resync on a gap and ignores deltas until the snapshot', () => {
    const { sock, log } = setup();
    sock.fire('connect');
    sock.fire('snapshot', { seq: 1, rev: 1, at: 0, sections: sections(5) });
    sock.fire('delta', { seq: 3, rev: 3, prevRev: 2, at: 0, sections: { kpi: sections(7).kpi } });
    expect(sock.emitted).toEqual(['resync']);
    sock.fire('delta', { seq: 4, rev: 4, prevRev: 3, at: 0, sections: { kpi: sections(8).kpi } });
    sock.fire('snapshot', { seq: 4, rev: 4, at: 0, sections: sections(8) });
    expect(log).toEqual(['state:live', 'snapshot:1:5', 'snapshot:4:8']);
  });

  it('repeats the resync when no snapshot comes', () => {
    const { sock, ft } = setup();
    sock.fire('connect');
    ft.advance(SNAPSHOT_TIMEOUT_MS);
    expect(sock.emitted).toEqual(['resync']);
    ft.advance(SNAPSHOT_TIMEOUT_MS);
    expect(sock.emitted).toEqual(['resync', 'resync']);
    sock.fire('snapshot', { seq: 1, rev: 1, at: 0, sections: sections(1) });
    ft.advance(SNAPSHOT_TIMEOUT_MS * 3);
    expect(sock.emitted).toHaveLength(2);
    expect(ft.pending.size).toBe(0);
  });

  it('shows down on disconnect and starts again from the next snapshot', () => {
    const { sock, log } = setup();
    sock.fire('connect');
    sock.fire('snapshot', { seq: 1, rev: 10, at: 0, sections: sections(5) });
    sock.fire('disconnect', 'transport close');
    sock.fire('delta', { seq: 2, rev: 11, prevRev: 10, at: 0, sections: { kpi: sections(6).kpi } });
    sock.fire('connect');
    sock.fire('snapshot', { seq: 2, rev: 1, at: 0, sections: sections(6) });
    expect(log).toEqual(['state:live', 'snapshot:10:5', 'state:down', 'state:live', 'snapshot:1:6']);
  });

  it('reconnects by itself with jitter when the server closed the socket', () => {
    const { sock, ft } = setup();
    sock.fire('connect');
    sock.fire('disconnect', 'io server disconnect');
    sock.active = false;
    expect(sock.connects).toBe(1);
    ft.advance(backoffDelay(0, 0.5) - 1);
    expect(sock.connects).toBe(1);
    ft.advance(1);
    expect(sock.connects).toBe(2);
  });

  it('retries a refused handshake, but gives up to the login on unauthorized', () => {
    const a = setup();
    a.sock.active = false;
    a.sock.fire('connect_error', new Error('server busy'));
    a.ft.advance(RETRY_MAX_MS);
    expect(a.sock.connects).toBe(2);

    const b = setup();
    b.sock.fire('connect_error', new Error('unauthorized'));
    expect(b.unauthorized()).toBe(1);
    b.ft.advance(RETRY_MAX_MS * 2);
    expect(b.sock.connects).toBe(1);
    expect(b.sock.handlers.size).toBe(0);
  });

  it('leaves no timer or listener behind when stopped', () => {
    const { sock, ft, conn } = setup();
    sock.fire('connect');
    sock.fire('disconnect', 'io server disconnect');
    conn.stop();
    expect(ft.pending.size).toBe(0);
    expect(sock.handlers.size).toBe(0);
    expect(sock.connected).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, capped, jittered between half and whole', () => {
    expect(backoffDelay(0, 0)).toBe(500);
    expect(backoffDelay(0, 1)).toBe(1000);
    expect(backoffDelay(3, 1)).toBe(8000);
    expect(backoffDelay(20, 1)).toBe(RETRY_MAX_MS);
    expect(backoffDelay(20, 0)).toBe(RETRY_MAX_MS / 2);
  });
});

describe('WallConnection state', () => {
  it('shows down when the first connection fails', () => {
    const { sock, log } = setup();
    sock.active = true;
    sock.fire('connect_error', new Error('xhr poll error'));
    expect(log).toEqual(['state:down']);
    expect(sock.connects).toBe(1); // socket.io retries by itself while active
  });
});

describe('WallConnection contact and screen reports', () => {
  it('counts a snapshot, a delta and a heartbeat as contact, and sends reports only while connected', () => {
    const sock = new FakeSocket();
    const ft = fakeTimers();
    let contacts = 0;
    const conn = new WallConnection(() => sock, { onData: () => {}, onState: () => {}, onUnauthorized: () => {}, onContact: () => contacts++ }, ft.timers);
    conn.start();
    const report = { id: 'wall-1', seq: 1, layout: '16x9', tile: null, view: 'live' as const, screen: '1920x1080@1' };
    conn.report(report);
    expect(sock.sent).toEqual([]);
    sock.fire('connect');
    sock.fire('snapshot', { seq: 1, rev: 1, at: 0, sections: sections(1) });
    sock.fire('delta', { seq: 2, rev: 2, prevRev: 1, at: 0, sections: {} });
    sock.fire('heartbeat', { seq: 2, rev: 2, at: 0 });
    expect(contacts).toBe(3);
    conn.report(report);
    expect(sock.sent).toEqual([{ ev: 'screen', args: [report] }]);
  });
});

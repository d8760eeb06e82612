import { WALL_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type WallSnapshot } from '@wall/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from './support/redis.js';
import { login, postFeed, startServer, type RunningServer } from './support/server.js';

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function connect(url: string, token: string | undefined): WallSocket {
  return io(`${url}${WALL_NAMESPACE}`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
}

describe('the wall namespace', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServer(redis.url);
    token = await login(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.cleanup();
  });

  it('refuses a connection without a valid token', async () => {
    for (const bad of [undefined, 'forged.token.value']) {
      const socket = connect(server.url, bad);
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('unauthorized');
      socket.close();
    }
  });

  it('sends a snapshot, then deltas whose seq reaches the feed answer and whose revisions chain', async () => {
    const socket = connect(server.url, token);
    const snapshot = await new Promise<WallSnapshot>((resolve) => socket.once('snapshot', resolve));
    expect(snapshot.seq).toBe(0);
    expect(snapshot.sections.kpi.today).toBe(0);

    let rev = snapshot.rev;
    let gaps = 0;
    let seq = snapshot.seq;
    let today = 0;
    socket.on('delta', (delta) => {
      if (delta.prevRev !== rev) gaps++;
      rev = delta.rev;
      seq = delta.seq;
      if (delta.sections.kpi) today = delta.sections.kpi.today;
    });

    const now = Date.now();
    const events = Array.from({ length: 30 }, (_, i) => ({
      id: `live-${i}`,
      type: 'incident.reported',
      at: new Date(now - 60_000 + i * 1000).toISOString(),
      incident: `live-inc-${i}`,
      center: 'ouhai',
      kind: 'help',
      category: '急救',
    }));
    let answerSeq = 0;
    for (let i = 0; i < events.length; i += 10) answerSeq = (await postFeed(server.url, events.slice(i, i + 10))).body.seq;
    expect(answerSeq).toBe(30);

    const deadline = Date.now() + 5000;
    while (seq < answerSeq && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seq).toBe(answerSeq);
    expect(gaps).toBe(0);
    // Today's count may lag the seq by one throttle window at most, never by more.
    await new Promise((r) => setTimeout(r, 300));
    expect(today).toBe(30);
    socket.close();
  });

  it('answers a resync with a fresh snapshot at the current seq', async () => {
    const socket = connect(server.url, token);
    await new Promise((resolve) => socket.once('snapshot', resolve));
    socket.emit('resync');
    const again = await new Promise<WallSnapshot>((resolve) => socket.once('snapshot', resolve));
    expect(again.seq).toBe(30);
    expect(again.sections.districts.find((d) => d.id === 'ouhai')?.today).toBe(30);
    socket.close();
  });
});

import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../../server/src/redis/embedded-redis.js';

// A TCP proxy between the server and its Redis that can hold one direction of the connection
// that carried a given marker. It lets a test crash the server at a moment a timer cannot hit
// reliably: after Redis stored a batch but before the server saw the answer, or before Redis
// saw the batch at all. Bytes are forwarded unchanged: Redis and the server are the real ones.

export interface HoldingProxy {
  url: string;
  /** Resolves when the marker went by (towards Redis); from then on `hold` applies to that connection. */
  seen: Promise<void>;
  close(): Promise<void>;
}

/**
 * `hold: 'reply'`: the command carrying the marker reaches Redis, its answer does not reach
 * the server. `hold: 'request'`: the chunk carrying the marker and all after it are held back.
 */
export async function holdingProxy(target: { port: number }, marker: string, hold: 'reply' | 'request'): Promise<HoldingProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let resolveSeen!: () => void;
  const seen = new Promise<void>((r) => (resolveSeen = r));
  let caught: Socket | null = null;
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, '127.0.0.1');
    sockets.add(client).add(upstream);
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      if (caught === client && hold === 'request') return;
      const text = tail + chunk.toString('latin1');
      tail = text.slice(-marker.length);
      if (!caught && text.includes(marker)) {
        caught = client;
        resolveSeen();
        if (hold === 'request') return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (caught === client && hold === 'reply') return;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `redis://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

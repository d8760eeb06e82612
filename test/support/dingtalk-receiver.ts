import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { freePort } from '../../server/src/redis/embedded-redis.js';

// A local DingTalk-style robot: every POST recorded with its arrival time, and under /ding/ the
// 加签 checked as DingTalk does (timestamp within an hour, sign = HMAC-SHA256(secret, ts\nsecret)).

export interface Received {
  path: string;
  body: Record<string, unknown>;
  at: number;
  signOk: boolean | null;
}

export class DingTalkReceiver {
  readonly got: Received[] = [];
  private server!: Server;
  url = '';

  constructor(private readonly secret: string) {}

  async start(): Promise<void> {
    const port = await freePort();
    this.server = createServer((req, res) => void this.handle(req).then((body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))));
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${port}`;
  }

  private async handle(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const at = Date.now();
    const u = new URL(req.url!, this.url);
    let signOk: boolean | null = null;
    if (u.pathname.startsWith('/ding/')) {
      const ts = u.searchParams.get('timestamp');
      const expected = createHmac('sha256', this.secret).update(`${ts}\n${this.secret}`).digest('base64');
      signOk = ts !== null && Math.abs(Date.now() - Number(ts)) < 3600_000 && u.searchParams.get('sign') === expected;
    }
    this.got.push({ path: u.pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, at, signOk });
    return signOk === false ? { errcode: 310000, errmsg: 'sign not match' } : { errcode: 0, errmsg: 'ok' };
  }

  on(path: string): Received[] {
    return this.got.filter((g) => g.path === path);
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

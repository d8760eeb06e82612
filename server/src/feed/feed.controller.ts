import { Controller, HttpException, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { FeedTokenGuard } from '../auth/feed-token.guard.js';
import { MAX_FEED_BYTES, parseFeedBody } from './feed-body.js';
import { FeedService } from './feed.service.js';
import { StoreModeError } from './event-log.repository.js';

/** The answer to a real feed posted into the simulator's store (README, Simulated data). */
export const DEMO_STORE_REFUSED =
  'store holds simulated data: this server runs the built-in simulator (SIMULATE), whose demo store takes no real feed, ' +
  'so that real and simulated events never mix. Nothing was stored. Post real feeds to a server started with SIMULATE=off ' +
  '(the embedded store then lives under DATA_DIR/redis, apart from the demo under DATA_DIR/demo) or with a REDIS_URL of its own.';
/** The simulator's answer when pointed at a store of real data. */
export const REAL_STORE_REFUSED = 'store holds real feed data: the simulator does not write into it. Nothing was stored.';

@Controller('feed')
export class FeedController {
  constructor(private readonly feed: FeedService) {}

  /** The feed checks FEED_TOKEN, not a user token; its body is read raw so limits answer 413 cleanly. */
  @Public()
  @UseGuards(FeedTokenGuard)
  @Post()
  async post(@Req() req: Request, @Res() res: Response): Promise<void> {
    // FeedTokenGuard let it through: a real feed or the built-in simulator.
    const source = (req as Request & { feedSource: 'real' | 'demo' }).feedSource;
    const body = await readBody(req, MAX_FEED_BYTES);
    if (body === 'too-large') {
      res.status(413).json({ statusCode: 413, message: `body: larger than ${MAX_FEED_BYTES} bytes` });
      return;
    }
    const parsed = parseFeedBody(body, req.headers['content-type']);
    if (!parsed.ok) {
      res.status(parsed.status).json({ statusCode: parsed.status, message: parsed.error });
      return;
    }
    try {
      const answer = await this.feed.ingest(parsed.items, Date.now(), source);
      res.status(answer.rejected.length ? 422 : 200).json(answer);
    } catch (e) {
      if (!(e instanceof StoreModeError)) throw e;
      res.status(409).json({ statusCode: 409, message: source === 'real' ? DEMO_STORE_REFUSED : REAL_STORE_REFUSED });
    }
  }
}

/**
 * Reads at most `limit` bytes. Past it the rest is drained and dropped, so the sender can read
 * the 413 instead of seeing its upload cut off.
 */
function readBody(req: Request, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length']) > limit;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', (e) => reject(new HttpException({ statusCode: 400, message: `body: ${e.message}` }, 400)));
  });
}

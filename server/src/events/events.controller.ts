import { Controller, Get, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import { PerUserConcurrency } from '../common/per-user-concurrency.interceptor.js';
import { DAY_PATTERN, EventsService } from './events.service.js';

const instant = z.union([z.iso.datetime({ offset: true }), z.string().regex(DAY_PATTERN)], { error: 'must be YYYY-MM-DD or an ISO-8601 time' });
const query = z.strictObject({ from: instant, to: instant });

/** The stored events as NDJSON, for replay and export, written as read (gzip when the client takes it). */
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @UseInterceptors(PerUserConcurrency)
  async stream(@Query() q: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { from, to } = parseBody(query, q);
    // The first chunk before the status: what fails before any line (a bad archive) is answered as an error.
    const chunks = this.events.ndjson(from, to);
    const first = await chunks.next();
    async function* all(): AsyncGenerator<string> {
      if (!first.done) yield first.value;
      yield* chunks;
    }
    res.status(200).type('application/x-ndjson').set('Cache-Control', 'no-store');
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.set('Content-Encoding', 'gzip');
    const source = Readable.from(all());
    await (gzip ? pipeline(source, createGzip({ level: 4 }), res) : pipeline(source, res));
  }
}

/** For the API document (server/src/openapi). */
export { query as eventsQuery };

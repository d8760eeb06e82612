import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import { EventLogRepository } from '../feed/event-log.repository.js';
import { LiveStateService } from '../live/live-state.service.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const instant = z.union([z.iso.datetime({ offset: true }), z.string().regex(DAY)], { error: 'must be YYYY-MM-DD or an ISO-8601 time' });
const query = z.strictObject({ from: instant, to: instant });

const CHUNK = 5000;

/**
 * The stored events as NDJSON, for replay and export. The log is read in chunks and written
 * as it goes (gzip when the client takes it), so a month never sits in memory at once.
 */
@Controller('events')
export class EventsController {
  constructor(
    private readonly log: EventLogRepository,
    private readonly live: LiveStateService,
  ) {}

  @Get()
  async stream(@Query() q: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { from, to } = parseBody(query, q);
    const zone = this.live.zone;
    // A date means the whole day in the report zone: from its start, to its end.
    const start = DAY.test(from) ? zone.startOfDay(from) : Date.parse(from);
    const end = DAY.test(to) ? zone.startOfDay(nextDay(to)) - 1 : Date.parse(to);
    const log = this.log;
    async function* lines(): AsyncGenerator<string> {
      let after = '0';
      for (;;) {
        const batch = await log.readAfter(after, CHUNK);
        if (!batch.length) return;
        let out = '';
        for (const entry of batch) {
          const at = Date.parse((JSON.parse(entry.json) as { at: string }).at);
          if (at >= start && at <= end) out += entry.json + '\n';
        }
        if (out) yield out;
        after = batch[batch.length - 1]!.streamId;
      }
    }
    res.status(200).type('application/x-ndjson').set('Cache-Control', 'no-store');
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.set('Content-Encoding', 'gzip');
    const source = Readable.from(lines());
    await (gzip ? pipeline(source, createGzip({ level: 4 }), res) : pipeline(source, res));
  }
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

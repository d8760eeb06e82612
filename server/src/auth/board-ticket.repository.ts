import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { REDIS, keys } from '../redis/redis.tokens.js';

const TTL_MS = 60_000;

/**
 * One-time tickets that open Bull Board in a browser, which cannot send a bearer header when
 * it navigates: an admin's token is exchanged for a ticket valid once, for a minute, that may
 * travel in a URL (history, proxy logs) without giving anything away. Kept only as a hash.
 */
@Injectable()
export class BoardTicketRepository {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async issue(token: string): Promise<{ ticket: string; expiresInSeconds: number }> {
    const ticket = randomBytes(24).toString('base64url');
    await this.redis.set(keys.boardTicket(hash(ticket)), token, 'PX', TTL_MS);
    return { ticket, expiresInSeconds: TTL_MS / 1000 };
  }

  /** The token the ticket was issued for, and the ticket is gone; undefined if unknown, used or expired. */
  async take(ticket: string): Promise<string | undefined> {
    return (await this.redis.getdel(keys.boardTicket(hash(ticket)))) ?? undefined;
  }
}

function hash(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex');
}

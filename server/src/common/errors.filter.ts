import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

/** Errors that mean Redis is away: the client should retry later, nothing was half-done. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'MaxRetriesPerRequestError' || /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|OOM command not allowed|LOADING|READONLY/.test(error.message)
  );
}

/**
 * The one place errors become answers: HTTP errors as they are, a Redis outage as 503, anything
 * else as a bare 500. Stack traces go to the log, never into a response.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (error instanceof HttpException) {
      const body = error.getResponse();
      res.status(error.getStatus()).json(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
      return;
    }
    if (isStoreUnavailable(error)) {
      res.status(503).set('Retry-After', '2').json({ statusCode: 503, message: 'data store unavailable: nothing was stored, send again shortly' });
      return;
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    res.status(500).json({ statusCode: 500, message: 'internal error' });
  }
}

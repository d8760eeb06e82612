import type { LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/config.js';

// Structured JSON logs (pino), one line per event, human-readable in a terminal. Secrets never
// reach a line: authorization and cookie headers are redacted, and a `token` query parameter
// (the kiosk's ?token=, the queue board's first visit) is cut from logged URLs.

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A request slower than this keeps its access line at info: an operator looks for those. */
export const SLOW_REQUEST_MS = 1000;

const STARTED = Symbol('wall.requestStarted');
type Timed = IncomingMessage & { [STARTED]?: number };

/**
 * The level of a request's access line. The feed posts several times a second and the probes
 * every few seconds; at info they would bury what matters, so a quick success is debug, a slow
 * one info, a client error warn and a server error error.
 */
export function accessLevel(statusCode: number, elapsedMs: number, err?: Error): 'error' | 'warn' | 'info' | 'debug' {
  if (err || statusCode >= 500) return 'error';
  if (statusCode >= 400) return 'warn';
  return elapsedMs >= SLOW_REQUEST_MS ? 'info' : 'debug';
}

/** A URL as logged: any token query parameter replaced. */
export function loggedUrl(url: string | undefined): string {
  return (url ?? '').replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1[redacted]');
}

export function loggerModule(config: AppConfig) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.LOG_LEVEL,
      // A request id per request: the proxy's X-Request-Id when it sends a sane one, else new.
      genReqId: (req: Timed, res: ServerResponse) => {
        // Called as the request arrives: its start, for accessLevel's slow check.
        req[STARTED] = performance.now();
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
      serializers: {
        req: (req: Request & { id?: string; raw?: Request }) => ({
          id: req.id,
          method: req.method,
          url: loggedUrl(req.originalUrl ?? req.url),
          remoteAddress: req.socket?.remoteAddress ?? req.raw?.socket?.remoteAddress,
        }),
        res: (res: Response) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (req: Timed, res: ServerResponse, err?: Error) => accessLevel(res.statusCode, performance.now() - (req[STARTED] ?? performance.now()), err),
      transport: process.stdout.isTTY ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } : undefined,
    },
    // Everything but the static client gets a request log line.
    forRoutes: ['{*path}'],
  });
}

/** Nest's start-up chatter (a line per route, module and gateway) goes to debug: a quiet start. */
const QUIET_CONTEXTS = new Set(['RouterExplorer', 'RoutesResolver', 'InstanceLoader', 'WebSocketsController', 'NestFactory', 'NestApplication']);

export class QuietStartLogger implements LoggerService {
  constructor(private readonly inner: PinoNestLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && QUIET_CONTEXTS.has(context)) this.inner.debug(message, ...rest);
    else this.inner.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal(message, ...rest);
  }
}

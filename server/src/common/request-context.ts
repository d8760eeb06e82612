import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/**
 * The caller of the request being served, for code far from the controller (the audit log
 * records every entry's address without each service passing it down).
 */
export interface RequestContext {
  ip: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function requestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function requestContextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  storage.run({ ip: req.ip ?? 'unknown' }, next);
}

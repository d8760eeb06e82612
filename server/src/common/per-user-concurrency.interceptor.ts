import { HttpException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import type { Principal } from '../auth/auth.types.js';

/** How many costly reads (event streams, exports) one user may run at once on this instance. */
export const COSTLY_READS_PER_USER = 2;

/**
 * Costly reads by any token: at most COSTLY_READS_PER_USER at once per user (one shared
 * account is one user), the rest 429 at once. A leaked viewer token cannot queue a hundred
 * month scans; each read is counted until its response has been written.
 */
@Injectable()
export class PerUserConcurrency implements NestInterceptor {
  private readonly running = new Map<string, number>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    const key = user?.username ?? '';
    const now = this.running.get(key) ?? 0;
    if (now >= COSTLY_READS_PER_USER) {
      throw new HttpException({ statusCode: 429, message: `at most ${COSTLY_READS_PER_USER} downloads at once per user: wait for one to finish` }, 429);
    }
    this.running.set(key, now + 1);
    return next.handle().pipe(
      finalize(() => {
        const left = (this.running.get(key) ?? 1) - 1;
        if (left > 0) this.running.set(key, left);
        else this.running.delete(key);
      }),
    );
  }
}

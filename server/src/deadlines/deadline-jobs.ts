// The deadline queue's jobs, keyed by name. Handlers are a mapped type over the names, so a
// new job without a handler does not compile, and `checkHandlers` refuses to start otherwise.

export interface DeadlineJobs {
  /**
   * The next undecided limit of an order falls due: raise alarms for every limit due and
   * unmet, then wake again at the order's next undecided limit. One pending job per order,
   * not per limit: a third of the Redis memory, and nothing to cancel when a milestone comes.
   */
  'order-due': { o: string; d: number };
  /** An alarm not acknowledged in time goes one level up. */
  escalate: { alarmId: string; level: number };
}

export type DeadlineJobName = keyof DeadlineJobs;
export const DEADLINE_JOB_NAMES: DeadlineJobName[] = ['order-due', 'escalate'];

export type DeadlineHandlers = { [K in DeadlineJobName]: (data: DeadlineJobs[K]) => Promise<void> };

export function checkHandlers(handlers: Partial<DeadlineHandlers>): asserts handlers is DeadlineHandlers {
  const missing = DEADLINE_JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length) throw new Error(`deadline jobs without a handler: ${missing.join(', ')}`);
}

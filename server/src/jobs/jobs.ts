// Every job of the one BullMQ queue, as a discriminated union on `name`. Handlers are a mapped
// type over the names, so a new job without a handler does not compile, and `checkHandlers`
// refuses to start a worker otherwise (a handler map built at run time, or a stale build).

export type Job =
  /**
   * The next undecided limit of an order falls due: raise alarms for every limit due and
   * unmet, then wake again at the order's next undecided limit. One pending job per order,
   * not per limit: a third of the Redis memory, and nothing to cancel when a milestone comes.
   */
  | { name: 'order-due'; data: { o: string; d: number } }
  /** An alarm not acknowledged in time goes one level up (`t`: when, absent in jobs stored before it). */
  | { name: 'escalate'; data: { alarmId: string; level: number; t?: number } }
  /** A popup's work notification: the recipient's webhooks for one (alarm, recipient, level); retried with backoff. */
  | { name: 'notify'; data: { alarmId: string; user: string; level: number } }
  /** A 催办 or 督办 to the late unit's duty contact webhooks (server/src/urge); retried with backoff. */
  | { name: 'urge'; data: { id: string } };

export type JobName = Job['name'];
export type JobData<K extends JobName> = Extract<Job, { name: K }>['data'];

export const JOB_NAMES = ['order-due', 'escalate', 'notify', 'urge'] as const satisfies readonly JobName[];
// Fails to compile when a job is added to the union but not to JOB_NAMES.
const _allNamed: Exclude<JobName, (typeof JOB_NAMES)[number]> extends never ? true : never = true;
void _allNamed;

/** What a handler may know of its run: the attempt (1 for the first). */
export interface JobRun {
  attempt: number;
}

export type JobHandlers = { [K in JobName]: (data: JobData<K>, run: JobRun) => Promise<void> };

export function checkHandlers(handlers: Partial<Record<string, unknown>>): asserts handlers is JobHandlers {
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
}

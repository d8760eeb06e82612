import { describe, expect, it } from 'vitest';
import { JobWorkerService } from './job-worker.service.js';
import { JOB_NAMES, checkHandlers } from './jobs.js';

describe('job handlers', () => {
  it('every job name has a handler, or the worker does not start', () => {
    const run = async () => undefined;
    const all = Object.fromEntries(JOB_NAMES.map((n) => [n, run]));
    expect(() => checkHandlers(all)).not.toThrow();
    for (const name of JOB_NAMES) {
      const { [name]: _gone, ...rest } = all;
      expect(() => checkHandlers(rest)).toThrow(new RegExp(`without a handler: ${name}`));
    }
  });

  it("the worker's own map has a handler for every job", () => {
    const worker = new JobWorkerService({} as never, {} as never, {} as never, {} as never);
    expect(() => worker.onModuleInit()).not.toThrow();
    expect(Object.keys(worker.handlers()).sort()).toEqual([...JOB_NAMES].sort());
  });
});

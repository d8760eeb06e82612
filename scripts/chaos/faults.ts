import type { Wall } from './clients.js';
import type { History } from './history.js';
import type { PlannedFault } from './plan.js';
import type { Supervised, System } from './sut.js';

// Carries out the planned faults at their offsets from the start. Each is recorded when it
// starts and when it ends: a kill ends when the supervisor's restart is healthy again, a
// Redis primary kill when the killed server is back (restarted by its service manager).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFaults(plan: PlannedFault[], sys: System, walls: Wall[], history: History, t0: number, running: () => boolean): Promise<void> {
  const procs = new Map<string, Supervised>([...sys.apis, ...sys.workers].map((p) => [p.name, p]));
  const pending: Array<Promise<void>> = [];
  for (const [id, f] of plan.entries()) {
    const wait = t0 + f.at - Date.now();
    if (wait > 0) await sleep(wait);
    if (!running()) break;
    const start = () => history.record({ type: 'fault', id, kind: f.kind, target: f.target, phase: 'start', planned: f.at, ...(f.step !== undefined ? { step: f.step } : {}) });
    const end = () => history.record({ type: 'fault', id, kind: f.kind, target: f.target, phase: 'end', planned: f.at });
    pending.push(
      (async () => {
        switch (f.kind) {
          case 'kill': {
            const p = procs.get(f.target)!;
            start();
            p.signal('SIGKILL');
            // over when its restart answers healthy
            await sleep(1500);
            while (!(await p.healthy())) await sleep(200);
            end();
            break;
          }
          case 'pause': {
            const p = procs.get(f.target)!;
            start();
            p.signal('SIGSTOP');
            await sleep(f.duration);
            p.signal('SIGCONT');
            end();
            break;
          }
          case 'redis-kill': {
            start();
            const port = await sys.redis.killPrimary();
            await sleep(f.duration);
            await sys.redis.restart(port);
            end();
            break;
          }
          case 'redis-pause': {
            const port = await sys.redis.primaryPort();
            start();
            sys.redis.signal(port, 'SIGSTOP');
            await sleep(f.duration);
            sys.redis.signal(port, 'SIGCONT');
            end();
            break;
          }
          case 'clock': {
            const p = procs.get(f.target)!;
            start();
            p.stepClock(f.step!);
            await sleep(f.duration);
            p.stepClock(0);
            end();
            break;
          }
          case 'receiver-down':
            start();
            await sys.receiver.down();
            await sleep(f.duration);
            await sys.receiver.up();
            end();
            break;
          case 'wall-cut': {
            const w = walls[Number(f.target.split('-')[1])]!;
            start();
            w.link.cut();
            await sleep(f.duration);
            w.link.restore();
            end();
            break;
          }
        }
      })().catch((e: Error) => console.error(`fault ${id} ${f.kind} ${f.target}: ${e.message}`)),
    );
  }
  await Promise.all(pending);
}

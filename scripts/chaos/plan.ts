import { rng } from '../../shared/src/seeded-random.js';

// The faults of a run, drawn from its seed alone: the same seed gives the same faults at the
// same offsets (ms from the start), whatever the machine does meanwhile.

export type FaultKind = 'kill' | 'pause' | 'redis-kill' | 'redis-pause' | 'clock' | 'receiver-down' | 'wall-cut';

export interface PlannedFault {
  /** ms from the start of the run */
  at: number;
  kind: FaultKind;
  /** api-0.., worker-0.., wall-0.., 'primary', 'receiver' */
  target: string;
  /** ms the fault lasts (a kill lasts until the supervisor restarted it: 0) */
  duration: number;
  /** a clock step in seconds (clock faults) */
  step?: number;
}

export interface Targets {
  apis: number;
  workers: number;
  walls: number;
}

const KINDS: FaultKind[] = ['kill', 'kill', 'pause', 'pause', 'redis-kill', 'redis-pause', 'clock', 'clock', 'receiver-down', 'wall-cut', 'wall-cut'];

export function planFaults(seed: number, minutes: number, targets: Targets): PlannedFault[] {
  const rand = rng(seed);
  const end = minutes * 60_000;
  const out: PlannedFault[] = [];
  let redisFreeAt = 0;
  let receiverFreeAt = 0;
  const process = () => (rand(targets.apis + targets.workers) < targets.apis ? `api-${rand(targets.apis)}` : `worker-${rand(targets.workers)}`);
  // The first fault after the system settled; none in the last 10 s (the checker's quiet time follows).
  for (let at = 5_000 + rand(15_001); at < end - 10_000; at += 5_000 + rand(15_001)) {
    let kind = KINDS[rand(KINDS.length)]!;
    // Redis faults one at a time, 20 s apart (a replica resyncs); the receiver down once at a time.
    if ((kind === 'redis-kill' || kind === 'redis-pause') && at < redisFreeAt) kind = 'pause';
    if (kind === 'receiver-down' && at < receiverFreeAt) kind = 'kill';
    switch (kind) {
      case 'kill':
        out.push({ at, kind, target: process(), duration: 0 });
        break;
      case 'pause':
        out.push({ at, kind, target: process(), duration: 2_000 + rand(13_001) });
        break;
      case 'redis-kill':
        out.push({ at, kind, target: 'primary', duration: 3_000 + rand(3_001) });
        redisFreeAt = at + 20_000;
        break;
      case 'redis-pause':
        out.push({ at, kind, target: 'primary', duration: 2_000 + rand(6_001) });
        redisFreeAt = at + 20_000;
        break;
      case 'clock': {
        const size = 10 + rand(111);
        out.push({ at, kind, target: process(), duration: 5_000 + rand(15_001), step: rand(2) === 0 ? size : -size });
        break;
      }
      case 'receiver-down':
        out.push({ at, kind, target: 'receiver', duration: 60_000 });
        receiverFreeAt = at + 60_000;
        break;
      case 'wall-cut':
        out.push({ at, kind, target: `wall-${rand(targets.walls)}`, duration: 30_000 });
        break;
    }
  }
  return out;
}

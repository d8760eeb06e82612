import { ReplayEngine, type ReferenceIndex, type StoredEvent, type Zone } from '@wall/shared';
import type { ReplayParams } from './params';
import { incidentsPerHour, overdueMarks, type OverdueMark } from './timeline';

/** Events between two projection checkpoints: a seek folds at most this many after a copy. */
export const CHECKPOINT_EVERY = 4000;

export interface IndexedRange {
  engine: ReplayEngine;
  /** Incidents per hour of the range, for the scrubber. */
  histogram: number[];
  /** Limits late, missed or still overdue when the range ends, for the scrubber. */
  marks: OverdueMark[];
}

/**
 * Folds the downloaded events into a ReplayEngine. Folding to the end once lays every
 * checkpoint, and the end state gives the scrubber its histogram and marks.
 */
export function indexRange(events: StoredEvent[], refIndex: ReferenceIndex, zone: Zone, params: ReplayParams): IndexedRange {
  const engine = new ReplayEngine(events, refIndex, zone, CHECKPOINT_EVERY);
  const endState = engine.seek(params.end);
  return { engine, histogram: incidentsPerHour(endState, params.start, params.end), marks: overdueMarks(endState, params.start, params.end) };
}

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

// The run's history: one JSON object a line, each with its wall-clock time `t` (ms) and `type`.
// Everything the checker judges is in it, the final Redis too (dumped at the end).

export type Entry =
  | { t: number; type: 'run'; seed: number; minutes: number; command: string }
  | { t: number; type: 'send'; batch: string; events: Array<{ id: string; fp: string }>; resend?: string }
  | { t: number; type: 'ack'; batch: string; status: number; accepted: number; duplicates: number; conflicts: string[]; rejected: string[]; seq: number }
  | { t: number; type: 'unacked'; batch: string; status: number; error?: string }
  | { t: number; type: 'order'; order: string; center: string; dueAt: number; signAt: number | null }
  | { t: number; type: 'wall'; wall: string; kind: 'snapshot' | 'delta'; seq: number; rev: number }
  | { t: number; type: 'console'; console: string; kind: string; alarm: string; level: number }
  | { t: number; type: 'hook'; path: string; alarm: string; level: number; recipient: string; answered: number | 'hang' }
  | { t: number; type: 'fault'; id: number; kind: string; target: string; phase: 'start' | 'end'; planned: number; step?: number }
  | { t: number; type: 'proc'; name: string; event: 'exit' | 'start' | 'ready'; pid?: number; code?: number | null; signal?: string | null }
  | { t: number; type: 'final'; final: FinalState };

export interface StoredAlarm {
  id: string;
  order: string;
  limit: string;
  center: string | null;
  dueAt: string;
  raisedAt: string;
  level: number;
  recipients: string[];
  resolvedAt?: string | null;
  acknowledgedAt?: string | null;
}

export interface FinalState {
  seq: number;
  /** every stored event, in seq order: its id, seq and JSON */
  events: Array<{ id: string; seq: number; json: string }>;
  alarms: StoredAlarm[];
  /** per instance: month → the monthly report it serves (JSON) */
  reports: Record<string, Record<string, unknown>>;
  /** per wall: the seq it shows at the end, and whether it was ever rebuilt (a reload) */
  walls: Record<string, { seq: number; reloads: number }>;
  /** per supervised process: healthy at the end; restarts it took */
  procs: Record<string, { healthy: boolean; restarts: number }>;
  /** interventions by hand (the harness never does any: anything here fails the rule) */
  hands: string[];
  /** the supervisor consoles connected (by user) */
  consoles?: string[];
}

type Loose<T> = T extends { t: number } ? Omit<T, 't'> : never;

export class History {
  constructor(readonly file: string) {
    writeFileSync(file, '');
  }
  record(entry: Loose<Entry>): void {
    appendFileSync(this.file, `${JSON.stringify({ t: Date.now(), ...entry })}\n`);
  }
}

export function readHistory(file: string): Entry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Entry);
}

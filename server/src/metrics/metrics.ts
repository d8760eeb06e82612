import { LIMIT_NAMES } from '@wall/shared';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// The process's Prometheus instruments. One registry per process: each API instance and each
// worker is scraped on its own, and Prometheus sums across them (a counter counts what this
// process did: an alarm is counted by the worker that created it, an ack by the instance that
// took it), so no figure is counted twice.

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const FEED_RESULTS = ['accepted', 'duplicate', 'rejected', 'conflict'] as const;

export const feedEvents = new Counter({
  name: 'wall_feed_events_total',
  help: 'Feed events by result: stored, duplicate of a stored id, rejected by validation, duplicate id with other content',
  labelNames: ['result'],
  registers: [registry],
});
for (const result of FEED_RESULTS) feedEvents.inc({ result }, 0);

export const alarmsRaised = new Counter({
  name: 'wall_alarms_raised_total',
  help: 'Overdue alarms created by this process, by limit',
  labelNames: ['limit'],
  registers: [registry],
});
for (const limit of LIMIT_NAMES) alarmsRaised.inc({ limit }, 0);
export const alarmsAcknowledged = new Counter({ name: 'wall_alarms_acknowledged_total', help: 'Alarms acknowledged through this instance', registers: [registry] });

export const alarmLateness = new Histogram({
  name: 'wall_alarm_lateness_seconds',
  help: 'Time from a limit falling due to its alarm being raised',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [registry],
});

export const tailLag = new Gauge({
  name: 'wall_tail_lag_seconds',
  help: 'Last applied batch: time from the event being stored in Redis to this process applying it',
  registers: [registry],
});

export const projectionRebuild = new Gauge({
  name: 'wall_projection_rebuild_seconds',
  help: 'Time the startup rebuild of the projection took (checkpoint + tail)',
  registers: [registry],
});

/** Every kind and result a notification can have: each series exists (at 0) from the start. */
export const NOTIFICATION_RESULTS = { popup: ['sent', 'dropped'], webhook: ['sent', 'failed'] } as const;

export const notifications = new Counter({
  name: 'wall_notifications_total',
  help: 'Notifications to supervisors by kind and result (popup: sent or dropped; webhook: sent or failed attempt)',
  labelNames: ['kind', 'result'],
  registers: [registry],
});
// increase() over a series that appears with its first event misses that event: a webhook
// that fails on its very first attempt would never page. So every known series starts at 0.
for (const [kind, results] of Object.entries(NOTIFICATION_RESULTS)) for (const result of results) notifications.inc({ kind, result }, 0);

/** Gauges read when scraped: sockets per namespace, pending deadlines. */
const socketCounts = new Map<string, () => number>();
new Gauge({
  name: 'wall_sockets',
  help: 'Connected sockets on this instance, per namespace',
  labelNames: ['namespace'],
  registers: [registry],
  collect() {
    this.reset();
    for (const [namespace, count] of socketCounts) this.set({ namespace }, count());
  },
});
export function countSockets(namespace: string, count: () => number): void {
  socketCounts.set(namespace, count);
}

let pendingDeadlines: (() => Promise<number>) | undefined;
new Gauge({
  name: 'wall_deadlines_pending',
  help: 'Deadline jobs waiting in the queue (delayed or ready)',
  registers: [registry],
  async collect() {
    if (pendingDeadlines) this.set(await pendingDeadlines().catch(() => Number.NaN));
  },
});
export function countPendingDeadlines(count: () => Promise<number>): void {
  pendingDeadlines = count;
}

/**
 * Gauges whose value another module owns, read when scraped: the freshest deadline worker's
 * beat, this instance's readiness, the open alarms nobody can take, Redis's memory. A module
 * registers its reader; until one does, the process has no such series.
 */
type Reader = () => Promise<number> | number;
function scraped(name: string, help: string): (read: Reader) => void {
  let reader: Reader | undefined;
  // Made with the first reader: an unlabelled gauge that exists reads 0, which would say "not
  // ready" or "no memory" for a process that has no such thing (the worker has no readiness).
  return (read) => {
    if (!reader)
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          this.set(await Promise.resolve(reader!()).catch(() => Number.NaN));
        },
      });
    reader = read;
  };
}

/** Seconds since the freshest deadline worker beat (+Inf: none ever did). */
export const observeWorkerBeat = scraped('wall_deadline_worker_beat_age_seconds', 'Seconds since the freshest deadline worker heartbeat, by Redis clock (+Inf: none)');
/** 1 while GET /api/health/ready would answer 200. */
export const observeReadiness = scraped('wall_ready', 'Readiness of this instance: 1 when /api/health/ready answers 200, else 0');
export const observeUnreached = scraped('wall_alarms_unreached', 'Open alarms nobody can take (无人接收), as this instance sees them');
export const observeRedisUsedMemory = scraped('wall_redis_used_memory_bytes', "Redis's used_memory (INFO memory)");
export const observeRedisMaxMemory = scraped('wall_redis_maxmemory_bytes', "Redis's maxmemory (0: no limit set)");

/** A field of Redis's INFO text, as a number (NaN when absent). */
export function infoField(info: string, field: string): number {
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.slice(field.length + 1)) : Number.NaN;
}

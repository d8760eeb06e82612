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

export const notifications = new Counter({
  name: 'wall_notifications_total',
  help: 'Notifications to supervisors by kind and result',
  labelNames: ['kind', 'result'],
  registers: [registry],
});

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

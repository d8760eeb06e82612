import type { Alarm } from '@wall/shared';

/** An alarm for the specs (not part of the page). */
export function alarm(id: string, over: Partial<Alarm> = {}): Alarm {
  return {
    id,
    order: `o-${id}`,
    incident: `i-${id}`,
    unit: 'ruian.power',
    unitType: 'power',
    center: 'ruian',
    limit: 'sign',
    dueAt: '2020-10-03T02:00:00.000Z',
    raisedAt: '2020-10-03T02:00:00.300Z',
    resolvedAt: null,
    lateSeconds: null,
    outcome: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    note: null,
    level: 0,
    recipients: ['sup1'],
    ...over,
  };
}

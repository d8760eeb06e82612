// Kept apart from route-docs.ts, which loads the controllers: feed-schema.spec.ts checks the
// published feed.schema.json against it without them.

/**
 * The feed's example: one incident from call to closing (an order fed back, another returned),
 * and a second incident whose order nobody signs: it raises the sign alarm the alarm examples
 * use. (Dated in the past, it is backfill to a server whose ALARM_MAX_AGE_MINUTES does not reach
 * back to it, and then pages nobody: test/openapi.e2e.ts sets it to reach.)
 */
export const FEED_EXAMPLE = [
  {
    id: 'EV-20261103-0001',
    type: 'incident.reported',
    at: '2026-11-03T09:12:00+08:00',
    incident: 'INC-20261103-0001',
    center: 'lucheng',
    kind: 'alarm',
    category: '停电',
    summary: '府前街停电',
    location: { lng: 120.655, lat: 28.016 },
  },
  { id: 'EV-20261103-0002', type: 'order.dispatched', at: '2026-11-03T09:13:00+08:00', incident: 'INC-20261103-0001', order: 'ORD-20261103-0001', unit: 'lucheng.power' },
  { id: 'EV-20261103-0003', type: 'order.signed', at: '2026-11-03T09:15:30+08:00', incident: 'INC-20261103-0001', order: 'ORD-20261103-0001' },
  { id: 'EV-20261103-0004', type: 'order.arrived', at: '2026-11-03T09:31:00+08:00', incident: 'INC-20261103-0001', order: 'ORD-20261103-0001' },
  {
    id: 'EV-20261103-0005',
    type: 'order.feedback',
    at: '2026-11-03T09:58:00+08:00',
    incident: 'INC-20261103-0001',
    order: 'ORD-20261103-0001',
    stage: 'result',
    text: '已恢复供电',
  },
  { id: 'EV-20261103-0006', type: 'order.dispatched', at: '2026-11-03T09:14:00+08:00', incident: 'INC-20261103-0001', order: 'ORD-20261103-0002', unit: 'lucheng.street' },
  { id: 'EV-20261103-0007', type: 'order.returned', at: '2026-11-03T09:20:00+08:00', incident: 'INC-20261103-0001', order: 'ORD-20261103-0002', reason: '非本单位职责' },
  { id: 'EV-20261103-0008', type: 'incident.closed', at: '2026-11-03T10:05:00+08:00', incident: 'INC-20261103-0001' },
  { id: 'EV-20261103-0009', type: 'incident.reported', at: '2026-11-03T10:20:00+08:00', incident: 'INC-20261103-0002', center: 'ouhai', kind: 'complaint', category: '噪声扰民' },
  {
    id: 'EV-20261103-0010',
    type: 'order.dispatched',
    at: '2026-11-03T10:22:00+08:00',
    incident: 'INC-20261103-0002',
    order: 'ORD-20261103-0003',
    unit: 'ouhai.enforcement',
    deadlines: { signMinutes: 3 },
  },
];

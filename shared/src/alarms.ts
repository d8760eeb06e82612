import type { PageRoute } from './paging.js';
import type { LimitName } from './projection.js';
import type { WarningItem } from './view.js';

// Overdue alarms (feed-contract.md, Alarms) and the supervisor console's socket events.

export const SUPERVISOR_NAMESPACE = '/supervisor';

export interface Alarm {
  /** Stable: one alarm per order and limit, however often its job runs. */
  id: string;
  order: string;
  incident: string;
  unit: string;
  unitType: string;
  center: string | null;
  limit: LimitName;
  dueAt: string;
  raisedAt: string;
  resolvedAt: string | null;
  lateSeconds: number | null;
  /** How the alarm ended: the milestone came late, or the order ended without it. */
  outcome: 'late' | 'missed' | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  note: string | null;
  /** 0: supervisors on duty; each escalation adds one. */
  level: number;
  recipients: string[];
  /** How `recipients` were found at the latest level; `none` with no recipients is 无人接收. Absent on alarms stored before it existed. */
  route?: PageRoute;
  /**
   * Routed on a day the statutory calendar does not cover (next year's notice not imported):
   * workday/restday shifts took every holiday there for an ordinary day. Absent otherwise.
   */
  calendarMissing?: true;
  /** Work notifications sent for it (webhooks), the latest attempt of each (recipient, level, webhook). */
  deliveries?: Delivery[];
}

/** A delivery receipt: one webhook of one recipient for one popup (level). */
export interface Delivery {
  user: string;
  level: number;
  /** Index of the webhook in the recipient's roster contacts. */
  hook: number;
  kind: 'dingtalk' | 'wecom' | 'json';
  /** The receiver's host, so a receipt names where it went without carrying a token. */
  host: string;
  ok: boolean;
  /** HTTP status; null when no answer came (refused, timed out). */
  status: number | null;
  attempts: number;
  at: string;
  error?: string;
}

/** `rerouted`: an alarm nobody could take (无人接收) found recipients after a roster or user change. */
export type AlarmChange = { kind: 'raised' | 'escalated' | 'rerouted' | 'resolved' | 'acknowledged' | 'delivered'; alarm: Alarm };

/** The changes that pop up for the alarm's recipients. */
export function popsUp(change: AlarmChange, user: string): boolean {
  return (
    (change.kind === 'raised' || change.kind === 'escalated' || change.kind === 'rerouted') &&
    change.alarm.resolvedAt === null &&
    change.alarm.acknowledgedBy === null &&
    change.alarm.recipients.includes(user)
  );
}

export interface SupervisorServerEvents {
  /** On connect and after a resync: the open alarms in the user's scope. */
  alarms: (alarms: Alarm[]) => void;
  /** A change of one alarm; `popup` is true for this user when it was raised or escalated to them. */
  alarm: (change: AlarmChange & { popup: boolean }) => void;
  /** The pending limits in the user's scope past their pre-warning share (预警), on connect and whenever the list changes. No popup. */
  prewarnings: (items: WarningItem[]) => void;
}

export interface SupervisorClientEvents {
  resync: () => void;
}

export const LIMIT_LABELS: Record<LimitName, string> = { sign: '签收', arrive: '到场', feedback: '反馈' };

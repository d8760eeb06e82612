import { z } from 'zod';
import type { Delivery } from './alarms.js';
import type { LimitName } from './projection.js';
import { webhookSchema, type Webhook } from './roster.js';
import type { Zone } from './time.js';

// 催办 and 督办: pressing the late unit itself, not only the supervisors. At a limit the unit's
// duty contact (reference data) gets a 催办, on by default per limit kind; a supervisor may press
// 催办 on the console, and 督办 is a second, explicit step with a note. Each is one record, sent
// once per (order, limit, level), counted per unit in the month's assessment. Pure.

/** A unit's duty contact (值班联系人): webhooks as for supervisors (DingTalk / 浙政钉, WeCom, JSON) and a phone. */
export const unitContactSchema = z.strictObject({
  webhooks: z.array(webhookSchema).max(10).default([]),
  phone: z
    .string()
    .regex(/^[0-9+\-() ]{3,30}$/, 'must be a phone number (digits, + - ( ) and spaces)')
    .optional(),
});
export type UnitContact = z.infer<typeof unitContactSchema>;

/** Which limit kinds raise an automatic 催办 (each on when unset). */
export const urgeAtLimitSchema = z.strictObject({ sign: z.boolean().optional(), arrive: z.boolean().optional(), feedback: z.boolean().optional() });
export type UrgeAtLimit = z.infer<typeof urgeAtLimitSchema>;

export function urgesAtLimit(settings: UrgeAtLimit | undefined, limit: LimitName): boolean {
  return settings?.[limit] ?? true;
}

export type UrgeKind = 'urge' | 'supervise';

export interface Urge {
  /** `${kind}:${order}:${limit}:${level}`: one per (order, limit, level) and kind. */
  id: string;
  kind: UrgeKind;
  alarmId: string;
  order: string;
  incident: string;
  unit: string;
  center: string | null;
  limit: LimitName;
  /** 0 for the 催办 at the limit; the alarm's escalation level for one pressed on the console. */
  level: number;
  /** `system` at the limit, else the supervisor. */
  by: string;
  at: string;
  dueAt: string;
  note: string | null;
  /** The latest attempt of each of the unit's webhooks (`user` is the unit). */
  deliveries: Delivery[];
}

export function urgeId(kind: UrgeKind, order: string, limit: LimitName, level: number): string {
  return `${kind}:${order}:${limit}:${level}`;
}

const LIMIT_WORDS: Record<LimitName, string> = { sign: '签收', arrive: '到场', feedback: '反馈' };

function lateness(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return minutes < 60 ? `${minutes} 分钟` : `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟`;
}

/** The message to the unit: the order, the incident, the limit and how late; unique per record (浙政钉 drops repeats). */
export function urgeText(urge: Urge, names: { unit(id: string): string }, now: number): { title: string; text: string } {
  const unit = names.unit(urge.unit);
  const limit = LIMIT_WORDS[urge.limit];
  const word = urge.kind === 'urge' ? '催办' : '督办';
  const title = `${word}：${unit} 工单${limit}已超时`;
  const lines = [
    `### ${title}`,
    `- 单位：${unit}`,
    `- 工单：${urge.order}`,
    `- 警情：${urge.incident}`,
    `- 时限：${limit}`,
    `- 已超时：${lateness(now - Date.parse(urge.dueAt))}`,
    ...(urge.note ? [`- 督办意见：${urge.note}`] : []),
    `- 编号：${urge.id}`,
    '',
    `请立即${limit}并在联动系统反馈。（温州市应急联动指挥中心${urge.by === 'system' ? '' : ` · ${urge.by}`}）`,
  ];
  return { title, text: lines.join('\n') };
}

export interface UnitUrgeCount {
  unit: string;
  /** 催办 sent to the unit (automatic and pressed). */
  urges: number;
  /** 督办 issued to it. */
  supervisions: number;
}

/**
 * The month's 催办 and 督办 per unit (the 通报's named units): every record whose time falls in
 * `month` (YYYY-MM, report zone) counts once, sent or not, for it was issued; most pressed first.
 */
export function countUrges(urges: Iterable<Pick<Urge, 'unit' | 'kind' | 'at'>>, month: string, zone: Zone): UnitUrgeCount[] {
  const by = new Map<string, UnitUrgeCount>();
  for (const u of urges) {
    if (zone.dayKey(Date.parse(u.at)).slice(0, 7) !== month) continue;
    let c = by.get(u.unit);
    if (!c) by.set(u.unit, (c = { unit: u.unit, urges: 0, supervisions: 0 }));
    if (u.kind === 'urge') c.urges++;
    else c.supervisions++;
  }
  return [...by.values()].sort((a, b) => b.supervisions - a.supervisions || b.urges - a.urges || a.unit.localeCompare(b.unit));
}

/** Unit contacts as GET /api/reference shows them: secrets replaced by whether one is set. */
export function redactUnitContacts(contacts: Record<string, UnitContact> | undefined): Record<string, UnitContact> | undefined {
  if (!contacts) return undefined;
  const out: Record<string, UnitContact> = {};
  for (const [unit, c] of Object.entries(contacts)) {
    out[unit] = { ...c, webhooks: c.webhooks.map(({ secret, ...w }) => ({ ...w, ...(secret ? { hasSecret: true } : {}) }) as Webhook) };
  }
  return out;
}

/** A PUT that leaves a webhook's secret out keeps the stored one of the same unit, kind and URL. */
export function keepUnitSecrets(next: Record<string, UnitContact> | undefined, stored: Record<string, UnitContact> | undefined): Record<string, UnitContact> | undefined {
  if (!next) return undefined;
  const out: Record<string, UnitContact> = {};
  for (const [unit, c] of Object.entries(next)) {
    const before = stored?.[unit]?.webhooks ?? [];
    out[unit] = {
      ...c,
      webhooks: c.webhooks.map(({ hasSecret: _shown, ...w }) => {
        if (w.secret !== undefined) return w;
        const old = before.find((b) => b.kind === w.kind && b.url === w.url && b.secret);
        return old ? { ...w, secret: old.secret } : w;
      }),
    };
  }
  return out;
}

/** Two presses of 催办 on one alarm less than this apart are one press (a double click, two supervisors at once). */
export const URGE_MIN_GAP_MS = 60_000;

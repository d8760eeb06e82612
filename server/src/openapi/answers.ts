import {
  DEDUCTION_KINDS,
  QUALITY_KINDS,
  assessmentRules,
  wallScreenReportSchema,
  type Alarm,
  type AssessmentReport,
  type BulletinDoc,
  type CalendarDay,
  type ClientSettings,
  type DrillRow,
  type MonthlyReport,
  type PagingPreview,
  type UnitUrgeCount,
  type Urge,
  type QualityReport,
  type WallScreen,
} from '@wall/shared';
import { z } from 'zod';
import type { AuditEntry } from '../audit/audit-entry.js';
import type { CoverageAnswer } from '../roster/calendar.controller.js';
import type { WebhookTestResult } from '../admin/webhook-test.service.js';
import type { BulletinState } from '../reports/bulletin-doc.service.js';
import type { IssuedToken } from '../auth/auth.service.js';
import { ROLES } from '../auth/auth.types.js';
import type { ArchivedMonth } from '../history/archive.service.js';
import type { FeedAnswer } from '../feed/feed.service.js';
import type { PublicUser } from '../users/users.service.js';

// The answers' schemas. The server builds its answers as TypeScript types (FeedAnswer, Alarm,
// MonthlyReport...), not through zod, so these are the one schema of each: `Same` below makes
// the compiler refuse any of them that drifts from the type the handler returns, and the
// contract e2e test (test/openapi.e2e.ts) validates the running server's answers against them.

/** True only when A and B are assignable both ways: a field added, dropped or retyped on either side fails the build. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<A, B>(check: Same<A, B>): void {
  void check;
}

const iso = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

export const errorAnswer = z
  .object({
    statusCode: z.number().int(),
    message: z.string(),
    /** Each bad field and why (400s from a zod check). */
    errors: z.array(z.string()).optional(),
  })
  .meta({ description: 'Every error: the status again and what was wrong, in English.' });

export const feedAnswer = z.strictObject({
  accepted: count.meta({ description: 'Events of this batch newly stored.' }),
  duplicates: count.meta({ description: 'Events whose id was already stored (stored once; conflicts included).' }),
  rejected: z
    .array(z.strictObject({ index: count, id: z.string().nullable(), error: z.string().meta({ description: '`field: reason`' }) }))
    .meta({ description: 'Invalid events, by their index in the batch; the valid ones are kept.' }),
  seq: count.meta({ description: "The server's count of applied events after this batch; every live update carries the seq it reflects." }),
  conflicts: z
    .array(z.strictObject({ index: count, id: z.string() }))
    .meta({ description: 'Duplicates whose content differs from the stored event with that id: the stored one stands.' }),
});
same<z.infer<typeof feedAnswer>, FeedAnswer>(true);

const role = z.enum(ROLES);
export const issuedToken = z.strictObject({ token: z.string(), role, expiresAt: iso });
same<z.infer<typeof issuedToken>, IssuedToken>(true);

export const loggedOut = z.strictObject({ loggedOut: z.literal(true) });
export const boardTicket = z.strictObject({ url: z.string(), expiresInSeconds: z.number().int().positive() });

export const health = z.strictObject({
  status: z.enum(['ok', 'unavailable']),
  redis: z.enum(['up', 'down']),
  ready: z.boolean(),
  seq: count,
});
export const liveness = z.strictObject({ status: z.literal('ok') });
export const readiness = z.strictObject({
  status: z.enum(['ok', 'unavailable']),
  redis: z.enum(['up', 'down']),
  projection: z.enum(['ready', 'rebuilding']),
  seq: count,
  worker: z.enum(['up', 'down']),
  workerBeatSecondsAgo: z.number().nonnegative().nullable(),
  node: z.string(),
});

export const clientSettings = z.strictObject({ timeZone: z.string(), simulate: z.boolean() });
same<z.infer<typeof clientSettings>, ClientSettings>(true);

const scope = z.strictObject({ centers: z.array(z.string()).optional(), unitTypes: z.array(z.string()).optional() });
export const publicUser = z.strictObject({
  username: z.string(),
  role,
  tokenVersion: count,
  scope: scope.optional(),
  disabled: z.boolean().optional(),
  createdAt: iso,
});
same<z.infer<typeof publicUser>, PublicUser>(true);
export const userList = z.array(publicUser);
export const userRevoked = z.strictObject({ username: z.string(), revoked: z.literal(true) });
export const userDeleted = z.strictObject({ username: z.string(), deleted: z.literal(true) });
export const passwordChanged = z.strictObject({
  username: z.string(),
  token: issuedToken.optional().meta({ description: 'A fresh token when the user changed their own password (their other sessions end).' }),
});

export const screenCode = z.strictObject({ name: z.string(), code: z.string(), expiresAt: iso });
export const screenEnrolled = issuedToken.extend({ name: z.string() });

const reportRate = z.number().nullable().meta({ description: 'closed/incidents in percent, 2 decimals; null without incidents' });
const unitTotals = { orders: count, signed: count, unsigned: count, feedbacks: count, unfed: count, returned: count };
const centerTotals = { incidents: count, closed: count, closedRate: reportRate, feedbacks: count, unfed: count, overdueFeedback: count, returned: count };
export const monthlyReport = z.strictObject({
  month: z.string(),
  units: z.array(z.strictObject({ unit: z.string(), name: z.string(), center: z.string(), ...unitTotals })),
  unitsTotal: z.strictObject(unitTotals),
  centers: z.array(z.strictObject({ center: z.string(), name: z.string(), parent: z.string().nullable(), ...centerTotals })),
  total: z.strictObject(centerTotals),
  simulated: count,
});
same<z.infer<typeof monthlyReport>, MonthlyReport>(true);

export const drillRows = z.array(
  z.strictObject({
    incident: z.string(),
    center: z.string(),
    at: iso,
    arrivals: z.array(
      z.strictObject({
        unit: z.string(),
        unitType: z.string(),
        dispatchedAt: iso,
        arrivedAt: iso.nullable(),
        seconds: z.number().int().nullable(),
        late: z.boolean(),
      }),
    ),
    lateCount: count,
  }),
);
same<z.infer<typeof drillRows>, DrillRow[]>(true);

const perKind = <K extends readonly [string, ...string[]]>(kinds: K, value: z.ZodNumber) =>
  z.strictObject(Object.fromEntries(kinds.map((k) => [k, value])) as { [P in K[number]]: z.ZodNumber });
export const assessmentReport = z.strictObject({
  month: z.string(),
  rules: assessmentRules,
  rows: z.array(
    z.strictObject({
      rank: z.number().int().positive(),
      unit: z.string(),
      name: z.string(),
      center: z.string(),
      orders: count,
      counts: perKind(DEDUCTION_KINDS, count),
      deductions: perKind(DEDUCTION_KINDS, z.number()),
      points: z.number(),
      named: z.boolean(),
    }),
  ),
  named: z.array(z.string()),
});
same<z.infer<typeof assessmentReport>, AssessmentReport>(true);

export const qualityReport = z.strictObject({
  month: z.string(),
  counts: perKind(QUALITY_KINDS, count),
  total: count,
  issues: z.array(
    z.strictObject({
      kind: z.enum(QUALITY_KINDS),
      incident: z.string(),
      order: z.string().nullable(),
      unit: z.string().nullable(),
      at: iso,
      detail: z.string(),
    }),
  ),
  truncated: z.boolean(),
});
same<z.infer<typeof qualityReport>, QualityReport>(true);

const delivery = z.strictObject({
  user: z.string(),
  level: count,
  hook: count,
  kind: z.enum(['dingtalk', 'wecom', 'json']),
  host: z.string(),
  ok: z.boolean(),
  status: z.number().int().nullable(),
  attempts: count,
  at: iso,
  error: z.string().optional(),
});
export const alarm = z.strictObject({
  id: z.string().meta({ description: 'Stable: one alarm per order and limit.' }),
  order: z.string(),
  incident: z.string(),
  unit: z.string(),
  unitType: z.string(),
  center: z.string().nullable(),
  limit: z.enum(['sign', 'arrive', 'feedback']),
  dueAt: iso,
  raisedAt: iso,
  resolvedAt: iso.nullable(),
  lateSeconds: z.number().nullable(),
  outcome: z.enum(['late', 'missed']).nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: iso.nullable(),
  note: z.string().nullable(),
  level: count,
  recipients: z.array(z.string()),
  route: z.enum(['duty', 'fallback', 'leaders', 'kept', 'none']).optional(),
  deliveries: z.array(delivery).optional(),
});
same<z.infer<typeof alarm>, Alarm>(true);
export const alarmList = z.array(alarm);

export const wallScreens = z.array(wallScreenReportSchema.extend({ user: z.string(), lastContact: z.number().int(), connectedAt: z.number().int() }));
same<z.infer<typeof wallScreens>, WallScreen[]>(true);

export const auditEntries = z.array(
  z.strictObject({
    at: iso,
    who: z.string(),
    action: z.string(),
    ip: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    count: count.optional(),
  }),
);
same<z.infer<typeof auditEntries>, AuditEntry[]>(true);

export const archived = z.strictObject({
  archived: z.array(z.strictObject({ month: z.string(), events: count, sha256: z.string(), file: z.string() })),
  already: z.array(z.string()),
});
same<z.infer<typeof archived>['archived'][number], ArchivedMonth>(true);

export const drillMarked = z.strictObject({ incident: z.string(), drill: z.boolean(), seq: count });

const statutoryDay = {
  work: z.boolean().meta({ description: 'false on weekends and holidays, true on workdays including 调休 make-up days.' }),
  holiday: z.string().nullable().meta({ description: "The holiday's name (国庆节, 春节 ...) on holidays and their make-up workdays." }),
};
const dayKey = z.string().meta({ description: 'YYYY-MM-DD' });
export const calendar = z.strictObject({
  coveredUntil: dayKey.meta({ description: 'The last day statutory data (chinese-days and the entered notice years) reaches; later days fall back to Monday-Friday.' }),
  days: z.array(z.strictObject({ date: dayKey, ...statutoryDay })),
});
same<z.infer<typeof calendar>, { coveredUntil: string; days: CalendarDay[] }>(true);

export const calendarCoverage = z.strictObject({
  now: iso,
  today: dayKey.meta({ description: "The server's day in the report zone." }),
  coveredUntil: dayKey,
  warning: z
    .strictObject({ level: z.enum(['warn', 'red']), year: z.number().int(), message: z.string() })
    .nullable()
    .meta({ description: 'warn: from 1 November while next year is missing; red: today is past the data.' }),
  conflicts: z
    .array(z.strictObject({ date: dayKey, entered: z.strictObject(statutoryDay), library: z.strictObject(statutoryDay) }))
    .meta({ description: 'Entered days a newer chinese-days disagrees with (its data is used).' }),
});
same<z.infer<typeof calendarCoverage>, CoverageAnswer>(true);

export const urge = z.strictObject({
  id: z.string().meta({ description: '`kind:order:limit:level`: one per order, limit and level, and kind.' }),
  kind: z.enum(['urge', 'supervise']).meta({ description: 'urge: 催办; supervise: 督办.' }),
  alarmId: z.string(),
  order: z.string(),
  incident: z.string(),
  unit: z.string(),
  center: z.string().nullable(),
  limit: z.enum(['sign', 'arrive', 'feedback']),
  level: count.meta({ description: "0 for the 催办 at the limit; the alarm's escalation level for one pressed on the console." }),
  by: z.string().meta({ description: '`system` at the limit, else the supervisor.' }),
  at: iso,
  dueAt: iso,
  note: z.string().nullable(),
  deliveries: z.array(delivery).meta({ description: "The latest attempt of each of the unit's webhooks (`user` is the unit)." }),
});
same<z.infer<typeof urge>, Urge>(true);

export const urgeCounts = z.strictObject({
  month: z.string(),
  units: z.array(z.strictObject({ unit: z.string(), urges: count, supervisions: count })).meta({ description: 'Most pressed first.' }),
});
same<z.infer<typeof urgeCounts>, { month: string; units: UnitUrgeCount[] }>(true);

export const pagingPreview = z.strictObject({
  center: z.string(),
  unit: z.string(),
  at: iso,
  steps: z.array(
    z.strictObject({
      level: count,
      rung: z.string().meta({ description: "The rung's label (督导员, 值班领导 ...), else its level name." }),
      at: iso.meta({ description: 'When this rung is paged.' }),
      recipients: z.array(z.string()),
      route: z.enum(['duty', 'fallback', 'leaders', 'kept', 'none']),
      ackMinutes: z.number().nonnegative().meta({ description: 'How long it has to acknowledge before the next rung is paged.' }),
    }),
  ),
});
same<z.infer<typeof pagingPreview>, PagingPreview>(true);

export const bulletinIssued = z.strictObject({
  version: z.number().int().positive().meta({ description: "The month's issued version, 1 for the first 签发." }),
  at: iso,
  by: z.string(),
});
same<z.infer<typeof bulletinIssued>, { version: number; at: string; by: string }>(true);

export const urgeList = z.array(urge).meta({ description: 'Oldest first.' });
same<z.infer<typeof urgeList>, Urge[]>(true);

export const holidayNotice = z.strictObject({
  year: z.number().int().meta({ description: "The notice's year." }),
  days: z
    .array(z.strictObject({ date: dayKey, ...statutoryDay }))
    .meta({ description: 'Each day the notice names: its holidays (work: false) and its 调休 make-up workdays (work: true), by date.' }),
});
same<z.infer<typeof holidayNotice>, { year: number; days: CalendarDay[] }>(true);

export const webhookTest = z.strictObject({
  ok: z.boolean().meta({ description: "The receiver took the message (HTTP 2xx, and DingTalk's or WeCom's errcode 0)." }),
  status: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when it could not be reached." }),
  answer: z.string().meta({ description: "The receiver's answer body, cut to 500 characters; empty when it could not be reached." }),
  error: z.string().optional().meta({ description: 'Why it failed: the network error (unreachable, timed out after 5 s), or what the receiver answered.' }),
});
same<z.infer<typeof webhookTest>, WebhookTestResult>(true);

const docTable = z.strictObject({
  head: z.array(z.array(z.strictObject({ text: z.string(), cols: z.number().int().positive().optional(), rows: z.number().int().positive().optional() }))),
  rows: z.array(z.array(z.string())),
  totals: z.array(count).meta({ description: 'Rows (0-based) that total the others.' }),
});
const bulletinDoc = z.strictObject({
  month: z.string(),
  draft: z.boolean(),
  demoNote: z.string().nullable(),
  masthead: z.string(),
  docNumber: z.string().nullable().meta({ description: '温应急联指〔2026〕11号, or null while none is set.' }),
  title: z.tuple([z.string(), z.string()]),
  salutation: z.string(),
  opening: z.string(),
  comparison: z.string().nullable().meta({ description: '环比/同比, when those months are stored.' }),
  sections: z.array(
    z.strictObject({
      heading: z.string(),
      blocks: z.array(
        z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('para'), text: z.string(), lead: z.string().optional() }),
          z.strictObject({ kind: z.literal('table'), table: docTable }),
        ]),
      ),
    }),
  ),
  annexList: z.array(z.string()),
  signer: z.string(),
  date: z.string().nullable().meta({ description: '2026年12月5日, or null while none is set.' }),
  cc: z.string().nullable(),
  annexes: z.array(z.strictObject({ label: z.string(), title: z.string(), range: z.string(), table: docTable })),
});
same<z.infer<typeof bulletinDoc>, BulletinDoc>(true);

export const bulletinState = z.strictObject({
  month: z.string(),
  parts: z
    .strictObject({
      centers: z.record(z.string(), z.string()).meta({ description: "center id -> that center's paragraph (二、各县)." }),
      requirements: z.string().optional(),
      cc: z.string().optional(),
      issueDate: dayKey.optional(),
      docNumber: z.string().optional().meta({ description: '〔YYYY〕N号' }),
    })
    .meta({ description: 'What people wrote for the month; a field is absent until someone writes it.' }),
  suggested: z
    .strictObject({ from: z.string(), requirements: z.string().optional(), cc: z.string().optional() })
    .nullable()
    .meta({ description: "Last month's 工作要求 and 抄送, offered while this month has none: a draft to start from, not saved." }),
  missing: z.array(z.strictObject({ id: z.string(), name: z.string() })).meta({ description: 'Centers with no paragraph yet, in reference order.' }),
  proposedDocNumber: z.string().meta({ description: 'The next free 文号 of the year.' }),
  draft: bulletinDoc.meta({ description: 'The draft as it would be issued now, off the live figures.' }),
  issued: z
    .strictObject({
      version: z.number().int().positive(),
      at: iso,
      by: z.string(),
      doc: bulletinDoc,
      moved: z
        .array(z.strictObject({ table: z.string(), row: z.string(), column: z.string(), issued: z.string(), live: z.string() }))
        .meta({ description: 'Annex and drill cells whose live figure has moved since the version was issued.' }),
    })
    .nullable()
    .meta({ description: 'The latest issued version, null before the first 签发.' }),
  can: z
    .strictObject({ centers: z.array(z.string()), city: z.boolean(), issue: z.boolean() })
    .meta({ description: "What this user may change: the centers' paragraphs, the city office's parts, 签发." }),
  revs: z.strictObject({ centers: z.record(z.string(), count), city: count }),
});
same<z.infer<typeof bulletinState>, BulletinState>(true);

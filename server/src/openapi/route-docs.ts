import {
  DEFAULT_PLAYLIST,
  DEFAULT_REFERENCE,
  DEFAULT_ROSTER,
  centerParagraphBody,
  cityPartsBody,
  pagingPreviewQuery,
  assessmentRules,
  feedEvent,
  holidayYearSchema,
  incidentClosed,
  incidentMarked,
  incidentReported,
  orderArrived,
  orderDispatched,
  orderFeedback,
  orderReturned,
  orderSigned,
  playlistSchema,
  referenceSchema,
  rosterSchema,
} from '@wall/shared';
import { z } from 'zod';
import { ackRequest, alarmsQuery } from '../alarms/alarms.controller.js';
import { alarmId } from '../alarms/alarms.service.js';
import { webhookTestParams } from '../admin/webhook-test.controller.js';
import { auditQuery } from '../audit/audit.controller.js';
import { loginRequest } from '../auth/auth.controller.js';
import { eventsQuery } from '../events/events.controller.js';
import { MAX_FEED_BYTES } from '../feed/feed-body.js';
import { archiveRequest } from '../history/archive.controller.js';
import { drillMarkRequest } from '../incidents/incidents.controller.js';
import { docxQuery } from '../reports/bulletin-doc.controller.js';
import { csvQuery } from '../reports/reports-export.controller.js';
import { monthQuery } from '../reports/reports.controller.js';
import { calendarQuery } from '../roster/calendar.controller.js';
import { noticeSchema } from '../roster/holidays.controller.js';
import { listQuery, superviseRequest, urgeCountsQuery } from '../urge/urge.controller.js';
import { codeRequest, enrolRequest } from '../users/screens.controller.js';
import { newUserRequest, passwordRequest, userPatchRequest } from '../users/users.controller.js';
import * as answer from './answers.js';
import { FEED_EXAMPLE } from './feed-example.js';

// What the code cannot say about each route: its summary, its body, query and answers as the
// zod schemas the handler parses with, and an example. Access (public, FEED_TOKEN, roles) is
// never written here: the document reads it off the controllers (routes.ts). One central map
// rather than decorators on every handler, so routes added elsewhere conflict with nothing;
// a route without an entry is listed by GET /api/openapi.json's x-undocumented-routes and fails
// openapi.spec.ts and test/openapi.e2e.ts.
//
// Entries are in the order test/openapi.e2e.ts sends their examples: a later example may rely
// on an earlier one (the user it created, the alarm the feed's example raised).

export interface BodyDoc {
  /** The component's name in the document. */
  id: string;
  schema: z.ZodType;
  /** application/json unless told. */
  contentTypes?: string[];
  example: unknown;
  description?: string;
}

export interface AnswerDoc {
  description: string;
  /** The component's name, when the answer is a JSON schema worth naming. */
  id?: string;
  schema?: z.ZodType;
  /** application/json unless told. */
  contentType?: string;
  example?: unknown;
}

export interface RouteDoc {
  tag: string;
  summary: string;
  description?: string;
  /** A public route whose handler checks a token of its own, which no guard metadata shows. */
  ownToken?: 'metricsToken';
  /** `schema`: the one the handler parses the parameter with, when it is more than a string. */
  params?: Record<string, { description: string; example: string; schema?: z.ZodType }>;
  /** An object of fields, or a union of such objects (one form of the query or another). */
  query?: { schema: z.ZodObject | z.ZodUnion<readonly z.ZodObject[]>; example?: Record<string, string> };
  body?: BodyDoc;
  answers: Record<number, AnswerDoc>;
  /** The status the server answers the request example with; the lowest 2xx answer when unset. */
  exampleStatus?: number;
  /** OpenAPI links: a value of this answer that a later request takes (e.g. the code a screen enrols with), field by field. */
  links?: Record<string, { operation: string; requestBody: Record<string, string>; description: string }>;
}

/** A real notice's title and first line (2026's, 新华社 2025-11-04), as an admin pastes it. */
const HOLIDAY_NOTICE_EXAMPLE = '国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。';
/** The days that line reads to (POST /api/roster/holidays/parse's answer), stored as they are. */
const HOLIDAY_DAYS_EXAMPLE = [
  { date: '2026-01-01', work: false, holiday: '元旦' },
  { date: '2026-01-02', work: false, holiday: '元旦' },
  { date: '2026-01-03', work: false, holiday: '元旦' },
  { date: '2026-01-04', work: true, holiday: '元旦' },
];

/**
 * The roster PUT's example: the default, and one saved webhook for the 测试发送 example. Its URL is
 * on `.invalid` (RFC 2606), which resolves nowhere: the test answers what an unreachable receiver
 * gets, and no example ever sends a message outside the server.
 */
export const UNREACHABLE_HOOK = 'https://robot.example.invalid/send?access_token=EXAMPLE';
const ROSTER_EXAMPLE = { ...DEFAULT_ROSTER, contacts: { 'duty-lee': { webhooks: [{ kind: 'json', url: UNREACHABLE_HOOK }] } } };

/** The alarm the feed example raises: ORD-20261103-0003 is never signed. */
export const EXAMPLE_ALARM = alarmId('ORD-20261103-0003', 'sign');

export const feedBatch = z.array(feedEvent).max(5000).meta({ description: 'Up to 5,000 events; as JSON, or NDJSON (one event a line).' });

/** A line of GET /api/events: an event as stored, the server's drill marks and the simulator's flag included. */
const simFlag = { sim: z.literal(true).optional().meta({ description: 'From the built-in simulator (模拟数据).' }) };
export const storedEvent = z.discriminatedUnion('type', [
  incidentReported.extend(simFlag),
  orderDispatched.extend(simFlag),
  orderSigned.extend(simFlag),
  orderArrived.extend(simFlag),
  orderFeedback.extend(simFlag),
  orderReturned.extend(simFlag),
  incidentClosed.extend(simFlag),
  incidentMarked.extend(simFlag),
]);

const errors = {
  400: { description: 'A field is missing or wrong: `message` and `errors` name each.', id: 'Error', schema: answer.errorAnswer },
  401: { description: 'No token, or not a valid one.', id: 'Error', schema: answer.errorAnswer },
  403: { description: "The token's role may not do this.", id: 'Error', schema: answer.errorAnswer },
} as const;
const user = { 401: errors[401], 403: errors[403] };
const month = { schema: monthQuery, example: { month: '2026-11' } };

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /api/health': {
    tag: 'health',
    summary: 'Health: 200 once Redis is connected and the live projection is rebuilt, 503 before',
    answers: {
      200: { description: 'Ready.', id: 'Health', schema: answer.health, example: { status: 'ok', redis: 'up', ready: true, seq: 0 } },
      503: { description: 'Not ready; the body says which part.', id: 'Health', schema: answer.health },
    },
  },
  'GET /api/health/live': { tag: 'health', summary: 'Liveness: the process answers', answers: { 200: { description: 'Alive.', schema: answer.liveness } } },
  'GET /api/health/ready': {
    tag: 'health',
    summary: 'Readiness: Redis answers, the projection is rebuilt, and a deadline worker beat within 15 s',
    answers: {
      200: { description: 'Ready.', id: 'Readiness', schema: answer.readiness },
      503: { description: 'Not ready; the body says which part.', id: 'Readiness', schema: answer.readiness },
    },
  },
  'GET /api/settings': {
    tag: 'health',
    summary: 'What every page needs before it draws: the report time zone, and whether the simulator runs',
    answers: { 200: { description: 'The settings.', id: 'ClientSettings', schema: answer.clientSettings, example: { timeZone: 'Asia/Shanghai', simulate: false } } },
  },
  'GET /metrics': {
    tag: 'health',
    summary: 'Prometheus metrics (outside /api); absent (404) unless METRICS_TOKEN is set',
    ownToken: 'metricsToken',
    answers: {
      200: { description: 'Prometheus text exposition.', contentType: 'text/plain', schema: z.string() },
      401: errors[401],
      404: { description: 'METRICS_TOKEN is unset.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/auth/login': {
    tag: 'auth',
    summary: 'Log in: a bearer token for the other routes',
    description:
      '`screen` narrows the roles a form accepts: `wall` takes viewer and wall accounts, `console` admin and supervisor. Failed logins are throttled per user and address (429 with Retry-After).',
    body: { id: 'LoginRequest', schema: loginRequest, example: { username: 'admin', password: 'admin-pass-1' } },
    answers: {
      200: {
        description: 'The token, its role and its expiry.',
        id: 'IssuedToken',
        schema: answer.issuedToken,
        example: { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl', role: 'admin', expiresAt: '2026-11-03T21:12:00.000Z' },
      },
      400: errors[400],
      401: { description: 'Wrong username or password (or an account this screen does not take).', id: 'Error', schema: answer.errorAnswer },
      429: { description: 'Too many failed logins, or too many at once: Retry-After says when to try again.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/feed': {
    tag: 'feed',
    summary: 'Post feed events (the public feed contract)',
    description:
      `A JSON array of events, or NDJSON with Content-Type application/x-ndjson; up to 5,000 events or ${MAX_FEED_BYTES} bytes. ` +
      'A re-sent id is a duplicate, stored once. Events may arrive in any order; counts depend only on the set of events and their `at`. ' +
      'The events as JSON Schema for other languages: docs/feed.schema.json.',
    body: { id: 'FeedBatch', schema: feedBatch, contentTypes: ['application/json', 'application/x-ndjson'], example: FEED_EXAMPLE },
    answers: {
      200: {
        description: 'Every event was stored or was a duplicate.',
        id: 'FeedAnswer',
        schema: answer.feedAnswer,
        example: { accepted: 10, duplicates: 0, rejected: [], seq: 10, conflicts: [] },
      },
      400: { description: 'The body cannot be read (not JSON, not an array).', id: 'Error', schema: answer.errorAnswer },
      401: { description: 'Without the right FEED_TOKEN.', id: 'Error', schema: answer.errorAnswer },
      409: { description: 'The store holds the other kind of data (simulated or real); nothing was stored.', id: 'Error', schema: answer.errorAnswer },
      413: { description: 'Larger than the limit.', id: 'Error', schema: answer.errorAnswer },
      422: {
        description: 'Some events were rejected; the valid ones in the batch are kept.',
        id: 'FeedAnswer',
        schema: answer.feedAnswer,
        example: { accepted: 9, duplicates: 0, rejected: [{ index: 3, id: 'EV-20261103-0004', error: 'order: is required' }], seq: 9, conflicts: [] },
      },
    },
  },
  'GET /api/reference': {
    tag: 'reference',
    summary: 'The reference data: centers, districts, unit types, units, default limits',
    answers: { 200: { description: 'The reference data in force.', id: 'ReferenceData', schema: referenceSchema }, ...user },
  },
  'PUT /api/reference': {
    tag: 'reference',
    summary: 'Replace the reference data whole (audited); nothing is applied on any error',
    body: { id: 'ReferenceDataInput', schema: referenceSchema, example: DEFAULT_REFERENCE },
    answers: { 200: { description: 'The reference data now in force.', id: 'ReferenceData', schema: referenceSchema }, 400: errors[400], ...user },
  },
  'GET /api/reports/monthly': {
    tag: 'reports',
    summary: "The bulletin's two annexes for a month (附件1, 附件2); drills left out",
    query: month,
    answers: { 200: { description: 'The annexes.', id: 'MonthlyReport', schema: answer.monthlyReport }, 400: errors[400], ...user },
  },
  'GET /api/reports/drills': {
    tag: 'reports',
    summary: 'One row per drill incident of the month (拉动检查), arrivals timed from dispatch',
    query: month,
    answers: { 200: { description: 'The drills.', id: 'DrillRows', schema: answer.drillRows }, 400: errors[400], ...user },
  },
  'GET /api/reports/assessment': {
    tag: 'reports',
    summary: "三个一律: each unit's deductions for the month, ranked, and the units to be named",
    query: month,
    answers: { 200: { description: 'The assessment.', id: 'AssessmentReport', schema: answer.assessmentReport }, 400: errors[400], ...user },
  },
  'GET /api/reports/quality': {
    tag: 'reports',
    summary: 'Inconsistent events of the month, counted by kind, the first 200 listed',
    query: month,
    answers: { 200: { description: 'The data-quality report.', id: 'QualityReport', schema: answer.qualityReport }, 400: errors[400], ...user },
  },
  'GET /api/reports/assessment-rules': {
    tag: 'reports',
    summary: 'The assessment rules in force (points per kind, naming threshold)',
    answers: { 200: { description: 'The rules.', id: 'AssessmentRules', schema: assessmentRules }, ...user },
  },
  'PUT /api/reports/assessment-rules': {
    tag: 'reports',
    summary: 'Replace the assessment rules (audited); a field left out takes its default',
    body: { id: 'AssessmentRulesInput', schema: assessmentRules, example: { signLate: 1, arriveLate: 2, overdueFeedback: 1, unfed: 2, returned: 0.5, nameAbove: 10 } },
    answers: { 200: { description: 'The rules now in force.', id: 'AssessmentRules', schema: assessmentRules }, 400: errors[400], ...user },
  },
  'GET /api/reports/monthly.xlsx': {
    tag: 'reports',
    summary: "The month's bulletin tables as one XLSX workbook",
    query: month,
    answers: {
      200: {
        description: 'The workbook (Content-Disposition names it).',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        schema: z.string().meta({ format: 'binary' }),
      },
      400: errors[400],
      ...user,
    },
  },
  'GET /api/reports/monthly.csv': {
    tag: 'reports',
    summary: 'One bulletin table of the month as CSV (UTF-8)',
    query: { schema: csvQuery, example: { month: '2026-11', table: 'units' } },
    answers: { 200: { description: 'The table.', contentType: 'text/csv', schema: z.string() }, 400: errors[400], ...user },
  },
  'GET /api/reports/bulletin': {
    tag: 'reports',
    summary:
      "The month's 通报 as the bulletin page shows it: the written parts, the centers still to write, the draft off the live figures, the latest issued version and what moved since",
    description:
      "`can` says what the caller may change: a center's user its own paragraph, city staff (an admin, or a user scoped to 市本级) the city office's parts, an admin 签发.",
    query: month,
    answers: { 200: { description: 'The bulletin.', id: 'BulletinState', schema: answer.bulletinState }, 400: errors[400], ...user },
  },
  'PUT /api/reports/bulletin/city': {
    tag: 'reports',
    summary: "Write the city office's parts of the month's 通报 (工作要求, 抄送, issue date, 文号; audited); a field left out keeps what is stored",
    description: 'City staff only: an admin, or a user scoped to 市本级 (403 for others). Refused once the month is issued and frozen.',
    query: month,
    body: { id: 'BulletinCityParts', schema: cityPartsBody, example: { docNumber: '〔2026〕11号', issueDate: '2026-12-05', cc: '市应急管理局' } },
    answers: { 204: { description: 'Stored.' }, 400: errors[400], ...user },
  },
  'PUT /api/reports/bulletin/centers/{center}': {
    tag: 'reports',
    summary: "Write a district or county center's paragraph of the month's 通报 (二、各县; audited)",
    description: "A center's user writes only its own center's paragraph (403 for another's); city staff any.",
    params: { center: { description: 'A district or county center.', example: 'lucheng' } },
    query: month,
    body: { id: 'BulletinCenterParagraph', schema: centerParagraphBody, example: { text: '鹿城区本月联动处置工作总体平稳，各成员单位签收及时。' } },
    answers: {
      204: { description: 'Stored.' },
      400: { description: 'A field is wrong, or the center is not a district or county center.', id: 'Error', schema: answer.errorAnswer },
      ...user,
    },
  },
  'POST /api/reports/bulletin/issue': {
    tag: 'reports',
    summary: "签发: freeze the month's 通报 text and figures as its next version under its 文号 (audited)",
    query: month,
    answers: {
      201: { description: 'The version issued.', id: 'BulletinIssued', schema: answer.bulletinIssued },
      400: { description: "The 文号 or issue date is missing, or the 文号 is already another month's.", id: 'Error', schema: answer.errorAnswer },
      ...user,
    },
  },
  'GET /api/reports/bulletin.docx': {
    tag: 'reports',
    summary: "The month's 通报 as a Word file in the 公文 format: the latest issued version, or the draft with draft=1 (or when none is issued)",
    query: { schema: docxQuery, example: { month: '2026-11' } },
    answers: {
      200: {
        description: 'The document (Content-Disposition names it).',
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        schema: z.string().meta({ format: 'binary' }),
      },
      400: errors[400],
      ...user,
      429: { description: 'This user already has a download running.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'GET /api/events': {
    tag: 'events',
    summary: 'The stored events between two days or instants, as NDJSON (gzip when accepted): for replay and export',
    query: { schema: eventsQuery, example: { from: '2026-11-03', to: '2026-11-03' } },
    answers: {
      200: { description: 'One stored event a line.', contentType: 'application/x-ndjson', id: 'StoredEvent', schema: storedEvent },
      400: errors[400],
      ...user,
      429: { description: 'This user already has an export running.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'GET /api/alarms': {
    tag: 'alarms',
    summary: 'Overdue alarms: open ones, or all since a time; a supervisor sees those in scope',
    query: { schema: alarmsQuery, example: { state: 'all', since: '2026-11-01T00:00:00+08:00' } },
    answers: { 200: { description: 'The alarms.', id: 'Alarms', schema: answer.alarmList }, 400: errors[400], ...user },
  },
  'POST /api/alarms/{id}/ack': {
    tag: 'alarms',
    summary: 'Acknowledge an alarm; a second acknowledgement returns the first',
    description: "The example's alarm is the one the feed's example raises (its order ORD-20261103-0003 is never signed).",
    params: { id: { description: 'The alarm id (stable per order and limit).', example: EXAMPLE_ALARM } },
    body: { id: 'AckRequest', schema: ackRequest, example: { note: '已电话联系街道值班员' } },
    answers: {
      200: { description: 'The alarm, acknowledged.', id: 'Alarm', schema: answer.alarm },
      400: errors[400],
      ...user,
      404: { description: 'No such alarm (or not in scope).', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/alarms/{id}/urge': {
    tag: 'alarms',
    summary: "催办: press the alarm's late unit now (its duty contact's webhooks), the next level of the alarm's 催办 (audited)",
    description: "The example's alarm is the one the feed's example raises. A person's press blocks the next for a while (409); the automatic 催办 at the limit does not.",
    params: { id: { description: 'The alarm id.', example: EXAMPLE_ALARM } },
    answers: {
      201: { description: 'The 催办 record, with its deliveries.', id: 'Urge', schema: answer.urge },
      ...user,
      404: { description: 'No such alarm (or not in scope).', id: 'Error', schema: answer.errorAnswer },
      409: { description: 'The alarm is no longer open, or was pressed a moment ago.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/alarms/{id}/supervise': {
    tag: 'alarms',
    summary: "督办: the step after 催办, with the supervisor's note, sent to the late unit (audited)",
    params: { id: { description: 'The alarm id.', example: EXAMPLE_ALARM } },
    body: { id: 'SuperviseRequest', schema: superviseRequest, example: { note: '请立即签收并反馈处置情况' } },
    answers: {
      201: { description: 'The 督办 record, with its deliveries.', id: 'Urge', schema: answer.urge },
      400: errors[400],
      ...user,
      404: { description: 'No such alarm (or not in scope).', id: 'Error', schema: answer.errorAnswer },
      409: { description: 'No 催办 yet, or the alarm is no longer open.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'GET /api/urges/counts': {
    tag: 'alarms',
    summary: "The month's 催办 and 督办 per unit (report zone): the assessment's and the bulletin's figures",
    query: { schema: urgeCountsQuery, example: { month: '2026-11' } },
    answers: { 200: { description: 'Per unit, most pressed first.', id: 'UrgeCounts', schema: answer.urgeCounts }, 400: errors[400], ...user },
  },
  'GET /api/urges': {
    tag: 'alarms',
    summary: 'The 催办 and 督办 records of one alarm (?alarm=), or of a month in the report zone (?month=); a supervisor sees those of alarms in scope',
    description: "The example's alarm is the one the feed's example raises, pressed and supervised by the examples above.",
    query: { schema: listQuery, example: { alarm: EXAMPLE_ALARM } },
    answers: {
      200: { description: 'The records, with their deliveries.', id: 'Urges', schema: answer.urgeList },
      400: { description: 'Neither or both of alarm and month, or a field is wrong.', id: 'Error', schema: answer.errorAnswer },
      ...user,
      404: { description: 'With ?alarm=: no such alarm (or not in scope).', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/incidents/{id}/drill': {
    tag: 'incidents',
    summary: 'Mark an incident as a drill (拉动检查), or as real, after the fact (audited)',
    params: { id: { description: 'The incident id.', example: 'INC-20261103-0001' } },
    body: { id: 'DrillMarkRequest', schema: drillMarkRequest, example: { drill: false } },
    answers: {
      200: { description: 'The mark, and the seq that applied it.', schema: answer.drillMarked },
      400: errors[400],
      ...user,
      404: { description: 'No such incident.', id: 'Error', schema: answer.errorAnswer },
      409: { description: 'The incident belongs to an archived month.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'GET /api/roster': {
    tag: 'roster',
    summary: 'The duty roster (值班表), webhook secrets left out',
    answers: { 200: { description: 'The roster.', id: 'Roster', schema: rosterSchema }, ...user },
  },
  'PUT /api/roster': {
    tag: 'roster',
    summary: 'Replace the duty roster (audited); a webhook sent without its secret keeps the stored one',
    body: { id: 'RosterInput', schema: rosterSchema, example: ROSTER_EXAMPLE },
    answers: { 200: { description: 'The roster now in force.', id: 'Roster', schema: rosterSchema }, 400: errors[400], ...user },
  },
  'GET /api/roster/preview': {
    tag: 'roster',
    summary: 'If an alarm fired now: who would be paged at each rung, and when, for a unit of a center (the roster in force)',
    query: { schema: pagingPreviewQuery, example: { center: 'lucheng', unit: 'lucheng.power', at: '2026-11-03T09:30:00+08:00' } },
    answers: {
      200: { description: 'The rungs in order.', id: 'PagingPreview', schema: answer.pagingPreview },
      400: { description: 'A field is wrong, or the unit is not of that center.', id: 'Error', schema: answer.errorAnswer },
      ...user,
    },
  },
  'GET /api/calendar': {
    tag: 'roster',
    summary: 'The statutory calendar between two days (at most 400): workdays, weekends, holidays and 调休, entered notice years included',
    query: { schema: calendarQuery, example: { from: '2026-09-28', to: '2026-10-10' } },
    answers: { 200: { description: 'One entry a day, and how far the data reaches.', id: 'Calendar', schema: answer.calendar }, 400: errors[400], ...user },
  },
  'GET /api/calendar/coverage': {
    tag: 'roster',
    summary: "How far the holiday data reaches, by the server's clock: the warning the consoles show, and entered days the library now disagrees with",
    answers: { 200: { description: 'The coverage.', id: 'CalendarCoverage', schema: answer.calendarCoverage }, ...user },
  },
  'POST /api/roster/holidays/parse': {
    tag: 'roster',
    summary: "Read a pasted State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) into its year's days; stores nothing",
    description: 'The preview of the notice import: an admin checks the days, then stores them with PUT /api/roster/holidays/{year}.',
    body: { id: 'HolidayNotice', schema: noticeSchema, example: { text: HOLIDAY_NOTICE_EXAMPLE } },
    answers: {
      200: { description: "The notice's year and the days it names.", id: 'HolidayNoticeDays', schema: answer.holidayNotice },
      400: { description: 'No text, or a line the parser cannot read: `line` and `reason` say which and why.', id: 'Error', schema: answer.errorAnswer },
      ...user,
    },
  },
  'PUT /api/roster/holidays/{year}': {
    tag: 'roster',
    summary: "Store a notice year's holidays and 调休 make-up workdays in the roster (audited), replacing that year's entered days",
    params: { year: { description: 'The notice year, YYYY.', example: '2026' } },
    body: { id: 'HolidayYear', schema: holidayYearSchema(2026), example: { days: HOLIDAY_DAYS_EXAMPLE } },
    answers: {
      200: { description: 'The roster now in force, webhook secrets left out.', id: 'Roster', schema: rosterSchema },
      400: {
        description: "A field is wrong: a day outside the year (late December of the year before for 元旦), a date twice, a day without its holiday's name.",
        id: 'Error',
        schema: answer.errorAnswer,
      },
      ...user,
    },
  },
  'POST /api/roster/contacts/{user}/webhooks/{index}/test': {
    tag: 'roster',
    summary: "测试发送: send a test message to one of a contact's saved webhooks, signed as a real one (DingTalk's 加签), and answer what the receiver said (audited)",
    description:
      "Always 200 once the webhook exists: `ok` says whether the receiver took the message, `status` and `answer` are the receiver's, `error` why not (null `status` when it could not be reached within 5 s). " +
      "The example's webhook is the one the roster example saves for duty-lee, at a URL that resolves nowhere: its answer is the unreachable receiver's.",
    params: {
      user: { description: "The contact: a username of the roster's contacts.", example: 'duty-lee', schema: webhookTestParams.shape.user },
      index: { description: "The webhook's place among the contact's saved webhooks, from 0.", example: '0', schema: webhookTestParams.shape.index },
    },
    answers: {
      200: {
        description: "The receiver's answer, or why there was none.",
        id: 'WebhookTestResult',
        schema: answer.webhookTest,
        example: { ok: false, status: null, answer: '', error: 'fetch failed' },
      },
      400: errors[400],
      ...user,
      404: { description: 'The contact has no saved webhook at that index.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'GET /api/wall/playlist': {
    tag: 'wall',
    summary: 'The playlist a wall opened with ?playlist=stored cycles through',
    answers: { 200: { description: 'The playlist.', id: 'Playlist', schema: playlistSchema }, ...user },
  },
  'PUT /api/wall/playlist': {
    tag: 'wall',
    summary: 'Replace the playlist (audited)',
    body: { id: 'PlaylistInput', schema: playlistSchema, example: DEFAULT_PLAYLIST },
    answers: { 200: { description: 'The playlist now in force.', id: 'Playlist', schema: playlistSchema }, 400: errors[400], ...user },
  },
  'GET /api/wall/screens': {
    tag: 'wall',
    summary: 'The wall screens alive: what each shows and when it last reported',
    answers: { 200: { description: 'The screens.', id: 'WallScreens', schema: answer.wallScreens }, ...user },
  },
  'POST /api/users': {
    tag: 'users',
    summary: 'Create a user (audited)',
    body: { id: 'NewUser', schema: newUserRequest, example: { username: 'duty-lee', password: 'change-me-1', role: 'supervisor', scope: { centers: ['lucheng'] } } },
    answers: {
      201: { description: 'The user.', id: 'User', schema: answer.publicUser },
      400: errors[400],
      ...user,
      409: { description: 'The username is taken.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'GET /api/users': {
    tag: 'users',
    summary: 'The users (password hashes never leave the server)',
    answers: { 200: { description: 'The users.', id: 'Users', schema: answer.userList }, ...user },
  },
  'PATCH /api/users/{username}': {
    tag: 'users',
    summary: "Change a user's role, scope or disabled flag (audited); any change ends the user's sessions",
    params: { username: { description: 'The user.', example: 'duty-lee' } },
    body: { id: 'UserPatch', schema: userPatchRequest, example: { scope: { centers: ['lucheng', 'ouhai'] } } },
    answers: {
      200: { description: 'The user.', id: 'User', schema: answer.publicUser },
      400: errors[400],
      ...user,
      404: { description: 'No such user.', id: 'Error', schema: answer.errorAnswer },
      409: { description: 'The user changed meanwhile: try again.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'PUT /api/users/{username}/password': {
    tag: 'users',
    summary: "Set a password: the user themselves (with currentPassword) or an admin; ends the user's other sessions",
    params: { username: { description: 'The user.', example: 'duty-lee' } },
    body: { id: 'PasswordChange', schema: passwordRequest, example: { password: 'another-pass-2' } },
    answers: {
      200: { description: 'Done; a fresh token when the caller changed their own.', schema: answer.passwordChanged },
      400: errors[400],
      ...user,
      404: { description: 'No such user.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/users/{username}/revoke': {
    tag: 'users',
    summary: 'Revoke every token the user holds (a lost or retired wall screen)',
    params: { username: { description: 'The user.', example: 'duty-lee' } },
    answers: { 201: { description: 'Revoked.', schema: answer.userRevoked }, ...user, 404: { description: 'No such user.', id: 'Error', schema: answer.errorAnswer } },
  },
  'DELETE /api/users/{username}': {
    tag: 'users',
    summary: 'Delete a user (audited)',
    params: { username: { description: 'The user.', example: 'duty-lee' } },
    answers: {
      200: { description: 'Deleted.', schema: answer.userDeleted },
      ...user,
      404: { description: 'No such user.', id: 'Error', schema: answer.errorAnswer },
      409: { description: 'The user changed meanwhile: try again.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/screens/codes': {
    tag: 'screens',
    summary: 'Issue a one-time enrolment code for a wall screen',
    body: { id: 'ScreenCodeRequest', schema: codeRequest, example: { name: 'hall-left-1' } },
    answers: {
      201: { description: 'The code and its expiry.', schema: answer.screenCode },
      400: errors[400],
      ...user,
      409: { description: 'The name belongs to an account that is not a wall screen.', id: 'Error', schema: answer.errorAnswer },
    },
    links: { enrol: { operation: 'POST /api/screens/enrol', requestBody: { code: '$response.body#/code' }, description: 'The screen enrols with this code.' } },
  },
  'POST /api/screens/enrol': {
    tag: 'screens',
    summary: 'A wall screen exchanges its one-time code for its `wall` token',
    body: { id: 'ScreenEnrolRequest', schema: enrolRequest, example: { code: 'K7Q2-9XPM' } },
    answers: {
      200: { description: "The screen's token.", schema: answer.screenEnrolled },
      400: errors[400],
      401: { description: 'An unknown, used or expired code.', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'GET /api/audit': {
    tag: 'audit',
    summary: 'The latest audit entries, filtered by action or user',
    query: { schema: auditQuery, example: { limit: '20', action: 'user.create' } },
    answers: { 200: { description: 'Newest first.', id: 'AuditEntries', schema: answer.auditEntries }, 400: errors[400], ...user },
  },
  'POST /api/admin/archive': {
    tag: 'admin',
    summary: 'Move whole closed months before a month out of Redis into compressed NDJSON (npm run archive)',
    body: { id: 'ArchiveRequest', schema: archiveRequest, example: { before: '2001-01' } },
    answers: {
      200: { description: 'The months archived now, and those archived before.', schema: answer.archived },
      400: errors[400],
      ...user,
      409: { description: 'A month cannot be archived (still live, or its file does not match the store).', id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/auth/board-ticket': {
    tag: 'auth',
    summary: 'A one-time ticket (a minute) that opens Bull Board in a browser',
    answers: { 200: { description: 'The URL to open.', schema: answer.boardTicket }, ...user },
  },
  'GET /api/openapi.json': {
    tag: 'docs',
    summary: 'This document',
    answers: { 200: { description: 'OpenAPI 3.1.', schema: z.record(z.string(), z.unknown()) } },
  },
  'GET /api/docs': {
    tag: 'docs',
    summary: 'The API reference page (Swagger UI, served by this server)',
    answers: { 200: { description: 'The page.', contentType: 'text/html', schema: z.string() } },
  },
  'GET /api/docs/{asset}': {
    tag: 'docs',
    summary: "The reference page's scripts and styles",
    params: { asset: { description: 'One of the files the page loads.', example: 'swagger-ui.css' } },
    answers: {
      200: { description: 'The file.', contentType: 'text/css', schema: z.string() },
      404: { description: "Not one of the page's files.", id: 'Error', schema: answer.errorAnswer },
    },
  },
  'POST /api/auth/logout': {
    tag: 'auth',
    summary: "Revoke the caller's token and close its sockets; the user's other sessions stay",
    answers: { 200: { description: 'Logged out.', schema: answer.loggedOut }, ...user },
  },
};

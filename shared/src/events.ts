import { z } from 'zod';
import type { ReferenceIndex } from './reference.js';

// Feed events of the public contract (feed-contract.md). Objects are strict: an unknown or
// misspelt key (`centre`, `__proto__`) is rejected by name instead of silently dropped.

const id = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/** Earliest `at` accepted: older timestamps are typos, not backfill. */
export const MIN_EVENT_TIME = Date.UTC(2000, 0, 1);
/** How far ahead of the server clock an `at` may be (clock skew of the sending system). */
export const MAX_FUTURE_MS = 24 * 3600_000;

const at = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time with offset or Z' });

const base = { id, at, incident: id };

const minutes = z
  .number({ error: 'must be a number of minutes' })
  .positive('must be positive')
  .max(7 * 24 * 60, 'must be at most 7 days');

export const incidentReported = z.strictObject({
  ...base,
  type: z.literal('incident.reported'),
  center: id,
  district: id.optional(),
  kind: z.enum(['alarm', 'help', 'complaint']),
  category: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  summary: text(500).optional(),
  location: z
    .strictObject({
      lng: z.number().min(-180).max(180),
      lat: z.number().min(-90).max(90),
    })
    .optional(),
  drill: z.boolean().optional(),
});

export const orderDispatched = z.strictObject({
  ...base,
  type: z.literal('order.dispatched'),
  order: id,
  unit: id,
  deadlines: z.strictObject({ signMinutes: minutes, arriveMinutes: minutes, feedbackMinutes: minutes }).partial().optional(),
});

export const orderSigned = z.strictObject({ ...base, type: z.literal('order.signed'), order: id });
export const orderArrived = z.strictObject({ ...base, type: z.literal('order.arrived'), order: id });
export const orderFeedback = z.strictObject({
  ...base,
  type: z.literal('order.feedback'),
  order: id,
  stage: z.enum(['progress', 'result']),
  text: text(2000).optional(),
});
export const orderReturned = z.strictObject({
  ...base,
  type: z.literal('order.returned'),
  order: id,
  reason: z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
});
export const incidentClosed = z.strictObject({ ...base, type: z.literal('incident.closed') });

/**
 * An admin's decision that an incident is (or is not) a drill, made after the fact. Written to
 * the log by the server (POST /api/incidents/:id/drill), never accepted from the feed.
 */
export const incidentMarked = z.strictObject({ ...base, type: z.literal('incident.marked'), drill: z.boolean(), by: id });

export const feedEvent = z.discriminatedUnion('type', [incidentReported, orderDispatched, orderSigned, orderArrived, orderFeedback, orderReturned, incidentClosed]);

export type FeedEvent = z.infer<typeof feedEvent>;
export type FeedEventType = FeedEvent['type'];
export const FEED_EVENT_TYPES = feedEvent.options.map((o) => o.shape.type.value) as FeedEventType[];

export type IncidentMarked = z.infer<typeof incidentMarked>;

/** What the log may hold: the feed's events and the server's own (checkEvent's `server` option). */
const logEvent = z.discriminatedUnion('type', [...feedEvent.options, incidentMarked]);
const LOG_EVENT_TYPES = [...FEED_EVENT_TYPES, 'incident.marked'] as const;
/**
 * Everything the log holds: feed events and the server's own marks. `sim` is written by the
 * server, never accepted from the feed: the event came from the built-in simulator (its own
 * token), so the log itself says which events are a demonstration.
 */
export type LogEvent = (FeedEvent | IncidentMarked) & { sim?: true };

/** A validated event as the log keeps it: the event plus its time in epoch milliseconds. */
export type StoredEvent = LogEvent & { t: number };

export type EventCheck = { ok: true; event: StoredEvent } | { ok: false; id?: string; error: string };

/**
 * A field's name as an error shows it: `location.lng`, `orders.0`. A key that is not a plain
 * name (it comes from the sender and can hold anything) is written `["…"]` as a JSON string
 * with its colons escaped, so `field: reason` stays unambiguous and the field can be decoded.
 */
function describeKey(key: PropertyKey): string {
  const k = String(key);
  return /^[A-Za-z_$][\w$]*$|^\d+$/.test(k) ? k : `[${JSON.stringify(k).replace(/:/g, '\\u003a')}]`;
}

export function describePath(path: ReadonlyArray<PropertyKey>, whole = '(event)'): string {
  if (!path.length) return whole;
  return path.map(describeKey).reduce((out, k) => (!out ? k : k.startsWith('[') ? `${out}${k}` : `${out}.${k}`), '');
}

function firstIssue(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => `${describePath([...issue.path, k])}: unknown field`).join('; ');
      }
      if (issue.code === 'invalid_union' && issue.path.length === 0) {
        return `type: must be one of ${FEED_EVENT_TYPES.join(', ')}`;
      }
      // Issues carry their input (reportInput below): only an absent value is "required".
      const absent = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined;
      const message = absent ? 'is required' : issue.message;
      return `${describePath(issue.path)}: ${message}`;
    })
    .join('; ');
}

function idOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const value = (raw as Record<string, unknown>)['id'];
    if (typeof value === 'string' && value.length <= 128) return value;
  }
  return undefined;
}

/**
 * Validates one raw feed event: its shape, its time, and its ids against the reference data.
 * `now` bounds how far in the future an event may claim to be. `server` also admits the events
 * only the server writes (incident.marked), never accepted from the feed.
 */
export function checkEvent(raw: unknown, ref: ReferenceIndex, now: number, options: { server?: boolean } = {}): EventCheck {
  const types: readonly string[] = options.server ? LOG_EVENT_TYPES : FEED_EVENT_TYPES;
  const eventId = idOf(raw);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, id: eventId, error: '(event): must be a JSON object' };
  }
  const type = (raw as Record<string, unknown>)['type'];
  if (typeof type !== 'string' || !types.includes(type)) {
    return { ok: false, id: eventId, error: `type: must be one of ${types.join(', ')}` };
  }
  const parsed = (options.server ? logEvent : feedEvent).safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, id: eventId, error: firstIssue(parsed.error) };
  const event = parsed.data;
  const t = Date.parse(event.at);
  if (!Number.isFinite(t) || t < MIN_EVENT_TIME) {
    return { ok: false, id: eventId, error: 'at: must not be before 2000-01-01' };
  }
  if (t > now + MAX_FUTURE_MS) {
    return { ok: false, id: eventId, error: 'at: must not be more than 24 hours ahead of the server clock' };
  }
  const refError = event.type === 'incident.marked' ? undefined : checkReferences(event, ref);
  if (refError) return { ok: false, id: eventId, error: refError };
  return { ok: true, event: { ...event, t } as StoredEvent };
}

function checkReferences(event: FeedEvent, ref: ReferenceIndex): string | undefined {
  if (event.type === 'incident.reported') {
    const center = ref.centers.get(event.center);
    if (!center) return `center: unknown center "${event.center}"`;
    if (event.district !== undefined) {
      if (!ref.districts.has(event.district)) return `district: unknown district "${event.district}"`;
      if (!center.districts.includes(event.district)) {
        return `district: "${event.district}" is not covered by center "${event.center}" (covers ${center.districts.join(', ')})`;
      }
    } else if (center.districts.length > 1) {
      return `district: is required for center "${event.center}" (one of ${center.districts.join(', ')})`;
    }
  }
  if (event.type === 'order.dispatched' && !ref.units.has(event.unit)) {
    return `unit: unknown unit "${event.unit}"`;
  }
  return undefined;
}

/** Parses an event the log stored; the log only holds checked events, so nothing is re-validated. */
export function parseStored(json: string): StoredEvent {
  const event = JSON.parse(json) as StoredEvent;
  event.t = Date.parse(event.at);
  return event;
}

import type { JsonObject } from './document.js';

// Which changes between two versions of docs/feed.schema.json break a system that posts the
// feed, or one that reads the feed's answer. Events are the sender's to write: a change that
// refuses what the old schema accepted breaks it (a field dropped, a new required field, a
// type or an enum narrowed, a bound tightened). The answer is the sender's to read: a change
// that gives what the old schema did not promise breaks it (a field dropped or made optional,
// a type or an enum widened). Additions the other way round are compatible.

export type Direction = 'input' | 'output';

export interface BreakingChange {
  /** Where: `order.dispatched.deadlines.signMinutes`, `FeedAnswer.conflicts`. */
  subject: string;
  what: string;
}

type Schema = JsonObject;

function resolve(doc: Schema, schema: Schema): Schema {
  let s = schema;
  for (let hops = 0; typeof s['$ref'] === 'string' && hops < 20; hops++) {
    const ref = s['$ref'];
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are compared, not ${ref}`);
    s = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], doc) as Schema;
    if (!s) throw new Error(`unresolvable $ref ${ref}`);
  }
  return s;
}

function types(s: Schema): Set<string> | undefined {
  const t = s['type'];
  if (t === undefined) return undefined;
  const set = new Set(Array.isArray(t) ? (t as string[]) : [t as string]);
  // JSON Schema's integer is a number: widening integer to number is a widening.
  return set;
}

function values(s: Schema): Set<string> | undefined {
  if ('const' in s) return new Set([JSON.stringify(s['const'])]);
  if (Array.isArray(s['enum'])) return new Set((s['enum'] as unknown[]).map((v) => JSON.stringify(v)));
  return undefined;
}

const UPPER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;
const LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;

/** The union's branches by their `type` constant (the feed's discriminator), or by index. */
function branches(doc: Schema, s: Schema): Map<string, Schema> | undefined {
  const list = (s['oneOf'] ?? s['anyOf']) as Schema[] | undefined;
  if (!list) return undefined;
  const out = new Map<string, Schema>();
  list.forEach((b, i) => {
    const r = resolve(doc, b);
    const tag = ((r['properties'] as Record<string, Schema> | undefined)?.['type']?.['const'] as string | undefined) ?? `#${i}`;
    out.set(tag, r);
  });
  return out;
}

function compare(oldDoc: Schema, newDoc: Schema, oldS: Schema, newS: Schema, subject: string, dir: Direction, out: BreakingChange[]): void {
  const o = resolve(oldDoc, oldS);
  const n = resolve(newDoc, newS);
  const ob = branches(oldDoc, o);
  const nb = branches(newDoc, n);
  if (ob || nb) {
    const oldB = ob ?? new Map([['#0', o]]);
    const newB = nb ?? new Map([['#0', n]]);
    for (const [tag, b] of oldB) {
      const match = newB.get(tag);
      if (match) compare(oldDoc, newDoc, b, match, tag.startsWith('#') ? subject : tag, dir, out);
      else if (dir === 'input') out.push({ subject: tag.startsWith('#') ? subject : tag, what: 'no longer accepted' });
    }
    if (dir === 'output') for (const tag of newB.keys()) if (!oldB.has(tag)) out.push({ subject: tag.startsWith('#') ? subject : tag, what: 'a new kind of value in an answer' });
    return;
  }

  const ot = types(o);
  const nt = types(n);
  if (ot && nt) {
    const lost = [...ot].filter((t) => !nt.has(t) && !(t === 'integer' && nt.has('number')));
    const gained = [...nt].filter((t) => !ot.has(t) && !(t === 'integer' && ot.has('number')));
    if (dir === 'input' && lost.length) out.push({ subject, what: `type narrowed: ${lost.join(', ')} no longer accepted` });
    if (dir === 'output' && gained.length) out.push({ subject, what: `type widened: may now be ${gained.join(', ')}` });
  } else if (dir === 'input' && !ot && nt) out.push({ subject, what: `type narrowed to ${[...nt].join(', ')}` });

  const ov = values(o);
  const nv = values(n);
  if (dir === 'input' && nv && (!ov || [...ov].some((v) => !nv.has(v)))) out.push({ subject, what: `values narrowed to ${[...nv].join(', ')}` });
  if (dir === 'output' && ov && (!nv || [...nv].some((v) => !ov.has(v)))) out.push({ subject, what: 'values widened' });

  if (dir === 'input') {
    for (const k of UPPER) {
      const a = o[k] as number | undefined;
      const b = n[k] as number | undefined;
      if (b !== undefined && (a === undefined || b < a)) out.push({ subject, what: `${k} tightened to ${b}` });
    }
    for (const k of LOWER) {
      const a = o[k] as number | undefined;
      const b = n[k] as number | undefined;
      if (b !== undefined && (a === undefined || b > a)) out.push({ subject, what: `${k} tightened to ${b}` });
    }
    if (n['pattern'] !== undefined && n['pattern'] !== o['pattern']) out.push({ subject, what: 'pattern changed' });
    if (n['format'] !== undefined && n['format'] !== o['format']) out.push({ subject, what: `format now ${JSON.stringify(n['format'])}` });
  }

  const op = (o['properties'] ?? {}) as Record<string, Schema>;
  const np = (n['properties'] ?? {}) as Record<string, Schema>;
  const oreq = new Set((o['required'] ?? []) as string[]);
  const nreq = new Set((n['required'] ?? []) as string[]);
  for (const [key, schema] of Object.entries(op)) {
    const at = `${subject}.${key}`;
    if (!np[key]) {
      // Senders that still send it are refused (objects are strict); readers that read it find nothing.
      out.push({ subject: at, what: 'removed' });
      continue;
    }
    if (dir === 'input' && !oreq.has(key) && nreq.has(key)) out.push({ subject: at, what: 'now required' });
    if (dir === 'output' && oreq.has(key) && !nreq.has(key)) out.push({ subject: at, what: 'no longer always present' });
    compare(oldDoc, newDoc, schema, np[key], at, dir, out);
  }
  for (const key of Object.keys(np)) if (dir === 'input' && !op[key] && nreq.has(key)) out.push({ subject: `${subject}.${key}`, what: 'new and required' });
  if (o['items'] && n['items']) compare(oldDoc, newDoc, o['items'] as Schema, n['items'] as Schema, `${subject}[]`, dir, out);
}

/** The breaking changes from `released` to `current` (two feed.schema.json documents). */
export function breakingChanges(released: Schema, current: Schema): BreakingChange[] {
  const out: BreakingChange[] = [];
  compare(released, current, { $ref: '#/$defs/FeedEvent' }, { $ref: '#/$defs/FeedEvent' }, 'FeedEvent', 'input', out);
  compare(released, current, { $ref: '#/$defs/FeedAnswer' }, { $ref: '#/$defs/FeedAnswer' }, 'FeedAnswer', 'output', out);
  return out;
}

/**
 * The changelog's Unreleased section: a breaking change is allowed when a line of it says
 * BREAKING and names the change's subject in backticks (`order.dispatched.unit`).
 */
export function unreleasedSection(changelog: string): string {
  const start = changelog.search(/^## \[Unreleased\]/m);
  if (start === -1) throw new Error('CHANGELOG.md has no ## [Unreleased] section');
  const rest = changelog.slice(start + 1);
  const end = rest.search(/^## \[/m);
  return end === -1 ? rest : rest.slice(0, end);
}

export function unannounced(changes: BreakingChange[], changelog: string): BreakingChange[] {
  const lines = unreleasedSection(changelog)
    .split('\n')
    .filter((l) => l.includes('BREAKING'));
  return changes.filter((c) => !lines.some((l) => l.includes(`\`${c.subject}\``)));
}

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { breakingChanges, unannounced } from './contract-diff.js';
import type { JsonObject } from './document.js';
import { FEED_EXAMPLE } from './feed-example.js';
import { feedJsonSchema, feedSchemaText } from './feed-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const released = JSON.parse(read('test/fixtures/feed.schema.released.json')) as JsonObject;
const changelog = read('CHANGELOG.md');

/** The newest version the changelog has released (`## [0.1.0] - 2026-12-01`). */
function latestRelease(text: string): string {
  const m = /^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/m.exec(text);
  if (!m) throw new Error('CHANGELOG.md has no released version');
  return m[1]!;
}

/** A copy of the current schema with one edit, to see the classifier catch it. */
function edited(edit: (defs: Record<string, JsonObject>) => void): JsonObject {
  const copy = structuredClone(feedJsonSchema());
  edit(copy['$defs'] as Record<string, JsonObject>);
  return copy;
}
const props = (defs: Record<string, JsonObject>, id: string) => defs[id]!['properties'] as Record<string, JsonObject>;

describe('docs/feed.schema.json', () => {
  it('is what npm run docs:schema writes from the zod schemas (run it after changing shared/src/events.ts)', () => {
    expect(read('docs/feed.schema.json')).toBe(feedSchemaText());
  });

  it('is a JSON Schema that takes the example batch event by event and refuses what the server refuses', () => {
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const schema = JSON.parse(read('docs/feed.schema.json')) as JsonObject;
    const event = ajv.compile(schema);
    for (const e of FEED_EXAMPLE) expect(event(e), `${e.id}: ${ajv.errorsText(event.errors)}`).toBe(true);
    const batch = ajv.getSchema(`${String(schema['$id'])}#/$defs/FeedBatch`)!;
    expect(batch(FEED_EXAMPLE)).toBe(true);
    const first = FEED_EXAMPLE[0]!;
    // An unknown field, a kind outside the enum, an instant without its offset, an event type the feed does not take.
    for (const bad of [
      { ...first, centre: 'lucheng' },
      { ...first, kind: 'fire' },
      { ...first, at: '2026-11-03T09:12:00' },
      { ...first, type: 'incident.marked' },
    ]) {
      expect(event(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('has no breaking change since the last release that the changelog does not announce', () => {
    const changes = breakingChanges(released, feedJsonSchema());
    expect(unannounced(changes, changelog), 'name each in CHANGELOG.md, Unreleased, on a line that says BREAKING').toEqual([]);
  });

  it('keeps the released snapshot, the changelog and package.json at the same version', () => {
    const version = latestRelease(changelog);
    expect(released['x-released']).toBe(version);
    expect((JSON.parse(read('package.json')) as { version: string }).version).toBe(version);
  });
});

describe('breakingChanges', () => {
  const current = feedJsonSchema();

  it('finds none between a schema and itself', () => {
    expect(breakingChanges(current, structuredClone(current))).toEqual([]);
  });

  it('finds a field dropped from an event, a new required field and a narrowed enum', () => {
    const next = edited((defs) => {
      delete props(defs, 'OrderDispatched')['deadlines'];
      props(defs, 'OrderSigned')['by'] = { type: 'string' };
      (defs['OrderSigned']!['required'] as string[]).push('by');
      props(defs, 'IncidentReported')['kind'] = { type: 'string', enum: ['alarm', 'help'] };
    });
    expect(breakingChanges(current, next)).toEqual([
      { subject: 'incident.reported.kind', what: 'values narrowed to "alarm", "help"' },
      { subject: 'order.dispatched.deadlines', what: 'removed' },
      { subject: 'order.signed.by', what: 'new and required' },
    ]);
  });

  it('finds a tightened bound and an event type no longer accepted', () => {
    const next = edited((defs) => {
      (props(defs, 'OrderReturned')['reason'] as JsonObject)['maxLength'] = 100;
      defs['FeedEvent']!['oneOf'] = (defs['FeedEvent']!['oneOf'] as JsonObject[]).filter((b) => b['$ref'] !== '#/$defs/IncidentClosed');
    });
    expect(breakingChanges(current, next)).toEqual([
      { subject: 'order.returned.reason', what: 'maxLength tightened to 100' },
      { subject: 'incident.closed', what: 'no longer accepted' },
    ]);
  });

  it('takes an added optional field and a loosened bound as compatible', () => {
    const next = edited((defs) => {
      props(defs, 'OrderArrived')['location'] = { type: 'string' };
      (props(defs, 'OrderReturned')['reason'] as JsonObject)['maxLength'] = 5000;
    });
    expect(breakingChanges(current, next)).toEqual([]);
  });

  it('finds a field of the answer dropped or made optional, and a widened type', () => {
    const next = edited((defs) => {
      delete props(defs, 'FeedAnswer')['conflicts'];
      defs['FeedAnswer']!['required'] = (defs['FeedAnswer']!['required'] as string[]).filter((k) => k !== 'seq' && k !== 'conflicts');
      props(defs, 'FeedAnswer')['accepted'] = { type: ['integer', 'null'] };
    });
    expect(breakingChanges(current, next)).toEqual([
      { subject: 'FeedAnswer.accepted', what: 'type widened: may now be null' },
      { subject: 'FeedAnswer.seq', what: 'no longer always present' },
      { subject: 'FeedAnswer.conflicts', what: 'removed' },
    ]);
  });

  it('lets a change through only when the Unreleased section names it on a BREAKING line', () => {
    const changes = [{ subject: 'order.dispatched.deadlines', what: 'removed' }];
    const log = (unreleased: string) => `# Changelog\n\n## [Unreleased]\n\n${unreleased}\n\n## [0.1.0] - 2026-12-01\n\n- BREAKING: \`order.signed.by\` old news\n`;
    expect(unannounced(changes, log('- BREAKING: `order.dispatched.deadlines` is gone; send limits in the reference data.'))).toEqual([]);
    expect(unannounced(changes, log('- `order.dispatched.deadlines` is gone.'))).toEqual(changes);
    expect(unannounced(changes, log('- BREAKING: deadlines are gone.'))).toEqual(changes);
    // Named only under an older release: not announced for this one.
    expect(unannounced([{ subject: 'order.signed.by', what: 'new and required' }], log(''))).toHaveLength(1);
  });
});

import { feedEvent } from '@wall/shared';
import { z } from 'zod';
import { feedAnswer } from './answers.js';
import { feedEventComponents, type JsonObject } from './document.js';

// docs/feed.schema.json: the feed's events (and the answer to a batch) as one JSON Schema
// document, for systems that post the feed from other languages. Written by
// `npm run docs:schema`; feed-schema.spec.ts fails when the committed file is stale.

/** A name, not an address: the file is published with the product (docs/), not served. */
export const FEED_SCHEMA_ID = 'urn:linkage-wall:feed.schema.json';

/** The document: its root is one event (a JSON batch is an array of them, NDJSON one a line). */
export function feedJsonSchema(): JsonObject {
  const inputs = z.registry<{ id: string }>();
  for (const [id, schema] of feedEventComponents()) inputs.add(schema, { id });
  inputs.add(feedEvent, { id: 'FeedEvent' });
  inputs.add(z.array(feedEvent).max(5000), { id: 'FeedBatch' });
  const outputs = z.registry<{ id: string }>();
  outputs.add(feedAnswer, { id: 'FeedAnswer' });
  const uri = (id: string) => `#/$defs/${id}`;
  const defs: JsonObject = {};
  for (const [registry, io] of [
    [inputs, 'input'],
    [outputs, 'output'],
  ] as const) {
    for (const [id, schema] of Object.entries(z.toJSONSchema(registry, { io, uri }).schemas)) {
      const { $schema: _s, $id: _i, ...rest } = schema as JsonObject;
      defs[id] = rest;
    }
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: FEED_SCHEMA_ID,
    title: 'linkage-wall feed event',
    description:
      'One event of POST /api/feed (docs/integration.md). A request body is a JSON array of up to 5,000 events ($defs/FeedBatch) or NDJSON, one event a line; ' +
      'the server answers with $defs/FeedAnswer. Beyond this shape the server checks that `at` is not before 2000-01-01 nor more than 24 hours ahead of its clock, ' +
      'and that `center`, `district` and `unit` name reference data (GET /api/reference). Generated from the zod schemas in shared/src/events.ts: do not edit.',
    $ref: '#/$defs/FeedEvent',
    $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The file's text, as committed. */
export function feedSchemaText(): string {
  return `${JSON.stringify(feedJsonSchema(), null, 2)}\n`;
}

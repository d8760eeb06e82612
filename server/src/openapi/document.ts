import { feedEvent } from '@wall/shared';
import { z } from 'zod';
import type { MappedRoute } from './routes.js';
import type { AnswerDoc, BodyDoc, RouteDoc } from './route-docs.js';

// Builds the OpenAPI 3.1 document from the mapped routes and their docs. Every schema in it is
// zod's own z.toJSONSchema of the schema the server parses with (requests, as `input`: what a
// client may send, defaults optional) or answers with (as `output`).

export type JsonObject = Record<string, unknown>;

export interface BuiltDocument {
  document: JsonObject;
  /** What is wrong with the docs: a mapped route without an entry, an entry for no route, an undocumented path parameter. */
  problems: string[];
}

export const COMPONENT_PATH = '#/components/schemas/';

/** The feed's event types, each a component of its own (IncidentReported, OrderDispatched...). */
export function feedEventComponents(): Array<[string, z.ZodType]> {
  return feedEvent.options.map((o) => [
    o.shape.type.value
      .split('.')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(''),
    o,
  ]);
}

class Components {
  private readonly input = z.registry<{ id: string }>();
  private readonly output = z.registry<{ id: string }>();
  private readonly ids = new Map<string, { schema: z.ZodType; io: 'input' | 'output' }>();

  /** The schema's $ref, registering it under `id` (once; another schema under the same id is an error). */
  ref(id: string, schema: z.ZodType, io: 'input' | 'output'): JsonObject {
    const known = this.ids.get(id);
    if (known && (known.schema !== schema || known.io !== io)) throw new Error(`two schemas named ${id} in the API document`);
    if (!known) {
      this.ids.set(id, { schema, io });
      (io === 'input' ? this.input : this.output).add(schema, { id });
    }
    return { $ref: `${COMPONENT_PATH}${id}` };
  }

  schemas(): JsonObject {
    const out: JsonObject = {};
    for (const [registry, io] of [
      [this.input, 'input'],
      [this.output, 'output'],
    ] as const) {
      const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `${COMPONENT_PATH}${id}`, unrepresentable: 'any' });
      for (const [id, schema] of Object.entries(schemas)) out[id] = bare(schema as JsonObject);
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** An embedded schema carries no $schema or $id of its own (the document's dialect is 2020-12). */
function bare(schema: JsonObject): JsonObject {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** A schema inline: zod's JSON Schema, without the dialect header. */
export function inline(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  return bare(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject);
}

function operationId(route: MappedRoute): string {
  return `${route.controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}.${route.handler}`;
}

const ACCESS_TEXT = {
  public: 'Public: no token.',
  feedToken: 'Authorization: Bearer FEED_TOKEN (never a user token).',
  metricsToken: 'Authorization: Bearer METRICS_TOKEN.',
};

function security(route: MappedRoute, doc: RouteDoc | undefined): { security: JsonObject[]; text: string; roles?: string[] } {
  if (route.access.kind === 'feedToken') return { security: [{ feedToken: [] }], text: ACCESS_TEXT.feedToken };
  if (route.access.kind === 'public') {
    if (doc?.ownToken) return { security: [{ [doc.ownToken]: [] }], text: ACCESS_TEXT.metricsToken };
    return { security: [], text: ACCESS_TEXT.public };
  }
  return { security: [{ userToken: [] }], text: `Roles: ${route.access.roles.join(', ')}.`, roles: route.access.roles };
}

function bodyOf(body: BodyDoc, components: Components): JsonObject {
  const schema = components.ref(body.id, body.schema, 'input');
  const content: JsonObject = {};
  for (const type of body.contentTypes ?? ['application/json']) {
    // NDJSON is the same events, one a line: its schema is one event, its example the lines.
    content[type] =
      type === 'application/x-ndjson'
        ? { schema: components.ref('FeedEvent', feedEvent, 'input'), example: (body.example as unknown[]).map((e) => JSON.stringify(e)).join('\n') + '\n' }
        : { schema, example: body.example };
  }
  return { required: true, description: body.description, content };
}

function answerOf(answer: AnswerDoc, components: Components): JsonObject {
  const out: JsonObject = { description: answer.description };
  if (answer.schema) {
    const schema = answer.id ? components.ref(answer.id, answer.schema, 'output') : inline(answer.schema, 'output');
    const media: JsonObject = { schema };
    if (answer.example !== undefined) media['example'] = answer.example;
    out['content'] = { [answer.contentType ?? 'application/json']: media };
  }
  return out;
}

export interface DocumentInfo {
  version: string;
}

export function buildDocument(routes: MappedRoute[], docs: Record<string, RouteDoc>, info: DocumentInfo): BuiltDocument {
  const components = new Components();
  // Named first, so each feed event type is a component FeedEvent refers to.
  for (const [id, schema] of feedEventComponents()) components.ref(id, schema, 'input');
  components.ref('FeedEvent', feedEvent, 'input');

  const problems: string[] = [];
  const paths: Record<string, JsonObject> = {};
  const mapped = new Set(routes.map((r) => r.key));
  for (const key of Object.keys(docs)) if (!mapped.has(key)) problems.push(`${key}: documented in route-docs.ts, but no such route is mapped`);

  // The docs' order first (it is the order the contract test sends examples in), then the rest.
  const order = Object.keys(docs);
  const sorted = [...routes].sort((a, b) => rank(order, a.key) - rank(order, b.key));
  for (const route of sorted) {
    const doc = docs[route.key];
    const access = security(route, doc);
    const op: JsonObject = {
      operationId: operationId(route),
      tags: [doc?.tag ?? 'undocumented'],
      summary: doc?.summary ?? 'Undocumented: add it to server/src/openapi/route-docs.ts',
      description: [doc?.description, access.text].filter(Boolean).join('\n\n'),
      security: access.security,
    };
    if (access.roles) op['x-roles'] = access.roles;
    if (!doc) {
      problems.push(`${route.key} (${route.controller}.${route.handler}): mapped but not in server/src/openapi/route-docs.ts`);
      op['x-undocumented'] = true;
      op['responses'] = { default: { description: 'Undocumented.' } };
    } else {
      const parameters: JsonObject[] = [];
      for (const name of [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)) {
        const param = doc.params?.[name];
        if (!param) problems.push(`${route.key}: path parameter ${name} has no entry in params`);
        const schema = param?.schema ? inline(param.schema, 'input') : { type: 'string' };
        parameters.push({ name, in: 'path', required: true, description: param?.description, schema, example: param?.example });
      }
      if (doc.query) {
        for (const { name, schema, required, description } of queryParameters(doc.query.schema)) {
          const param: JsonObject = { name, in: 'query', required, schema };
          if (description) param['description'] = description;
          if (doc.query.example?.[name] !== undefined) param['example'] = doc.query.example[name];
          parameters.push(param);
        }
      }
      if (parameters.length) op['parameters'] = parameters;
      if (doc.body) op['requestBody'] = bodyOf(doc.body, components);
      const responses: JsonObject = {};
      for (const [status, answer] of Object.entries(doc.answers)) responses[status] = answerOf(answer, components);
      for (const [name, link] of Object.entries(doc.links ?? {})) {
        const target = routes.find((r) => r.key === link.operation);
        if (!target) {
          problems.push(`${route.key}: link ${name} to ${link.operation}, no such route`);
          continue;
        }
        const ok = Object.keys(doc.answers).find((s) => s.startsWith('2'))!;
        const answer = responses[ok] as JsonObject;
        answer['links'] = {
          ...((answer['links'] as JsonObject) ?? {}),
          [name]: { operationId: operationId(target), requestBody: link.requestBody, description: link.description },
        };
      }
      op['responses'] = responses;
      // Paths group their methods, so the order the examples are sent in is said outright.
      op['x-example-order'] = order.indexOf(route.key);
      op['x-example-status'] =
        doc.exampleStatus ??
        Number(
          Object.keys(doc.answers)
            .filter((s) => s.startsWith('2'))
            .sort()[0],
        );
    }
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method]: op };
  }

  const document: JsonObject = {
    openapi: '3.1.1',
    info: {
      title: 'linkage-wall API',
      version: info.version,
      description:
        'The live operations wall of the Wenzhou emergency-linkage command center (应急联动指挥中心). ' +
        'Systems that post the feed: POST /api/feed with FEED_TOKEN (docs/integration.md). ' +
        'Every other route takes a token from POST /api/auth/login; `x-roles` lists the roles that may call it. Changes: CHANGELOG.md.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(sorted.map((r) => docs[r.key]?.tag ?? 'undocumented'))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas(),
      securitySchemes: {
        userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token from POST /api/auth/login.' },
        feedToken: { type: 'http', scheme: 'bearer', description: "FEED_TOKEN: the feed's own token, set by the operator." },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, for Prometheus.' },
      },
    },
  };
  if (problems.length) document['x-undocumented-routes'] = problems;
  return { document, problems };
}

type QueryJson = { properties?: Record<string, JsonObject>; required?: string[]; anyOf?: QueryJson[] };

/**
 * The query's parameters, one per field. An object's fields are required as its schema says; a
 * union of objects (`?alarm=` or `?month=`) has each branch's fields, none required on its own,
 * each saying which forms the query takes (the handler takes exactly one).
 */
function queryParameters(schema: z.ZodType): Array<{ name: string; schema: JsonObject; required: boolean; description?: string }> {
  const json = inline(schema, 'input') as QueryJson;
  if (!json.anyOf) return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, schema: s, required: json.required?.includes(name) ?? false }));
  const forms = json.anyOf.map((b) => Object.keys(b.properties ?? {}).join(' with '));
  const out = new Map<string, { name: string; schema: JsonObject; required: boolean; description?: string }>();
  for (const branch of json.anyOf) {
    for (const [name, s] of Object.entries(branch.properties ?? {})) {
      if (!out.has(name)) out.set(name, { name, schema: s, required: false, description: `The query is one of: ${forms.join('; or ')} (exactly one form).` });
    }
  }
  return [...out.values()];
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

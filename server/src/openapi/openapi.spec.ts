import 'reflect-metadata';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Controller, Get, type DynamicModule, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type * as App from '../app.module.js';
import type * as Decorators from '../auth/auth.decorators.js';
import { parseConfig, redisTargetOf } from '../config/config.js';
import type * as Document from './document.js';
import type { JsonObject } from './document.js';
import type * as Docs from './route-docs.js';
import type * as Routes from './routes.js';

// The document is built from the compiled server (as `npm test` leaves it): the controllers'
// decorators are TypeScript's, which only tsc lowers, and the guard classes the routes are
// compared with must be the very ones the controllers name.
const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url).href;
const { AppModule } = (await import(dist('app.module.js'))) as typeof App;
const { Public, Roles } = (await import(dist('auth/auth.decorators.js'))) as typeof Decorators;
const { buildDocument } = (await import(dist('openapi/document.js'))) as typeof Document;
const { ROUTE_DOCS } = (await import(dist('openapi/route-docs.js'))) as typeof Docs;
const { routesOf } = (await import(dist('openapi/routes.js'))) as typeof Routes;

/** A controller class decorated by hand (this file is not compiled by tsc): `@Controller(path)` with `@Get(route)` handlers. */
function controller(path: string, handlers: Record<string, { route: string; decorators?: MethodDecorator[] }>): Type {
  const cls = class {} as Type;
  Object.defineProperty(cls, 'name', { value: `${path.replace(/(^|-)(.)/g, (_, _d, c: string) => c.toUpperCase())}Controller` });
  for (const [name, { route, decorators = [] }] of Object.entries(handlers)) {
    const proto = cls.prototype as Record<string, unknown>;
    proto[name] = function () {
      return name;
    };
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    for (const d of [Get(route), ...decorators]) d(proto, name, descriptor);
  }
  Controller(path)(cls);
  return cls;
}

// The document as the server builds it, from every controller AppModule registers. The
// running server's routes, answers and access are checked against it in test/openapi.e2e.ts.

type ModuleRef = Type | DynamicModule | Promise<DynamicModule> | { forwardRef: () => Type };

/** Every controller reachable from a module, as Nest's scanner walks imports. */
function controllersOf(root: ModuleRef, seen = new Set<unknown>()): Set<Type> {
  const out = new Set<Type>();
  const visit = (m: ModuleRef) => {
    if (m instanceof Promise) throw new Error('async modules are not walked');
    const ref = 'forwardRef' in m ? m.forwardRef() : m;
    if (seen.has(ref)) return;
    seen.add(ref);
    const dynamic = 'module' in ref ? (ref as DynamicModule) : undefined;
    const cls = dynamic ? dynamic.module : (ref as Type);
    const controllers = [...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, cls) as Type[]) ?? []), ...(dynamic?.controllers ?? [])];
    for (const c of controllers) out.add(c);
    for (const i of [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) as ModuleRef[]) ?? []), ...((dynamic?.imports as ModuleRef[]) ?? [])]) visit(i);
  };
  visit(root);
  return out;
}

const config = parseConfig({ REDIS_URL: 'redis://127.0.0.1:1' });
const controllers = controllersOf(AppModule.forRoot(config, redisTargetOf(config)));
const routes = routesOf(controllers);
const built = buildDocument(routes, ROUTE_DOCS, { version: '0.0.0-test' });
const doc = built.document as { paths: Record<string, Record<string, JsonObject>>; components: { schemas: Record<string, JsonObject> } };

function operations(): Array<{ key: string; op: JsonObject }> {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));
}

describe('the API document', () => {
  it('is found by walking AppModule: the feed, login and this document itself are among its routes', () => {
    const keys = routes.map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(['POST /api/feed', 'POST /api/auth/login', 'GET /api/openapi.json', 'GET /metrics']));
  });

  it('documents every mapped route, and documents no route that is not mapped', () => {
    expect(built.problems).toEqual([]);
    expect(
      operations()
        .map((o) => o.key)
        .sort(),
    ).toEqual(routes.map((r) => r.key).sort());
  });

  it('reports a route added without an entry in route-docs.ts', () => {
    const BrandNewController = controller('brand-new', { thing: { route: ':thing', decorators: [Roles('admin')] } });
    const withNew = buildDocument(routesOf([...controllers, BrandNewController]), ROUTE_DOCS, { version: '0.0.0-test' });
    expect(withNew.problems).toEqual(['GET /api/brand-new/{thing} (BrandNewController.thing): mapped but not in server/src/openapi/route-docs.ts']);
    // Still in the document, with the access its metadata gives it.
    const op = (withNew.document['paths'] as Record<string, Record<string, JsonObject>>)['/api/brand-new/{thing}']!['get']!;
    expect(op['x-undocumented']).toBe(true);
    expect(op['x-roles']).toEqual(['admin']);
  });

  it('reads access off the metadata: FEED_TOKEN, public, roles (the default: every role of a person)', () => {
    const ProbeController = controller('probe', { open: { route: 'open', decorators: [Public()] }, people: { route: 'people' } });
    const probe = routesOf([ProbeController]);
    expect(probe.map((r) => [r.key, r.access])).toEqual([
      ['GET /api/probe/open', { kind: 'public' }],
      ['GET /api/probe/people', { kind: 'user', roles: ['admin', 'supervisor', 'viewer'] }],
    ]);
    const byKey = new Map(operations().map((o) => [o.key, o.op]));
    expect(byKey.get('POST /api/feed')!['security']).toEqual([{ feedToken: [] }]);
    expect(byKey.get('POST /api/auth/login')!['security']).toEqual([]);
    expect(byKey.get('GET /metrics')!['security']).toEqual([{ metricsToken: [] }]);
    expect(byKey.get('PUT /api/reference')!['x-roles']).toEqual(['admin']);
    expect(byKey.get('GET /api/reference')!['x-roles']).toEqual(['admin', 'supervisor', 'viewer', 'wall']);
    expect(byKey.get('GET /api/alarms')!['x-roles']).toEqual(['admin', 'supervisor']);
  });

  it('passes swagger-parser, which validates it against the OpenAPI 3.1 schema and resolves every $ref', async () => {
    // validate() dereferences in place: give it a copy.
    const api = await SwaggerParser.validate(structuredClone(built.document) as never);
    expect((api as { openapi: string }).openapi).toBe('3.1.1');
  });

  it('has every example valid against the schema beside it', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
    const check = (schema: JsonObject, value: unknown, where: string) => {
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as JsonObject;
      const validate = ajv.compile(rebased);
      expect(validate(value), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    };
    for (const { key, op } of operations()) {
      const media = [
        ...Object.entries(((op['requestBody'] as JsonObject | undefined)?.['content'] ?? {}) as Record<string, JsonObject>).map(([type, m]) => ({
          type,
          m,
          where: `${key} body ${type}`,
        })),
        ...Object.entries((op['responses'] ?? {}) as Record<string, JsonObject>).flatMap(([status, r]) =>
          Object.entries((r['content'] ?? {}) as Record<string, JsonObject>).map(([type, m]) => ({ type, m, where: `${key} ${status} ${type}` })),
        ),
      ];
      for (const { type, m, where } of media) {
        // Every request body carries one: the contract test sends it.
        if (where.includes(' body ')) expect(m['example'], `${where}: no example`).toBeDefined();
        if (m['example'] === undefined) continue;
        const schema = m['schema'] as JsonObject;
        // An NDJSON example is lines, each one a value of the schema.
        const values =
          type === 'application/x-ndjson'
            ? (m['example'] as string)
                .trimEnd()
                .split('\n')
                .map((l) => JSON.parse(l) as unknown)
            : [m['example']];
        for (const v of values) check(schema, v, where);
      }
      for (const p of (op['parameters'] ?? []) as JsonObject[]) {
        // A query example is the text a URL carries: numbers are written as digits.
        const schema = p['schema'] as JsonObject;
        const value = p['example'];
        if (p['in'] === 'path') expect(value, `${key} path ${String(p['name'])}: no example`).toBeDefined();
        if (value === undefined) continue;
        const typed = schema['type'] === 'integer' || schema['type'] === 'number' ? Number(value) : value;
        check(schema, typed, `${key} ${String(p['in'])} ${String(p['name'])}`);
      }
    }
  });

  it('names the feed event types and refers to them from the feed body', () => {
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(['IncidentReported', 'OrderDispatched', 'OrderSigned', 'OrderArrived', 'OrderFeedback', 'OrderReturned', 'IncidentClosed', 'FeedEvent', 'FeedAnswer']),
    );
    expect(schemas['FeedBatch']).toMatchObject({ type: 'array', maxItems: 5000, items: { $ref: '#/components/schemas/FeedEvent' } });
  });
});

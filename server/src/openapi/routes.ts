import { RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner } from '@nestjs/core';
import { API_PREFIX } from '../api-prefix.js';
import { PUBLIC_KEY, ROLES_KEY } from '../auth/auth.decorators.js';
import { USER_ROLES } from '../auth/auth.guard.js';
import type { Role } from '../auth/auth.types.js';
import { FeedTokenGuard } from '../auth/feed-token.guard.js';

// The routes as Nest maps them, read off the same metadata Nest's router and the AuthGuard
// read (PATH_METADATA, METHOD_METADATA, @Public, @Roles, @UseGuards), so the document cannot
// claim an access rule the server does not apply.

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route, as the guards decide it. */
export type Access = { kind: 'public' } | { kind: 'feedToken' } | { kind: 'user'; roles: Role[] };

export interface MappedRoute {
  method: HttpMethod;
  /** OpenAPI style: /api/users/{username}. */
  path: string;
  /** `POST /api/feed`: the key of the route's entry in route-docs.ts. */
  key: string;
  controller: string;
  handler: string;
  access: Access;
}

const METHODS: Partial<Record<RequestMethod, HttpMethod>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

function paths(value: unknown): string[] {
  // Nest takes a path or a list of paths; anything else is not a route path.
  const list: unknown[] = Array.isArray(value) ? value : [value ?? '/'];
  return list.map((p) => {
    if (typeof p !== 'string') throw new Error(`a route path that is not a string: ${JSON.stringify(p)}`);
    return p;
  });
}

function join(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

/** `:username` to `{username}`, as OpenAPI writes a path parameter. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function prefixed(controllerPath: string): string {
  const bare = join(controllerPath).slice(1);
  return API_PREFIX.exclude.some((e) => bare === e || bare.startsWith(`${e}/`)) ? join(controllerPath) : join(API_PREFIX.prefix, controllerPath);
}

function metadata<T>(key: string, handler: object, controller: Type): T | undefined {
  // As Reflector.getAllAndOverride: the handler's value wins over the class's.
  return (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
}

function accessOf(handler: object, controller: Type): Access {
  const guards = [...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[]) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
  if (guards.includes(FeedTokenGuard)) return { kind: 'feedToken' };
  if (metadata<boolean>(PUBLIC_KEY, handler, controller)) return { kind: 'public' };
  return { kind: 'user', roles: [...(metadata<Role[]>(ROLES_KEY, handler, controller) ?? USER_ROLES)] };
}

/** Every route of the given controller classes. */
export function routesOf(controllers: Iterable<Type>): MappedRoute[] {
  const scanner = new MetadataScanner();
  const out: MappedRoute[] = [];
  for (const controller of controllers) {
    const base = paths(Reflect.getMetadata(PATH_METADATA, controller));
    const proto = controller.prototype as Record<string, object>;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name]!;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (methodPath === undefined) continue;
      const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      if (!method) throw new Error(`${controller.name}.${name}: a request method the document does not know`);
      for (const b of base) {
        for (const m of paths(methodPath)) {
          const path = openApiPath(join(prefixed(b), m));
          out.push({ method, path, key: `${method.toUpperCase()} ${path}`, controller: controller.name, handler: name, access: accessOf(handler, controller) });
        }
      }
    }
  }
  return out;
}

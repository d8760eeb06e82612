import { Injectable, Logger, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDocument, type BuiltDocument } from './document.js';
import { ROUTE_DOCS } from './route-docs.js';
import { routesOf } from './routes.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The product's version: the root package.json's (server/dist/openapi -> the repository root). */
export function productVersion(): string {
  return (JSON.parse(readFileSync(join(here, '../../../package.json'), 'utf8')) as { version: string }).version;
}

/** The document of the controllers this app really has, built once they are all registered. */
@Injectable()
export class OpenApiService implements OnApplicationBootstrap {
  private built?: BuiltDocument;

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const controllers = this.discovery
      .getControllers()
      .map((w) => w.metatype as Type | null)
      .filter((t): t is Type => !!t);
    this.built = buildDocument(routesOf(controllers), ROUTE_DOCS, { version: productVersion() });
    // Loud at startup, so whoever added a route sees the gap before a test does.
    for (const problem of this.built.problems) new Logger('OpenAPI').warn(problem);
  }

  get document(): Record<string, unknown> {
    if (!this.built) throw new Error('the API document is built at application bootstrap');
    return this.built.document;
  }
}

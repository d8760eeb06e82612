import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Public } from '../auth/auth.decorators.js';
import { OpenApiService } from './openapi.service.js';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/**
 * The page's files, by name: only these, so the route serves nothing else of node_modules. The
 * page's own start-up is a file too (init.js), never an inline script: helmet's CSP allows
 * scripts from 'self' only.
 */
const ASSETS: Record<string, { type: string; file?: string; body?: string }> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', file: join(swaggerDir, 'swagger-ui.css') },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', file: join(swaggerDir, 'swagger-ui-bundle.js') },
  'favicon-32x32.png': { type: 'image/png', file: join(swaggerDir, 'favicon-32x32.png') },
  'init.js': {
    type: 'text/javascript; charset=utf-8',
    // validatorUrl null: the page would otherwise ask validator.swagger.io about the document.
    body: "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null, tryItOutEnabled: false });\n",
  },
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>linkage-wall API</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

/** The API document and its reference page, both public: they describe routes, never data. */
@Controller()
export class OpenApiController {
  constructor(private readonly openapi: OpenApiService) {}

  @Public()
  @Get('openapi.json')
  @Header('Cache-Control', 'no-cache')
  document(): Record<string, unknown> {
    return this.openapi.document;
  }

  @Public()
  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return PAGE;
  }

  @Public()
  @Get('docs/:asset')
  asset(@Param('asset') name: string, @Res() res: Response): void {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundException(`no such file of the API page: ${name}`);
    res.type(asset.type).set('Cache-Control', 'public, max-age=3600');
    if (asset.body) res.send(asset.body);
    else res.sendFile(asset.file!);
  }
}

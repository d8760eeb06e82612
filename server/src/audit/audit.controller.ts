import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import { parseBody } from '../common/parse-body.js';
import { AuditRepository, type AuditEntry } from './audit.repository.js';

const query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  action: z.string().min(1).max(64).optional(),
  who: z.string().min(1).max(64).optional(),
});

@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Roles('admin')
  @Get()
  list(@Query() q: unknown): Promise<AuditEntry[]> {
    return this.audit.latest(parseBody(query, q));
  }
}

/** For the API document (server/src/openapi). */
export { query as auditQuery };

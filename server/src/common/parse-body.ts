import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';
import { describePath } from '@wall/shared';

/** Validates a request body or query with zod; the 400 names each bad field and why. */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => `${describePath(i.path, '(body)')}: ${i.message}`);
  throw new BadRequestException({ statusCode: 400, message: errors.join('; '), errors });
}

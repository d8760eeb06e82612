import { Body, Controller, HttpCode, HttpException, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import { Public } from './auth.decorators.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { AuthService, LoginError } from './auth.service.js';

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly audit: AuditRepository,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request) {
    const { username, password } = parseBody(loginBody, body);
    const ip = req.ip ?? 'unknown';
    try {
      const answer = await this.auth.login(username, password, ip);
      await this.audit.record(username, 'login', { ip, role: answer.role });
      return answer;
    } catch (e) {
      if (!(e instanceof LoginError)) throw e;
      await this.audit.record(username, 'login.failed', { ip, reason: e.message });
      throw new HttpException({ statusCode: e.status, message: e.message }, e.status);
    }
  }
}

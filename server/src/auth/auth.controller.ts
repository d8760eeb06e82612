import { Body, Controller, HttpCode, HttpException, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import { Public } from './auth.decorators.js';
import { AuthService, LoginError } from './auth.service.js';

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { username, password } = parseBody(loginBody, body);
    try {
      return await this.auth.login(username, password, req.ip ?? 'unknown');
    } catch (e) {
      if (!(e instanceof LoginError)) throw e;
      if (e.retryAfterS) res.set('Retry-After', String(e.retryAfterS));
      throw new HttpException({ statusCode: e.status, message: e.message }, e.status);
    }
  }
}

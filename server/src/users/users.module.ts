import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsersController } from './users.controller.js';

/** The admin's user management (/api/users); the user store itself is AuthModule's, which logins need. */
@Module({ imports: [AuthModule], controllers: [UsersController] })
export class UsersModule {}

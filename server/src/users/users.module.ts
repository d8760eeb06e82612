import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ScreensController } from './screens.controller.js';
import { ScreensService } from './screens.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** The admin's user management (/api/users) and wall-screen enrolment; the user store itself is AuthModule's, which logins need. */
@Module({ imports: [AuthModule], controllers: [UsersController, ScreensController], providers: [UsersService, ScreensService] })
export class UsersModule {}

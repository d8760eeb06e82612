import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ScreensController } from './screens.controller.js';
import { ScreensService } from './screens.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({ imports: [AuthModule], controllers: [UsersController, ScreensController], providers: [UsersService, ScreensService] })
export class UsersModule {}

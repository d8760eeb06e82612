import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { BoardTicketRepository } from './board-ticket.repository.js';
import { EnrolmentRepository } from './enrolment.repository.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { SessionsService } from './sessions.service.js';
import { UsersRepository } from './users.repository.js';

@Module({
  controllers: [AuthController],
  providers: [AuthService, UsersRepository, LoginThrottleRepository, SessionsService, EnrolmentRepository, BoardTicketRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, UsersRepository, SessionsService, EnrolmentRepository, BoardTicketRepository],
})
export class AuthModule {}

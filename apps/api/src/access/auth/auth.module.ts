import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { ScopeService } from './scope.service.js';
import { TokenService } from './token.service.js';

/** Sessions, the guard every route passes, and the scope every query takes. */
@Module({
  imports: [AuditModule],
  controllers: [AuthController],
  providers: [AuthService, TokenService, ScopeService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ScopeService],
})
export class AuthModule {}

import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditController } from './audit/audit.controller.js';
import { AuditService } from './audit/audit.service.js';
import { UserController } from './users/user.controller.js';
import { UserService } from './users/user.service.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { ScopeService } from './auth/scope.service.js';
import { TokenService } from './auth/token.service.js';

/** Access: sessions and the guard, accounts, the audit trail, the scope every query takes. */
@Global()
@Module({
  controllers: [AuthController, UserController, AuditController],
  providers: [
    AuthService,
    TokenService,
    ScopeService,
    AuditService,
    UserService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuditService, ScopeService],
})
export class AccessModule {}

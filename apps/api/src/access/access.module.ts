import { Global, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { UserModule } from './users/user.module.js';

const AGGREGATES = [AuthModule, UserModule, AuditModule];

/** Access: sessions and the guard, accounts, the audit trail, the scope every query takes. */
@Global()
@Module({ imports: AGGREGATES, exports: AGGREGATES })
export class AccessModule {}

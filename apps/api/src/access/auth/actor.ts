import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { scopeKindOf, type Permission, type Role } from '@huuco/domain';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/http/domain-error.js';
import { recordScopeOf, type RecordScope } from './record-scope.js';

/** Who is asking, and over which records: resolved once per request by the AuthGuard. */
export class Actor {
  /** Whose records this actor reaches; every scoped query takes it. */
  readonly scope: RecordScope;

  constructor(
    readonly id: string,
    readonly username: string,
    readonly role: Role,
    readonly cooperativeId: string | null,
    readonly buyerId: string | null,
    /** The admin units assigned, with everything under them and their successors. */
    readonly unitIds: readonly string[],
  ) {
    this.scope = recordScopeOf(scopeKindOf(role), { cooperativeId, buyerId, unitIds });
  }
}

export interface AuthenticatedRequest extends FastifyRequest {
  actor?: Actor;
}

export const PUBLIC_ROUTE = 'huuco:public';
export const REQUIRED_PERMISSION = 'huuco:permission';

/** Open to anyone without logging in. Everything else needs a valid access token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Needs this permission (see PERMISSIONS in @huuco/domain) besides a valid token. */
export const Allow = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'Log in first.');
    return actor;
  },
);

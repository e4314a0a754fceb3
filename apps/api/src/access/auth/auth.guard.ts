import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import DataLoader from 'dataloader';
import { InjectDataSource } from '@nestjs/typeorm';
import { can, type Permission } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../platform/http/domain-error.js';
import { Actor, PUBLIC_ROUTE, REQUIRED_PERMISSION, type AuthenticatedRequest } from './actor.js';
import { ScopeService } from './scope.service.js';
import { TokenService } from './token.service.js';
import type { User } from './user.entity.js';
import { userRepository } from '../users/user.repository.js';

/**
 * Every route needs a valid access token unless marked @Public(), and names the permission it
 * needs with @Allow(); one that names none answers 403 to everyone. The user is read on every
 * request, so a disabled or deleted account stops working at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Requests that arrive together share one read of their users: gathered until the event loop
   * has taken every request it has, then read at once — after each of them arrived, so none is
   * let through on an account changed before it came.
   */
  private readonly users = new DataLoader<string, { user?: User; scopeGeneration: string }>(
    async (ids) => {
      const { users, scopeGeneration } = await userRepository.findWithScopeGeneration(
        this.db.manager,
        ids,
      );
      return ids.map((id) => ({ user: users.get(id), scopeGeneration }));
    },
    { cache: false, maxBatchSize: 200, batchScheduleFn: (send) => setImmediate(send) },
  );

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly scopes: ScopeService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw new DomainError('UNAUTHENTICATED', 'Log in first.');
    const claims = await this.tokens.verifyAccess(header.slice(7));
    const { user, scopeGeneration } = await this.users.load(claims.sub);
    if (!user || user.disabledAt !== null || user.tokenVersion !== claims.ver) {
      throw new DomainError('UNAUTHENTICATED', 'This session has ended; log in again.');
    }
    const unitIds = await this.scopes.unitsFor(user.id, user.tokenVersion, scopeGeneration);
    request.actor = new Actor(
      user.id,
      user.username,
      user.role,
      user.cooperativeId,
      user.buyerId,
      unitIds,
    );

    const permission = this.reflector.getAllAndOverride<Permission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    // Closed by default: a route that names no permission is open to nobody.
    if (!permission || !can(user.role, permission)) {
      throw new DomainError('FORBIDDEN', 'Your role does not allow this.');
    }
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  scopeKindOf,
  type CreateUserDto,
  type Page,
  type UpdateUserDto,
  type UserDto,
  type UserListQuery,
} from '@huuco/domain';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { escapeLike } from '../../platform/database/like.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hashPassword } from '../auth/password.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import { buyerScopeSql } from '../auth/record-scope.js';
import { ScopeService } from '../auth/scope.service.js';
import { RefreshToken, User, UserAdminUnit } from '../auth/user.entity.js';
import { DomainError, notFound } from '../../platform/http/domain-error.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { Cooperative } from '../../registry/cooperatives/cooperative.entity.js';

const SORT_COLUMNS = { username: 'u.username', createdAt: 'u.created_at' } as const;

function scopeInvalid(path: string, message: string): DomainError {
  return new DomainError('USER_SCOPE_INVALID', message, [
    { path, code: 'USER_SCOPE_INVALID', message },
  ]);
}

/** District admins manage the accounts within their admin units (and buyers' accounts). */
@Injectable()
export class UserService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly scopes: ScopeService,
  ) {}

  async create(actor: Actor, dto: CreateUserDto): Promise<UserDto> {
    const kind = scopeKindOf(dto.role);
    if (kind === 'cooperative' && !dto.cooperativeId)
      throw scopeInvalid('cooperativeId', 'This role belongs to a cooperative.');
    if (kind !== 'cooperative' && dto.cooperativeId)
      throw scopeInvalid('cooperativeId', 'Only cooperative roles have one.');
    if (kind === 'buyer' && !dto.buyerId)
      throw scopeInvalid('buyerId', 'A buyer account belongs to a buyer.');
    if (kind !== 'buyer' && dto.buyerId)
      throw scopeInvalid('buyerId', 'Only buyer accounts have one.');
    if (kind === 'units' && dto.adminUnitIds.length === 0)
      throw scopeInvalid('adminUnitIds', 'This role needs admin units.');
    if (kind !== 'units' && dto.adminUnitIds.length > 0)
      throw scopeInvalid('adminUnitIds', 'Only district roles have units.');
    dto.adminUnitIds.forEach((id, index) => {
      if (!actor.unitIds.includes(id))
        throw scopeInvalid(`adminUnitIds.${index}`, 'Outside your admin units.');
    });
    if (dto.cooperativeId) {
      const cooperative = await this.db
        .getRepository(Cooperative)
        .findOneBy({ id: dto.cooperativeId });
      if (!cooperative || !actor.unitIds.includes(cooperative.communeId)) {
        throw scopeInvalid('cooperativeId', 'No such cooperative within your admin units.');
      }
    }
    if (dto.buyerId && !(await this.buyerManaged(this.db.manager, actor, dto.buyerId))) {
      throw scopeInvalid('buyerId', 'No such buyer within your admin units.');
    }
    assertPasswordAcceptable(dto.password, [dto.username, dto.displayName]);
    const passwordHash = await hashPassword(dto.password);
    const id = await this.db.transaction(async (manager) => {
      const { password: _password, adminUnitIds, ...fields } = dto;
      const saved = await manager
        .getRepository(User)
        .save(manager.getRepository(User).create({ ...fields, passwordHash }));
      if (adminUnitIds.length) {
        await manager
          .getRepository(UserAdminUnit)
          .insert(adminUnitIds.map((adminUnitId) => ({ userId: saved.id, adminUnitId })));
      }
      await this.audit.record(manager, actor, {
        action: 'user.create',
        entity: 'user',
        entityId: saved.id,
        after: { ...fields, adminUnitIds },
      });
      return saved.id;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserDto> {
    // The policy and the (slow) hash come before the transaction, so it holds no connection idle.
    const target = await this.findInScope(this.db.manager, actor, id);
    if (dto.password) assertPasswordAcceptable(dto.password, [target.username, target.displayName]);
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    await this.db.transaction(async (manager) => {
      const user = await this.findInScope(manager, actor, id);
      const before = { displayName: user.displayName, disabled: user.disabledAt !== null };
      const endSessions = passwordHash !== undefined || dto.disabled === true;
      await manager.getRepository(User).update(id, {
        ...(dto.displayName !== undefined && { displayName: dto.displayName }),
        ...(passwordHash !== undefined && { passwordHash, failedLogins: 0, lockedUntil: null }),
        ...(dto.disabled !== undefined && { disabledAt: dto.disabled ? new Date() : null }),
        ...(endSessions && { tokenVersion: user.tokenVersion + 1 }),
      });
      if (endSessions) {
        await manager
          .getRepository(RefreshToken)
          .update({ userId: id, revokedAt: IsNull() }, { revokedAt: new Date() });
      }
      await this.audit.record(manager, actor, {
        action: dto.disabled === true ? 'user.disable' : 'user.update',
        entity: 'user',
        entityId: id,
        before,
        after: {
          displayName: dto.displayName ?? user.displayName,
          disabled: dto.disabled ?? before.disabled,
        },
        details: { passwordChanged: passwordHash !== undefined },
      });
    });
    this.scopes.forget(id);
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const user = await this.findInScope(manager, actor, id);
      await manager.getRepository(User).delete(id);
      await this.audit.record(manager, actor, {
        action: 'user.delete',
        entity: 'user',
        entityId: id,
        before: { username: user.username, role: user.role },
      });
    });
    this.scopes.forget(id);
  }

  async list(actor: Actor, query: UserListQuery): Promise<Page<UserDto>> {
    const qb = this.db.getRepository(User).createQueryBuilder('u');
    const buyerParams: unknown[] = [];
    const buyers = await this.db.query<{ id: string }[]>(
      `SELECT b.id FROM buyers b WHERE ${buyerScopeSql(actor, 'b', buyerParams)}`,
      buyerParams,
    );
    qb.where(
      `(EXISTS (SELECT 1 FROM user_admin_units x WHERE x.user_id = u.id AND x.admin_unit_id = ANY(:units))
        OR EXISTS (SELECT 1 FROM cooperatives c WHERE c.id = u.cooperative_id AND c.commune_id = ANY(:units))
        OR u.buyer_id = ANY(:buyers))`,
      { units: actor.unitIds, buyers: buyers.map((b) => b.id) },
    );
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.q)
      qb.andWhere('(u.username ILIKE :q OR u.display_name ILIKE :q)', {
        q: `%${escapeLike(query.q)}%`,
      });
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'u.id' }, query, (rows) =>
      this.toDtos(this.db.manager, rows),
    );
  }

  async get(actor: Actor, id: string): Promise<UserDto> {
    const user = await this.findInScope(this.db.manager, actor, id);
    const [dto] = await this.toDtos(this.db.manager, [user]);
    return dto!;
  }

  private async findInScope(manager: EntityManager, actor: Actor, id: string): Promise<User> {
    const user = await manager.getRepository(User).findOneBy({ id });
    if (!user) throw notFound('User', id);
    if (user.role === 'buyer') {
      if (!user.buyerId || !(await this.buyerManaged(manager, actor, user.buyerId)))
        throw notFound('User', id);
      return user;
    }
    const units = await manager.getRepository(UserAdminUnit).findBy({ userId: id });
    const cooperative = user.cooperativeId
      ? await manager.getRepository(Cooperative).findOneBy({ id: user.cooperativeId })
      : null;
    const inScope =
      units.some((u) => actor.unitIds.includes(u.adminUnitId)) ||
      (cooperative !== null && actor.unitIds.includes(cooperative.communeId));
    if (!inScope) throw notFound('User', id);
    return user;
  }

  /** A buyer's accounts are managed by the districts that registered it or that its contracts reach. */
  private async buyerManaged(
    manager: EntityManager,
    actor: Actor,
    buyerId: string,
  ): Promise<boolean> {
    const params: unknown[] = [buyerId];
    const [row] = await manager.query<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM buyers b WHERE b.id = $1 AND ${buyerScopeSql(actor, 'b', params)}) AS found`,
      params,
    );
    return row?.found === true;
  }

  private async toDtos(manager: EntityManager, users: User[]): Promise<UserDto[]> {
    if (users.length === 0) return [];
    const units = await manager
      .getRepository(UserAdminUnit)
      .findBy({ userId: In(users.map((u) => u.id)) });
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      cooperativeId: u.cooperativeId,
      buyerId: u.buyerId,
      adminUnitIds: units.filter((x) => x.userId === u.id).map((x) => x.adminUnitId),
      isDemo: u.isDemo,
      disabled: u.disabledAt !== null,
      lockedUntil: u.lockedUntil && u.lockedUntil > new Date() ? u.lockedUntil.toISOString() : null,
      createdAt: u.createdAt.toISOString(),
    }));
  }
}

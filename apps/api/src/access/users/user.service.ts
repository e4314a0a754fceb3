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
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hashPassword } from '../auth/password.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import type { User } from '../auth/user.entity.js';
import { DomainError, notFound } from '../../platform/http/domain-error.js';
import { userRepository } from './user.repository.js';

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
      const cooperative = await userRepository.cooperative(this.db.manager, dto.cooperativeId);
      if (!cooperative || !actor.unitIds.includes(cooperative.communeId)) {
        throw scopeInvalid('cooperativeId', 'No such cooperative within your admin units.');
      }
    }
    if (dto.buyerId && !(await userRepository.buyerManaged(this.db.manager, actor, dto.buyerId))) {
      throw scopeInvalid('buyerId', 'No such buyer within your admin units.');
    }
    assertPasswordAcceptable(dto.password, [dto.username, dto.displayName]);
    const passwordHash = await hashPassword(dto.password);
    const id = await this.db.transaction(async (manager) => {
      const { password: _password, adminUnitIds, ...fields } = dto;
      const saved = await userRepository.insert(manager, { ...fields, passwordHash }, adminUnitIds);
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
      await userRepository.update(manager, id, {
        ...(dto.displayName !== undefined && { displayName: dto.displayName }),
        ...(passwordHash !== undefined && { passwordHash }),
        ...((passwordHash !== undefined || dto.unlock) && { failedLogins: 0, lockedUntil: null }),
        ...(dto.disabled !== undefined && { disabledAt: dto.disabled ? new Date() : null }),
        ...(endSessions && { tokenVersion: user.tokenVersion + 1 }),
      });
      if (endSessions) await userRepository.endSessionsOf(manager, id);
      await this.audit.record(manager, actor, {
        action: dto.disabled === true ? 'user.disable' : dto.unlock ? 'user.unlock' : 'user.update',
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
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const user = await this.findInScope(manager, actor, id);
      await userRepository.delete(manager, id);
      await this.audit.record(manager, actor, {
        action: 'user.delete',
        entity: 'user',
        entityId: id,
        before: { username: user.username, role: user.role },
      });
    });
  }

  list(actor: Actor, query: UserListQuery): Promise<Page<UserDto>> {
    return userRepository.page(this.db.manager, actor, query, (rows) =>
      this.toDtos(this.db.manager, rows),
    );
  }

  async get(actor: Actor, id: string): Promise<UserDto> {
    const user = await this.findInScope(this.db.manager, actor, id);
    const [dto] = await this.toDtos(this.db.manager, [user]);
    return dto!;
  }

  private async findInScope(manager: EntityManager, actor: Actor, id: string): Promise<User> {
    const user = await userRepository.find(manager, id);
    if (!user) throw notFound('User', id);
    if (user.role === 'buyer') {
      if (!user.buyerId || !(await userRepository.buyerManaged(manager, actor, user.buyerId)))
        throw notFound('User', id);
      return user;
    }
    const units = await userRepository.unitsOf(manager, [id]);
    const cooperative = user.cooperativeId
      ? await userRepository.cooperative(manager, user.cooperativeId)
      : null;
    const inScope =
      units.some((u) => actor.unitIds.includes(u.adminUnitId)) ||
      (cooperative !== null && actor.unitIds.includes(cooperative.communeId));
    if (!inScope) throw notFound('User', id);
    return user;
  }

  private async toDtos(manager: EntityManager, users: User[]): Promise<UserDto[]> {
    if (users.length === 0) return [];
    const units = await userRepository.unitsOf(
      manager,
      users.map((u) => u.id),
    );
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

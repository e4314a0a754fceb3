import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  COOPERATIVE_STATUS_TRANSITIONS,
  type CooperativeDto,
  type CooperativeListQuery,
  type CooperativeStatus,
  type CooperativeStatusChangeDto,
  type CooperativeStatusChangeInput,
  type CreateCooperativeDto,
  type Page,
  type UpdateCooperativeDto,
} from '@huuco/domain';
import { In, type DataSource } from 'typeorm';
import { AdminUnit } from '../admin-units/admin-unit.entity.js';
import { escapeLike, toAdminUnitRef } from '../admin-units/admin-unit.service.js';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { DomainError, notFound, referenceNotFound } from '../../platform/http/domain-error.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';
import {
  changeById,
  changesOf,
  recordNextChange,
  toChangeDto,
} from '../status-history.repository.js';
import { Cooperative } from './cooperative.entity.js';

const SORT_COLUMNS = { name: 'c.name', registrationNumber: 'c.registration_number' } as const;

@Injectable()
export class CooperativeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: RegistryEvents,
  ) {}

  async create(actor: Actor, dto: CreateCooperativeDto): Promise<CooperativeDto> {
    await this.assertCommune(actor, dto.communeId);
    const id = await this.db.transaction(async (manager) => {
      const repo = manager.getRepository(Cooperative);
      const saved = await repo.save(repo.create({ ...dto, initialStatus: dto.status }));
      await this.audit.record(manager, actor, {
        action: 'cooperative.create',
        entity: 'cooperative',
        entityId: saved.id,
        after: dto,
      });
      return saved.id;
    });
    return this.get(id);
  }

  async update(actor: Actor, id: string, dto: UpdateCooperativeDto): Promise<CooperativeDto> {
    if (dto.communeId) await this.assertCommune(actor, dto.communeId);
    await this.db.transaction(async (manager) => {
      const repo = manager.getRepository(Cooperative);
      const cooperative = await repo.findOne({
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!cooperative || !actor.unitIds.includes(cooperative.communeId))
        throw notFound('Cooperative', id);
      const before = { ...cooperative };
      await repo.save(Object.assign(cooperative, dto));
      await this.audit.record(manager, actor, {
        action: 'cooperative.update',
        entity: 'cooperative',
        entityId: id,
        before,
        after: cooperative,
      });
      await this.events.emit(manager, { kind: 'cooperative.changed', cooperativeId: id });
    });
    return this.get(id);
  }

  /** Inactive from a date (or active again), with the reason; today's status follows. */
  async changeStatus(
    actor: Actor,
    id: string,
    input: CooperativeStatusChangeInput,
  ): Promise<CooperativeStatusChangeDto> {
    const changeId = await this.db.transaction(async (manager) => {
      const repo = manager.getRepository(Cooperative);
      const cooperative = await repo.findOne({
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!cooperative || !actor.unitIds.includes(cooperative.communeId))
        throw notFound('Cooperative', id);
      const { changeId, today } = await recordNextChange(
        manager,
        'cooperative',
        id,
        cooperative.initialStatus,
        input,
        COOPERATIVE_STATUS_TRANSITIONS,
        'COOPERATIVE_STATUS_TRANSITION_INVALID',
        actor.username,
      );
      await repo.update(id, { status: today });
      await this.audit.record(manager, actor, {
        action: `cooperative.${input.status}`,
        entity: 'cooperative',
        entityId: id,
        details: { effectiveOn: input.effectiveOn, reason: input.reason },
      });
      await this.events.emit(manager, { kind: 'cooperative.changed', cooperativeId: id });
      return changeId;
    });
    return changeById<CooperativeStatus>(this.db.manager, 'cooperative', id, changeId);
  }

  async statusChanges(id: string): Promise<CooperativeStatusChangeDto[]> {
    await this.get(id);
    return (await changesOf<CooperativeStatus>(this.db.manager, 'cooperative', [id])).map(
      toChangeDto,
    );
  }

  async list(query: CooperativeListQuery): Promise<Page<CooperativeDto>> {
    const qb = this.db.getRepository(Cooperative).createQueryBuilder('c');
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.communeId) qb.andWhere('c.commune_id = :communeId', { communeId: query.communeId });
    if (query.q) qb.andWhere('c.name ILIKE :q', { q: `%${escapeLike(query.q)}%` });
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'c.id' }, query, (rows) =>
      this.toDtos(rows),
    );
  }

  async get(id: string): Promise<CooperativeDto> {
    const cooperative = await this.db.getRepository(Cooperative).findOneBy({ id });
    if (!cooperative) throw notFound('Cooperative', id);
    const [dto] = await this.toDtos([cooperative]);
    return dto!;
  }

  private async assertCommune(actor: Actor, communeId: string): Promise<void> {
    const commune = await this.db.getRepository(AdminUnit).findOneBy({ id: communeId });
    if (!commune || !actor.unitIds.includes(communeId))
      throw referenceNotFound('communeId', 'Commune');
    if (commune.level !== 'commune') {
      throw new DomainError('VALIDATION_FAILED', `${commune.name} is not a commune.`, [
        { path: 'communeId', code: 'NOT_A_COMMUNE', message: 'Must be a commune.' },
      ]);
    }
  }

  private async toDtos(cooperatives: Cooperative[]): Promise<CooperativeDto[]> {
    if (cooperatives.length === 0) return [];
    const ids = cooperatives.map((c) => c.id);
    const communes = await this.db
      .getRepository(AdminUnit)
      .findBy({ id: In(cooperatives.map((c) => c.communeId)) });
    const counts = await this.db.query<{ cooperative_id: string; n: number }[]>(
      'SELECT cooperative_id, count(*) AS n FROM households WHERE cooperative_id = ANY($1) GROUP BY cooperative_id',
      [ids],
    );
    return cooperatives.map((c) => ({
      id: c.id,
      name: c.name,
      registrationNumber: c.registrationNumber,
      commune: toAdminUnitRef(communes.find((u) => u.id === c.communeId)!),
      status: c.status,
      foundedOn: c.foundedOn,
      address: c.address,
      householdCount: counts.find((row) => row.cooperative_id === c.id)?.n ?? 0,
      isDemo: c.isDemo,
    }));
  }
}

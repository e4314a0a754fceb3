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
  type RecordChangeDto,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { toAdminUnitRef } from '../admin-units/admin-unit.service.js';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { DomainError, notFound, referenceNotFound } from '../../platform/http/domain-error.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';
import {
  changeById,
  changesOf,
  recordNextChange,
  toChangeDto,
} from '../status-history.repository.js';
import type { Cooperative } from './cooperative.entity.js';
import { cooperativeRepository } from './cooperative.repository.js';

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
      const saved = await cooperativeRepository.insert(manager, dto);
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
      const cooperative = await cooperativeRepository.lockInScope(manager, actor, id);
      if (!cooperative) throw notFound('Cooperative', id);
      const before = { ...cooperative };
      await cooperativeRepository.save(manager, Object.assign(cooperative, dto));
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
      const cooperative = await cooperativeRepository.lockInScope(manager, actor, id);
      if (!cooperative) throw notFound('Cooperative', id);
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
      await cooperativeRepository.setStatus(manager, id, today);
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

  list(query: CooperativeListQuery): Promise<Page<CooperativeDto>> {
    return cooperativeRepository.page(this.db.manager, query, (rows) => this.toDtos(rows));
  }

  /** The cooperative's changes, for its timeline. */
  async changes(id: string): Promise<RecordChangeDto[]> {
    await this.get(id);
    return this.audit.changesOf('cooperative', id);
  }

  async get(id: string): Promise<CooperativeDto> {
    const cooperative = await cooperativeRepository.find(this.db.manager, id);
    if (!cooperative) throw notFound('Cooperative', id);
    const [dto] = await this.toDtos([cooperative]);
    return dto!;
  }

  private async assertCommune(actor: Actor, communeId: string): Promise<void> {
    const commune = await cooperativeRepository.unit(this.db.manager, communeId);
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
    const communes = await cooperativeRepository.units(
      this.db.manager,
      cooperatives.map((c) => c.communeId),
    );
    const counts = await cooperativeRepository.householdCounts(this.db.manager, ids);
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

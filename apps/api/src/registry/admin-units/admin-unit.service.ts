import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  AdminUnitDto,
  AdminUnitListQuery,
  AdminUnitRef,
  CreateAdminUnitDto,
  CreateSuccessionDto,
  Page,
  SuccessionDto,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { raiseScopeGeneration } from '../../access/auth/scope.service.js';
import { DomainError, notFound, referenceNotFound } from '../../platform/http/domain-error.js';
import type { AdminUnit, AdminUnitSuccession } from './admin-unit.entity.js';
import { adminUnitRepository } from './admin-unit.repository.js';

const PARENT_LEVELS: Record<AdminUnit['level'], AdminUnit['level'][]> = {
  province: [],
  district: ['province'],
  // Since 1 July 2025 communes sit directly under provinces.
  commune: ['district', 'province'],
};

export function toAdminUnitRef(unit: AdminUnit): AdminUnitRef {
  return { id: unit.id, code: unit.code, name: unit.name, level: unit.level };
}

@Injectable()
export class AdminUnitService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, dto: CreateAdminUnitDto): Promise<AdminUnitDto> {
    if (dto.validTo !== null && dto.validTo <= dto.validFrom) {
      throw new DomainError('DATE_RANGE_INVALID', 'validTo must come after validFrom.', [
        { path: 'validTo', code: 'DATE_RANGE_INVALID', message: 'Must come after validFrom.' },
      ]);
    }
    const allowed = PARENT_LEVELS[dto.level];
    if (dto.parentId === null && allowed.length > 0) {
      throw parentInvalid(`A ${dto.level} needs a parent (${allowed.join(' or ')}).`);
    }
    if (dto.parentId !== null) {
      const parent = await adminUnitRepository.find(this.db.manager, dto.parentId);
      if (!parent || !actor.unitIds.includes(parent.id))
        throw referenceNotFound('parentId', 'Admin unit');
      if (!allowed.includes(parent.level)) {
        throw parentInvalid(`A ${dto.level} cannot sit under a ${parent.level}.`);
      }
    }
    if (
      dto.parentId === null &&
      !(await adminUnitRepository.holdsProvince(this.db.manager, actor.id))
    ) {
      throw parentInvalid('Only a provincial administrator creates top-level units.');
    }
    const id = await this.db.transaction(async (manager) => {
      const saved = await adminUnitRepository.insert(manager, dto);
      await this.audit.record(manager, actor, {
        action: 'admin_unit.create',
        entity: 'admin_unit',
        entityId: saved.id,
        after: dto,
      });
      // The new unit joins the scope of everyone holding its parent, in every process.
      await raiseScopeGeneration(manager);
      return saved.id;
    });
    return this.get(id);
  }

  list(query: AdminUnitListQuery): Promise<Page<AdminUnitDto>> {
    return adminUnitRepository.page(this.db.manager, query, (units) =>
      this.withSuccessions(this.db.manager, units),
    );
  }

  async get(id: string): Promise<AdminUnitDto> {
    const unit = await adminUnitRepository.find(this.db.manager, id);
    if (!unit) throw notFound('Admin unit', id);
    const [dto] = await this.withSuccessions(this.db.manager, [unit]);
    return dto!;
  }

  /** Records a reform step: predecessors end on `effectiveOn`, successors start on it. */
  async createSuccession(actor: Actor, dto: CreateSuccessionDto): Promise<AdminUnitDto[]> {
    const shape = {
      merge: dto.successorIds.length === 1 && dto.predecessorIds.length >= 1,
      split: dto.predecessorIds.length === 1 && dto.successorIds.length >= 2,
      rename: dto.predecessorIds.length === 1 && dto.successorIds.length === 1,
      abolish: dto.successorIds.length === 0,
    }[dto.kind];
    if (!shape) {
      throw successionInvalid(
        'successorIds',
        'A merge has one successor, a split several, a rename one of each, an abolition none.',
      );
    }
    const ids = await this.db.transaction(async (manager) => {
      const units = await adminUnitRepository.lockMany(manager, [
        ...dto.predecessorIds,
        ...dto.successorIds,
      ]);
      const byId = new Map(units.map((unit) => [unit.id, unit]));
      for (const [index, id] of dto.predecessorIds.entries()) {
        const unit = byId.get(id);
        if (!unit || !actor.unitIds.includes(id))
          throw referenceNotFound(`predecessorIds.${index}`, 'Admin unit');
        if (unit.validTo !== null && unit.validTo !== dto.effectiveOn) {
          throw successionInvalid(
            `predecessorIds.${index}`,
            `${unit.name} already ended on ${unit.validTo}.`,
          );
        }
        if (unit.validFrom >= dto.effectiveOn) {
          throw successionInvalid(
            `predecessorIds.${index}`,
            `${unit.name} begins after the reform.`,
          );
        }
      }
      for (const [index, id] of dto.successorIds.entries()) {
        const unit = byId.get(id);
        if (!unit) throw referenceNotFound(`successorIds.${index}`, 'Admin unit');
        if (unit.validFrom !== dto.effectiveOn) {
          throw successionInvalid(
            `successorIds.${index}`,
            `${unit.name} must begin on ${dto.effectiveOn}.`,
          );
        }
      }
      await adminUnitRepository.endOn(manager, dto.predecessorIds, dto.effectiveOn);
      const links = dto.predecessorIds.flatMap((predecessorId) =>
        (dto.successorIds.length ? dto.successorIds : [null]).map((successorId) => ({
          kind: dto.kind,
          predecessorId,
          successorId,
          effectiveOn: dto.effectiveOn,
          legalBasis: dto.legalBasis,
        })),
      );
      await adminUnitRepository.insertSuccessions(manager, links);
      await this.audit.record(manager, actor, {
        action: `admin_unit.${dto.kind}`,
        entity: 'admin_unit',
        entityId: dto.successorIds[0] ?? dto.predecessorIds[0]!,
        after: dto,
      });
      // Successors join the scope of everyone who held a predecessor, in every process.
      await raiseScopeGeneration(manager);
      return [...dto.predecessorIds, ...dto.successorIds];
    });
    const units = await adminUnitRepository.findMany(this.db.manager, ids);
    return this.withSuccessions(this.db.manager, units);
  }

  private async withSuccessions(
    manager: EntityManager,
    units: AdminUnit[],
  ): Promise<AdminUnitDto[]> {
    if (units.length === 0) return [];
    const ids = units.map((unit) => unit.id);
    const links = await adminUnitRepository.successionsOf(manager, ids);
    const otherIds = new Set(links.flatMap((link) => [link.predecessorId, link.successorId]));
    const others = await adminUnitRepository.findMany(
      manager,
      [...otherIds].filter((id): id is string => id !== null),
    );
    const byId = new Map(others.map((unit) => [unit.id, unit]));
    const succession = (link: AdminUnitSuccession, other: string | null): SuccessionDto[] => {
      const unit = other ? byId.get(other) : undefined;
      return unit
        ? [
            {
              kind: link.kind,
              effectiveOn: link.effectiveOn,
              legalBasis: link.legalBasis,
              unit: toAdminUnitRef(unit),
            },
          ]
        : [];
    };
    return units.map((unit) => ({
      ...toAdminUnitRef(unit),
      parentId: unit.parentId,
      validFrom: unit.validFrom,
      validTo: unit.validTo,
      legalBasis: unit.legalBasis,
      predecessors: links
        .filter((l) => l.successorId === unit.id)
        .flatMap((l) => succession(l, l.predecessorId)),
      successors: links
        .filter((l) => l.predecessorId === unit.id)
        .flatMap((l) => succession(l, l.successorId)),
      abolished: abolition(links.find((l) => l.predecessorId === unit.id && l.kind === 'abolish')),
      isDemo: unit.isDemo,
    }));
  }
}

function abolition(link: AdminUnitSuccession | undefined): AdminUnitDto['abolished'] {
  return link ? { effectiveOn: link.effectiveOn, legalBasis: link.legalBasis } : null;
}

function parentInvalid(message: string): DomainError {
  return new DomainError('ADMIN_UNIT_PARENT_INVALID', message, [
    { path: 'parentId', code: 'ADMIN_UNIT_PARENT_INVALID', message },
  ]);
}

function successionInvalid(path: string, message: string): DomainError {
  return new DomainError('ADMIN_UNIT_SUCCESSION_INVALID', message, [
    { path, code: 'ADMIN_UNIT_SUCCESSION_INVALID', message },
  ]);
}

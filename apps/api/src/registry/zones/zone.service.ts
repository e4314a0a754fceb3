import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  areaInUnits,
  areaM2,
  bboxOf,
  checkZoneArea,
  GeometryRules,
  M2_PER_HA,
  shareInside,
  ZONE_STATUS_TRANSITIONS,
  type AreaGeometry,
  type ZoneStatus,
  type ZoneStatusChangeDto,
  type ZoneStatusChangeInput,
  type CreateZoneDto,
  type Page,
  type UpdateZoneDto,
  type ZoneDto,
  type ZoneListQuery,
  type RecordChangeDto,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { toAdminUnitRef } from '../admin-units/admin-unit.service.js';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { DomainError, notFound, referenceNotFound } from '../../platform/http/domain-error.js';
import { assertOutline, throwGeometryIssue } from '../../platform/http/geometry-checks.js';
import { toBox } from '../../platform/database/columns.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';
import {
  changeById,
  changesOf,
  recordNextChange,
  toChangeDto,
} from '../status-history.repository.js';
import type { Zone } from './zone.entity.js';
import { zoneRepository } from './zone.repository.js';

@Injectable()
export class ZoneService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: RegistryEvents,
  ) {}

  async create(actor: Actor, dto: CreateZoneDto): Promise<ZoneDto> {
    const measured = measureZone(dto.geometry);
    const id = await this.db.transaction(async (manager) => {
      await assertCommunes(manager, actor, dto.communeIds);
      const saved = await zoneRepository.insert(manager, {
        code: dto.code,
        name: dto.name,
        kind: dto.kind,
        status: 'planned',
        geometry: dto.geometry,
        ...measured,
        targetAreaM2: dto.targetAreaHa === null ? null : dto.targetAreaHa * M2_PER_HA,
        products: dto.products,
      });
      await zoneRepository.setCommunes(manager, saved.id, dto.communeIds);
      await this.audit.record(manager, actor, {
        action: 'zone.create',
        entity: 'zone',
        entityId: saved.id,
        after: { ...dto, areaM2: measured.areaM2 },
      });
      return saved.id;
    });
    return this.get(id);
  }

  async update(actor: Actor, id: string, dto: UpdateZoneDto): Promise<ZoneDto> {
    await this.db.transaction(async (manager) => {
      const zone = await zoneRepository.lockInScope(manager, actor, id);
      if (!zone) throw notFound('Zone', id);
      const before = { ...zone };
      if (dto.geometry) {
        Object.assign(zone, { geometry: dto.geometry, ...measureZone(dto.geometry) });
        await assertPlotsStayInside(manager, id, dto.geometry);
      }
      if (dto.name !== undefined) zone.name = dto.name;
      if (dto.kind !== undefined) zone.kind = dto.kind;
      if (dto.products !== undefined) zone.products = dto.products;
      if (dto.targetAreaHa !== undefined) {
        zone.targetAreaM2 = dto.targetAreaHa === null ? null : dto.targetAreaHa * M2_PER_HA;
      }
      await zoneRepository.save(manager, zone);
      await this.audit.record(manager, actor, {
        action: 'zone.update',
        entity: 'zone',
        entityId: id,
        before,
        after: zone,
        details: { changed: Object.keys(dto) },
      });
      await this.events.emit(manager, { kind: 'zone.changed', zoneId: id });
      if (dto.communeIds) {
        await assertCommunes(manager, actor, dto.communeIds);
        await zoneRepository.setCommunes(manager, id, dto.communeIds);
      }
    });
    return this.get(id);
  }

  /** Suspend, reinstate…: from a date, with a reason; today's status follows the history. */
  async changeStatus(
    actor: Actor,
    id: string,
    input: ZoneStatusChangeInput,
  ): Promise<ZoneStatusChangeDto> {
    const changeId = await this.db.transaction(async (manager) => {
      const zone = await zoneRepository.lockInScope(manager, actor, id);
      if (!zone) throw notFound('Zone', id);
      const { changeId, today } = await recordNextChange(
        manager,
        'zone',
        id,
        zone.initialStatus,
        input,
        ZONE_STATUS_TRANSITIONS,
        'ZONE_STATUS_TRANSITION_INVALID',
        actor.username,
      );
      await zoneRepository.setStatus(manager, id, today);
      await this.audit.record(manager, actor, {
        action: `zone.${input.status}`,
        entity: 'zone',
        entityId: id,
        details: { effectiveOn: input.effectiveOn, reason: input.reason },
      });
      await this.events.emit(manager, { kind: 'zone.changed', zoneId: id });
      return changeId;
    });
    return changeById<ZoneStatus>(this.db.manager, 'zone', id, changeId);
  }

  async statusChanges(id: string): Promise<ZoneStatusChangeDto[]> {
    await this.get(id);
    return (await changesOf<ZoneStatus>(this.db.manager, 'zone', [id])).map(toChangeDto);
  }

  list(query: ZoneListQuery): Promise<Page<ZoneDto>> {
    return zoneRepository.page(this.db.manager, query, (rows) => this.toDtos(rows));
  }

  /** The zone's changes, for its timeline. */
  async changes(id: string): Promise<RecordChangeDto[]> {
    await this.get(id);
    return this.audit.changesOf('zone', id);
  }

  async get(id: string): Promise<ZoneDto> {
    const zone = await zoneRepository.find(this.db.manager, id);
    if (!zone) throw notFound('Zone', id);
    const [dto] = await this.toDtos([zone]);
    return dto!;
  }

  private async toDtos(zones: Zone[]): Promise<ZoneDto[]> {
    if (zones.length === 0) return [];
    const { links, units: communes } = await zoneRepository.communesOf(
      this.db.manager,
      zones.map((z) => z.id),
    );
    const byId = new Map(communes.map((c) => [c.id, toAdminUnitRef(c)]));
    return zones.map((zone) => ({
      id: zone.id,
      code: zone.code,
      name: zone.name,
      kind: zone.kind,
      status: zone.status,
      communes: links
        .filter((l) => l.zoneId === zone.id)
        .flatMap((l) => byId.get(l.communeId) ?? []),
      products: zone.products,
      area: areaInUnits(zone.areaM2),
      targetArea: zone.targetAreaM2 === null ? null : areaInUnits(zone.targetAreaM2),
      geometry: zone.geometry,
      isDemo: zone.isDemo,
      createdAt: zone.createdAt.toISOString(),
      updatedAt: zone.updatedAt.toISOString(),
    }));
  }
}

/** Rule 1 for zones: a valid outline of 1–50,000 ha. */
function measureZone(geometry: AreaGeometry): { areaM2: number; bbox: string } {
  assertOutline(geometry);
  const area = areaM2(geometry);
  const issue = checkZoneArea(area);
  if (issue) throwGeometryIssue(issue);
  return { areaM2: Math.round(area * 100) / 100, bbox: toBox(bboxOf(geometry)) };
}

/** Rule 1 from the zone's side: a moved outline keeps each of its plots ≥ 95 % inside. */
async function assertPlotsStayInside(
  manager: EntityManager,
  zoneId: string,
  geometry: AreaGeometry,
): Promise<void> {
  const outside = (await zoneRepository.plotOutlines(manager, zoneId))
    .map((plot) => ({ plot, inside: shareInside(plot.geometry, geometry) }))
    .filter(({ inside }) => inside < GeometryRules.minShareInsideZone);
  if (outside.length === 0) return;
  throw new DomainError(
    'PLOT_OUTSIDE_ZONE',
    `${outside.length} of the zone's plots would lie less than 95 % inside the new outline.`,
    outside.slice(0, 500).map(({ plot, inside }) => ({
      path: 'geometry',
      code: 'PLOT_OUTSIDE_ZONE',
      message: `Only ${Math.round(inside * 1000) / 10} % of plot ${plot.code} would lie inside.`,
      plotId: plot.id,
      plotCode: plot.code,
      shareInside: Math.round(inside * 10_000) / 10_000,
    })),
  );
}

async function assertCommunes(
  manager: EntityManager,
  actor: Actor,
  communeIds: string[],
): Promise<void> {
  const found = await zoneRepository.units(manager, communeIds);
  for (const [index, communeId] of communeIds.entries()) {
    const unit = found.find((u) => u.id === communeId);
    if (!unit || !actor.unitIds.includes(communeId))
      throw referenceNotFound(`communeIds.${index}`, 'Commune');
    if (unit.level !== 'commune') {
      throw new DomainError(
        'VALIDATION_FAILED',
        `${unit.name} is a ${unit.level}, not a commune.`,
        [{ path: `communeIds.${index}`, code: 'NOT_A_COMMUNE', message: 'Must be a commune.' }],
      );
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  todayIso,
  type CloseNonComplianceDto,
  type CreateInspectionDto,
  type InspectionCoverageDto,
  type InspectionDto,
  type InspectionListQuery,
  type Page,
  type RecordInspectionDto,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import { idempotency, keyedRequest } from '../../platform/http/idempotency.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';
import { inspectionRepository } from './inspection.repository.js';

/**
 * Internal inspections (ICS and PGS) of households and plots. A major non-compliance, while
 * open, suspends its plot: the organic status derivation reads it, so harvests recorded then
 * are stamped suspended and lots made from them are not organic.
 */
@Injectable()
export class InspectionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly registry: RegistryEvents,
  ) {}

  /** With an `Idempotency-Key`, a device's retry gets the first answer and plans nothing new. */
  async create(actor: Actor, dto: CreateInspectionDto, key: string | null): Promise<InspectionDto> {
    const request = keyedRequest(actor.id, key, 'POST /inspections', dto);
    const first = await idempotency.answered<InspectionDto>(this.db.manager, request);
    if (first) return first;
    return idempotency.transaction(this.db, request, async (manager) => {
      const cooperativeId = await this.subjectCooperative(
        manager,
        actor,
        dto.householdId,
        dto.plotId,
      );
      const inspectionId = await inspectionRepository.insert(
        manager,
        dto,
        cooperativeId,
        actor.username,
      );
      if (dto.inspectedOn)
        await this.addNonCompliances(
          manager,
          inspectionId,
          cooperativeId,
          dto.inspectedOn,
          dto.nonCompliances,
        );
      await this.audit.record(manager, actor, {
        action: 'inspection.create',
        entity: 'inspection',
        entityId: inspectionId,
        after: dto,
      });
      return (await inspectionRepository.find(manager, actor, inspectionId))!;
    });
  }

  /**
   * Findings are recorded once. Sent again with the same `Idempotency-Key` (a device's retry),
   * the first answer comes back; recorded meanwhile by someone else, the refusal carries what
   * they recorded so the device can show both.
   */
  async record(
    actor: Actor,
    id: string,
    dto: RecordInspectionDto,
    key: string | null,
  ): Promise<InspectionDto> {
    const request = keyedRequest(actor.id, key, `POST /inspections/${id}/record`, dto);
    const first = await idempotency.answered<InspectionDto>(this.db.manager, request);
    if (first) return first;
    const inspection = await this.get(actor, id);
    return idempotency.transaction(this.db, request, async (manager) => {
      if (!(await inspectionRepository.recordOnce(manager, id, dto, actor.username))) {
        const recorded = (await inspectionRepository.find(manager, actor, id))!;
        throw fieldError(
          'INSPECTION_ALREADY_RECORDED',
          'inspectedOn',
          'This inspection is already recorded; plan a new one.',
          {
            inspectedOn: recorded.inspectedOn,
            inspector: recorded.inspector,
            findings: recorded.findings,
          },
        );
      }
      await this.addNonCompliances(
        manager,
        id,
        inspection.cooperativeId,
        dto.inspectedOn,
        dto.nonCompliances,
      );
      await this.audit.record(manager, actor, {
        action: 'inspection.record',
        entity: 'inspection',
        entityId: id,
        after: dto,
      });
      return (await inspectionRepository.find(manager, actor, id))!;
    });
  }

  private async addNonCompliances(
    manager: EntityManager,
    inspectionId: string,
    cooperativeId: string,
    openedOn: string,
    items: RecordInspectionDto['nonCompliances'],
  ): Promise<void> {
    if (openedOn > todayIso())
      throw fieldError(
        'VALIDATION_FAILED',
        'inspectedOn',
        'An inspection is recorded once it took place.',
      );
    for (const [index, item] of items.entries()) {
      if (
        (await inspectionRepository.cooperativeOf(manager, 'plots', item.plotId)) !== cooperativeId
      ) {
        throw fieldError(
          'REFERENCE_NOT_FOUND',
          `nonCompliances.${index}.plotId`,
          'No plot of the inspected cooperative with this id.',
        );
      }
      await inspectionRepository.insertNonCompliance(manager, inspectionId, openedOn, item);
      // A major finding suspends the plot from the day it was found, which may be past.
      if (item.severity === 'major') {
        await this.registry.emit(manager, {
          kind: 'plot.changed',
          plotId: item.plotId,
          cooperativeId,
        });
      }
    }
  }

  /** Closing a major non-compliance lifts the plot's suspension from that day. */
  async closeNonCompliance(
    actor: Actor,
    id: string,
    dto: CloseNonComplianceDto,
  ): Promise<InspectionDto> {
    const row = await inspectionRepository.nonCompliance(this.db.manager, id);
    if (!row) throw notFound('Non-compliance', id);
    const inspection = await this.get(actor, row.inspection_id);
    if (dto.closedOn > todayIso())
      throw fieldError(
        'VALIDATION_FAILED',
        'closedOn',
        'A non-compliance closes on or before today.',
      );
    await this.db.transaction(async (manager) => {
      if (!(await inspectionRepository.closeOnce(manager, id, dto, actor.username)))
        throw fieldError(
          'NON_COMPLIANCE_ALREADY_CLOSED',
          'closedOn',
          'This non-compliance is already closed.',
        );
      await this.audit.record(manager, actor, {
        action: 'non_compliance.close',
        entity: 'non_compliance',
        entityId: id,
        after: dto,
      });
      await this.registry.emit(manager, {
        kind: 'plot.changed',
        plotId: row.plot_id,
        cooperativeId: inspection.cooperativeId,
      });
    });
    return this.get(actor, row.inspection_id);
  }

  async get(actor: Actor, id: string): Promise<InspectionDto> {
    const inspection = await inspectionRepository.find(this.db.manager, actor, id);
    if (!inspection) throw notFound('Inspection', id);
    return inspection;
  }

  list(actor: Actor, query: InspectionListQuery): Promise<Page<InspectionDto>> {
    return inspectionRepository.page(this.db.manager, actor, query);
  }

  /** Every member at least once a year: households inspected this year against all households. */
  async coverage(actor: Actor, year: number): Promise<InspectionCoverageDto> {
    const rows = await inspectionRepository.membersInspected(this.db.manager, actor, year);
    const inspected = rows.filter((r) => r.inspected).length;
    return {
      year,
      households: rows.length,
      inspected,
      share: rows.length ? inspected / rows.length : null,
      notInspected: rows
        .filter((r) => !r.inspected)
        .slice(0, 200)
        .map((r) => ({ id: r.id, headName: r.head_name, cooperativeName: r.cooperative_name })),
    };
  }

  private async subjectCooperative(
    manager: EntityManager,
    actor: Actor,
    householdId: string | null,
    plotId: string | null,
  ): Promise<string> {
    const household = householdId
      ? await inspectionRepository.cooperativeOf(manager, 'households', householdId)
      : null;
    const plot = plotId ? await inspectionRepository.cooperativeOf(manager, 'plots', plotId) : null;
    if (householdId && !household)
      throw fieldError('REFERENCE_NOT_FOUND', 'householdId', 'No household with this id.');
    if (plotId && !plot) throw fieldError('REFERENCE_NOT_FOUND', 'plotId', 'No plot with this id.');
    const cooperativeId = (household ?? plot)!;
    if (household && plot && household !== plot) {
      throw fieldError(
        'VALIDATION_FAILED',
        'plotId',
        'The plot is not the household’s cooperative’s.',
      );
    }
    if (!(await cooperativeWritable(manager, actor, cooperativeId))) {
      throw fieldError(
        'REFERENCE_NOT_FOUND',
        householdId ? 'householdId' : 'plotId',
        'No record with this id.',
      );
    }
    return cooperativeId;
  }
}

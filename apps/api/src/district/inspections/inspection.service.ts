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
import {
  cooperativeWritable,
  recordInScope,
  SCOPED,
  scopeSql,
} from '../../access/auth/record-scope.js';
import { affectedRows } from '../../platform/http/affected-rows.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { pageOf } from '../../platform/http/pagination.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';

interface InspectionRow {
  id: string;
  kind: 'ICS' | 'PGS';
  cooperative_id: string;
  household_id: string | null;
  household_name: string | null;
  plot_id: string | null;
  plot_code: string | null;
  planned_on: string;
  inspected_on: string | null;
  inspector_username: string;
  findings: string | null;
  non_compliances: InspectionDto['nonCompliances'] | null;
}

const SELECT_INSPECTION = `
  SELECT i.id, i.kind, i.cooperative_id, i.household_id, h.head_name AS household_name, i.plot_id, p.code AS plot_code,
         to_char(i.planned_on, 'YYYY-MM-DD') AS planned_on, to_char(i.inspected_on, 'YYYY-MM-DD') AS inspected_on,
         i.inspector_username, i.findings,
         (SELECT json_agg(json_build_object(
             'id', n.id, 'inspectionId', n.inspection_id, 'plotId', n.plot_id, 'plotCode', np.code, 'severity', n.severity,
             'description', n.description, 'sanction', n.sanction, 'openedOn', to_char(n.opened_on, 'YYYY-MM-DD'),
             'deadline', to_char(n.deadline, 'YYYY-MM-DD'), 'closedOn', to_char(n.closed_on, 'YYYY-MM-DD'),
             'closedReason', n.closed_reason,
             'overdue', n.closed_on IS NULL AND n.deadline < CURRENT_DATE) ORDER BY n.opened_on)
            FROM non_compliances n JOIN plots np ON np.id = n.plot_id WHERE n.inspection_id = i.id) AS non_compliances
    FROM inspections i
    LEFT JOIN households h ON h.id = i.household_id
    LEFT JOIN plots p ON p.id = i.plot_id`;

const toDto = (r: InspectionRow): InspectionDto => ({
  id: r.id,
  kind: r.kind,
  cooperativeId: r.cooperative_id,
  householdId: r.household_id,
  householdName: r.household_name,
  plotId: r.plot_id,
  plotCode: r.plot_code,
  plannedOn: r.planned_on,
  inspectedOn: r.inspected_on,
  inspector: r.inspector_username,
  findings: r.findings,
  nonCompliances: r.non_compliances ?? [],
});

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

  async create(actor: Actor, dto: CreateInspectionDto): Promise<InspectionDto> {
    const id = await this.db.transaction(async (manager) => {
      const cooperativeId = await this.subjectCooperative(
        manager,
        actor,
        dto.householdId,
        dto.plotId,
      );
      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO inspections (kind, cooperative_id, household_id, plot_id, planned_on, inspected_on, inspector_username, findings)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          dto.kind,
          cooperativeId,
          dto.householdId,
          dto.plotId,
          dto.plannedOn,
          dto.inspectedOn,
          actor.username,
          dto.findings,
        ],
      );
      if (dto.inspectedOn)
        await this.addNonCompliances(
          manager,
          row!.id,
          cooperativeId,
          dto.inspectedOn,
          dto.nonCompliances,
        );
      await this.audit.record(manager, actor, {
        action: 'inspection.create',
        entity: 'inspection',
        entityId: row!.id,
        after: dto,
      });
      return row!.id;
    });
    return this.get(actor, id);
  }

  /** A planned inspection takes place: its date, findings and any non-compliance. */
  async record(actor: Actor, id: string, dto: RecordInspectionDto): Promise<InspectionDto> {
    const inspection = await this.get(actor, id);
    await this.db.transaction(async (manager) => {
      const updated = await manager.query<unknown[]>(
        `UPDATE inspections SET inspected_on = $2, findings = $3, inspector_username = $4
          WHERE id = $1 AND inspected_on IS NULL RETURNING id`,
        [id, dto.inspectedOn, dto.findings, actor.username],
      );
      if (affectedRows(updated) === 0) {
        throw fieldError(
          'INSPECTION_ALREADY_RECORDED',
          'inspectedOn',
          'This inspection is already recorded; plan a new one.',
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
    });
    return this.get(actor, id);
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
      const [plot] = await manager.query<{ cooperative_id: string }[]>(
        'SELECT cooperative_id FROM plots WHERE id = $1',
        [item.plotId],
      );
      if (!plot || plot.cooperative_id !== cooperativeId) {
        throw fieldError(
          'REFERENCE_NOT_FOUND',
          `nonCompliances.${index}.plotId`,
          'No plot of the inspected cooperative with this id.',
        );
      }
      await manager.query(
        `INSERT INTO non_compliances (inspection_id, plot_id, severity, description, sanction, opened_on, deadline)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          inspectionId,
          item.plotId,
          item.severity,
          item.description,
          item.sanction,
          openedOn,
          item.deadline,
        ],
      );
      // A major finding suspends the plot from the day it was found, which may be past.
      if (item.severity === 'major') {
        await this.registry.emit(manager, { kind: 'plot.changed', plotId: item.plotId });
      }
    }
  }

  /** Closing a major non-compliance lifts the plot's suspension from that day. */
  async closeNonCompliance(
    actor: Actor,
    id: string,
    dto: CloseNonComplianceDto,
  ): Promise<InspectionDto> {
    const [row] = await this.db.query<{ inspection_id: string }[]>(
      'SELECT inspection_id FROM non_compliances WHERE id = $1',
      [id],
    );
    if (!row) throw notFound('Non-compliance', id);
    await this.get(actor, row.inspection_id);
    if (dto.closedOn > todayIso())
      throw fieldError(
        'VALIDATION_FAILED',
        'closedOn',
        'A non-compliance closes on or before today.',
      );
    await this.db.transaction(async (manager) => {
      const updated = await manager.query<unknown[]>(
        `UPDATE non_compliances SET closed_on = $2, closed_reason = $3, closed_by_username = $4
          WHERE id = $1 AND closed_on IS NULL RETURNING id`,
        [id, dto.closedOn, dto.reason, actor.username],
      );
      if (affectedRows(updated) === 0)
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
      const [closed] = await manager.query<{ plot_id: string }[]>(
        'SELECT plot_id FROM non_compliances WHERE id = $1',
        [id],
      );
      await this.registry.emit(manager, { kind: 'plot.changed', plotId: closed!.plot_id });
    });
    return this.get(actor, row.inspection_id);
  }

  async get(actor: Actor, id: string): Promise<InspectionDto> {
    const [row] = await this.db.query<InspectionRow[]>(`${SELECT_INSPECTION} WHERE i.id = $1`, [
      id,
    ]);
    if (!row || !(await recordInScope(this.db.manager, actor, SCOPED.inspections, id)))
      throw notFound('Inspection', id);
    return toDto(row);
  }

  async list(actor: Actor, query: InspectionListQuery): Promise<Page<InspectionDto>> {
    const params: unknown[] = [];
    const conditions = [scopeSql(actor, SCOPED.inspections, 'i', params)];
    if (query.cooperativeId)
      conditions.push(`i.cooperative_id = $${params.push(query.cooperativeId)}`);
    if (query.plotId) {
      const n = params.push(query.plotId);
      conditions.push(
        `(i.plot_id = $${n} OR EXISTS (SELECT 1 FROM non_compliances x WHERE x.inspection_id = i.id AND x.plot_id = $${n}))`,
      );
    }
    if (query.open === 'true')
      conditions.push(
        'EXISTS (SELECT 1 FROM non_compliances x WHERE x.inspection_id = i.id AND x.closed_on IS NULL)',
      );
    if (query.year)
      conditions.push(
        `extract(year FROM coalesce(i.inspected_on, i.planned_on)) = $${params.push(query.year)}`,
      );
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM inspections i ${where}`,
      params,
    )) as [{ total: number }];
    const rows = await this.db.query<InspectionRow[]>(
      `${SELECT_INSPECTION} ${where} ORDER BY coalesce(i.inspected_on, i.planned_on) DESC, i.id LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      params,
    );
    return pageOf(rows.map(toDto), total, { ...query, order: 'desc' });
  }

  /** Every member at least once a year: households inspected this year against all households. */
  async coverage(actor: Actor, year: number): Promise<InspectionCoverageDto> {
    const params: unknown[] = [year];
    const scope = scopeSql(actor, SCOPED.households, 'h', params);
    const rows = await this.db.query<
      { id: string; head_name: string; cooperative_name: string; inspected: boolean }[]
    >(
      `SELECT h.id, h.head_name, c.name AS cooperative_name,
              EXISTS (SELECT 1 FROM inspections i
                       WHERE i.inspected_on IS NOT NULL AND extract(year FROM i.inspected_on) = $1
                         AND (i.household_id = h.id OR i.plot_id IN (SELECT p.id FROM plots p WHERE p.household_id = h.id))) AS inspected
         FROM households h JOIN cooperatives c ON c.id = h.cooperative_id
        WHERE c.status = 'active' AND ${scope}
        ORDER BY c.name, h.head_name`,
      params,
    );
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
    const [household] = householdId
      ? await manager.query<{ cooperative_id: string }[]>(
          'SELECT cooperative_id FROM households WHERE id = $1',
          [householdId],
        )
      : [];
    const [plot] = plotId
      ? await manager.query<{ cooperative_id: string }[]>(
          'SELECT cooperative_id FROM plots WHERE id = $1',
          [plotId],
        )
      : [];
    if (householdId && !household)
      throw fieldError('REFERENCE_NOT_FOUND', 'householdId', 'No household with this id.');
    if (plotId && !plot) throw fieldError('REFERENCE_NOT_FOUND', 'plotId', 'No plot with this id.');
    const cooperativeId = (household ?? plot)!.cooperative_id;
    if (household && plot && household.cooperative_id !== plot.cooperative_id) {
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

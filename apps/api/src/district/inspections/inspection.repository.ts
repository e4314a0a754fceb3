import type {
  CreateInspectionDto,
  InspectionDto,
  InspectionListQuery,
  Page,
  RecordInspectionDto,
} from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { SCOPED, scopeSql } from '../../access/auth/record-scope.js';
import { affectedRows } from '../../platform/http/affected-rows.js';
import { escapeLike } from '../../platform/database/like.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';

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
            FROM non_compliances n JOIN plots np ON np.id = n.plot_id AND np.cooperative_id = i.cooperative_id WHERE n.inspection_id = i.id) AS non_compliances
    FROM inspections i
    LEFT JOIN households h ON h.id = i.household_id AND h.cooperative_id = i.cooperative_id
    LEFT JOIN plots p ON p.id = i.plot_id AND p.cooperative_id = i.cooperative_id`;

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

/** Inspections' SQL, all of it: inspections, their non-compliances, the yearly coverage. */
export const inspectionRepository = {
  /** The inspection with this id, if the actor sees it. */
  async find(manager: EntityManager, actor: Actor, id: string): Promise<InspectionDto | null> {
    const params: unknown[] = [id];
    const [row] = await manager.query<InspectionRow[]>(
      `${SELECT_INSPECTION} WHERE i.id = $1 AND ${scopeSql(actor, SCOPED.inspections, 'i', params)}`,
      params,
    );
    return row ? toDto(row) : null;
  },

  async page(
    manager: EntityManager,
    actor: Actor,
    query: InspectionListQuery,
  ): Promise<Page<InspectionDto>> {
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
    if (query.q) {
      const like = `$${params.push(`%${escapeLike(query.q)}%`)}`;
      conditions.push(
        `(h.head_name ILIKE ${like} OR p.code ILIKE ${like} OR i.findings ILIKE ${like}
          OR EXISTS (SELECT 1 FROM non_compliances x JOIN plots xp ON xp.id = x.plot_id
                      WHERE x.inspection_id = i.id AND xp.code ILIKE ${like}))`,
      );
    }
    const where = `WHERE ${conditions.join(' AND ')}`;
    const sort = {
      date: 'coalesce(i.inspected_on, i.planned_on)',
      kind: 'i.kind',
      household: 'h.head_name',
    }[query.sort];
    const [{ total }] = (await manager.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM inspections i
         LEFT JOIN households h ON h.id = i.household_id AND h.cooperative_id = i.cooperative_id
         LEFT JOIN plots p ON p.id = i.plot_id AND p.cooperative_id = i.cooperative_id ${where}`,
      params,
    )) as [{ total: number }];
    const rows = await manager.query<InspectionRow[]>(
      `${SELECT_INSPECTION} ${where} ORDER BY ${sort} ${sqlOrder(query)} NULLS LAST, i.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), total, query);
  },

  async insert(
    manager: EntityManager,
    dto: CreateInspectionDto,
    cooperativeId: string,
    inspector: string,
  ): Promise<string> {
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
        inspector,
        dto.findings,
      ],
    );
    return row!.id;
  },

  /** Records a planned inspection once; false if it already was. */
  async recordOnce(
    manager: EntityManager,
    id: string,
    dto: RecordInspectionDto,
    inspector: string,
  ): Promise<boolean> {
    const updated = await manager.query<unknown[]>(
      `UPDATE inspections SET inspected_on = $2, findings = $3, inspector_username = $4
        WHERE id = $1 AND inspected_on IS NULL RETURNING id`,
      [id, dto.inspectedOn, dto.findings, inspector],
    );
    return affectedRows(updated) > 0;
  },

  async insertNonCompliance(
    manager: EntityManager,
    inspectionId: string,
    openedOn: string,
    item: RecordInspectionDto['nonCompliances'][number],
  ): Promise<void> {
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
  },

  async nonCompliance(
    manager: EntityManager,
    id: string,
  ): Promise<{ inspection_id: string; plot_id: string } | null> {
    const [row] = await manager.query<{ inspection_id: string; plot_id: string }[]>(
      'SELECT inspection_id, plot_id FROM non_compliances WHERE id = $1',
      [id],
    );
    return row ?? null;
  },

  /** Closes an open non-compliance; false if it was closed already. */
  async closeOnce(
    manager: EntityManager,
    id: string,
    close: { closedOn: string; reason: string },
    by: string,
  ): Promise<boolean> {
    const updated = await manager.query<unknown[]>(
      `UPDATE non_compliances SET closed_on = $2, closed_reason = $3, closed_by_username = $4
        WHERE id = $1 AND closed_on IS NULL RETURNING id`,
      [id, close.closedOn, close.reason, by],
    );
    return affectedRows(updated) > 0;
  },

  async cooperativeOf(
    manager: EntityManager,
    table: 'households' | 'plots',
    id: string,
  ): Promise<string | null> {
    const [row] = await manager.query<{ cooperative_id: string }[]>(
      `SELECT cooperative_id FROM ${table} WHERE id = $1`,
      [id],
    );
    return row?.cooperative_id ?? null;
  },

  /** Active cooperatives' households in the actor's scope, each saying if it was inspected that year. */
  membersInspected(
    manager: EntityManager,
    actor: Actor,
    year: number,
  ): Promise<{ id: string; head_name: string; cooperative_name: string; inspected: boolean }[]> {
    const params: unknown[] = [year];
    const scope = scopeSql(actor, SCOPED.households, 'h', params);
    return manager.query(
      `SELECT h.id, h.head_name, c.name AS cooperative_name,
              EXISTS (SELECT 1 FROM inspections i
                       WHERE i.cooperative_id = h.cooperative_id
                         AND i.inspected_on IS NOT NULL AND extract(year FROM i.inspected_on) = $1
                         AND (i.household_id = h.id
                              OR i.plot_id IN (SELECT p.id FROM plots p
                                                WHERE p.cooperative_id = h.cooperative_id AND p.household_id = h.id))) AS inspected
         FROM households h JOIN cooperatives c ON c.id = h.cooperative_id
        WHERE c.status = 'active' AND ${scope}
        ORDER BY c.name, h.head_name`,
      params,
    );
  },
};

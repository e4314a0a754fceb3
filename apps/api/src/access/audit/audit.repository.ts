import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { AuditEntryDto, AuditQuery, Page, RecordChangeDto } from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import {
  buyerScopeSql,
  cooperativesSql,
  managedUsersSql,
  SCOPED,
  scopeSql,
  type ScopedTable,
} from '../auth/record-scope.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import { crossShard } from '../../platform/database/distribution.js';
import { AuditEntry } from './audit-entry.entity.js';

/** The trail is distributed by its own id, appended from every shard: every read of it is a report. */
const TRAIL_REPORT = crossShard(
  'the audit trail, appended from every cooperative, read as a report',
);

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_digest: string | null;
  after_digest: string | null;
  details: Record<string, unknown>;
}

/** Records whose changes a reader's trail shows, by the audit entry's entity. */
const SCOPED_ENTITIES: Record<string, ScopedTable> = {
  household: SCOPED.households,
  plot: SCOPED.plots,
  harvest: SCOPED.harvests,
  lot: SCOPED.lots,
  contract: SCOPED.contracts,
  inspection: SCOPED.inspections,
  ocop_product: SCOPED.ocop,
};

function auditScopeSql(actor: Actor, alias: string, params: unknown[]): string {
  const users = managedUsersSql(actor, params);
  const records = Object.entries(SCOPED_ENTITIES).map(
    ([entity, table]) =>
      `(${alias}.entity = '${entity}' AND ${alias}.entity_id IN (SELECT r.id FROM ${table.table} r WHERE ${scopeSql(actor, table, 'r', params)}))`,
  );
  return `(${alias}.actor_id IN (${users})
    OR (${alias}.entity = 'user' AND ${alias}.entity_id IN (${users}))
    OR (${alias}.entity = 'cooperative' AND ${alias}.entity_id IN (${cooperativesSql(actor, params)}))
    OR (${alias}.entity = 'buyer' AND ${alias}.entity_id IN (SELECT b.id FROM buyers b WHERE ${buyerScopeSql(actor, 'b', params)}))
    OR ${records.join('\n    OR ')})`;
}

/** The audit trail's SQL, all of it. */
export const auditRepository = {
  async insert(manager: EntityManager, entries: Omit<AuditEntry, 'id' | 'at'>[]): Promise<void> {
    // One INSERT for them all (`save` would write them one by one); details is a JSON column.
    await manager.getRepository(AuditEntry).insert(entries as QueryDeepPartialEntity<AuditEntry>[]);
  },

  /** One record's changes, oldest first; the caller has checked that the reader may see the record. */
  async changesOf(manager: EntityManager, entity: string, id: string): Promise<RecordChangeDto[]> {
    const rows = await manager.query<AuditRow[]>(
      `SELECT a.* FROM audit_log a ${TRAIL_REPORT} WHERE a.entity = $1 AND a.entity_id = $2::uuid
        ORDER BY a.at, a.id LIMIT 500`,
      [entity, id],
    );
    return rows.map((a) => ({
      id: String(a.id),
      at: a.at.toISOString(),
      actorUsername: a.actor_username,
      action: a.action,
      details: a.details,
    }));
  },

  /** The trail of what the reader's units hold: their accounts' actions, and changes to their records. */
  async page(
    manager: EntityManager,
    actor: Actor,
    query: AuditQuery,
  ): Promise<Page<AuditEntryDto>> {
    const params: unknown[] = [];
    const conditions = [auditScopeSql(actor, 'a', params)];
    if (query.entity) conditions.push(`a.entity = $${params.push(query.entity)}`);
    if (query.entityId) conditions.push(`a.entity_id = $${params.push(query.entityId)}::uuid`);
    if (query.actorId) conditions.push(`a.actor_id = $${params.push(query.actorId)}::uuid`);
    if (query.action) conditions.push(`a.action = $${params.push(query.action)}`);
    const where = `${TRAIL_REPORT} WHERE ${conditions.join(' AND ')}`;
    const [{ total }] = (await manager.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM audit_log a ${where}`,
      params,
    )) as [{ total: number }];
    const rows = await manager.query<AuditRow[]>(
      `SELECT a.* FROM audit_log a ${where}
        ORDER BY a.at ${sqlOrder(query)}, a.id ${sqlOrder(query)}
        LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(
      rows.map((a) => ({
        id: String(a.id),
        at: a.at.toISOString(),
        actorId: a.actor_id,
        actorUsername: a.actor_username,
        action: a.action,
        entity: a.entity,
        entityId: a.entity_id,
        beforeDigest: a.before_digest,
        afterDigest: a.after_digest,
        details: a.details,
      })),
      total,
      query,
    );
  },
};

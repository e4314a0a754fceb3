import type { EntityManager } from 'typeorm';
import { crossShard } from '../../platform/database/distribution.js';
import { DomainError } from '../../platform/http/domain-error.js';
import type { Actor } from './actor.js';

/**
 * Whose records an actor reaches. Every read of cooperative-owned rows takes one, and none of
 * its kinds means "everything": a district administrator of the root holds every unit, listed.
 */
export type RecordScope =
  | { kind: 'units'; unitIds: readonly string[] }
  | { kind: 'cooperative'; cooperativeId: string }
  | { kind: 'buyer'; buyerId: string };

export function recordScopeOf(
  kind: 'units' | 'cooperative' | 'buyer',
  ids: { cooperativeId: string | null; buyerId: string | null; unitIds: readonly string[] },
): RecordScope {
  switch (kind) {
    case 'units':
      return { kind, unitIds: ids.unitIds };
    case 'cooperative':
      if (!ids.cooperativeId)
        throw new DomainError('FORBIDDEN', 'This account has no cooperative.');
      return { kind, cooperativeId: ids.cooperativeId };
    case 'buyer':
      if (!ids.buyerId) throw new DomainError('FORBIDDEN', 'This account has no buyer.');
      return { kind, buyerId: ids.buyerId };
  }
}

/**
 * What a buyer reaches of a kind of record: the lots delivered to it and their upstream trace,
 * the harvests in that trace, the plots under its contracts or in that trace, its contracts —
 * or nothing.
 */
export type BuyerReach = 'lots' | 'harvests' | 'plots' | 'contracts' | 'nothing';

/** A table of cooperative-owned rows: how scope reaches it. */
export interface ScopedTable {
  table: string;
  cooperativeColumn: string;
  buyer: BuyerReach;
}

export const SCOPED = {
  households: { table: 'households', cooperativeColumn: 'cooperative_id', buyer: 'nothing' },
  plots: { table: 'plots', cooperativeColumn: 'cooperative_id', buyer: 'plots' },
  harvests: { table: 'harvests', cooperativeColumn: 'cooperative_id', buyer: 'harvests' },
  lots: { table: 'lots', cooperativeColumn: 'cooperative_id', buyer: 'lots' },
  contracts: { table: 'contracts', cooperativeColumn: 'cooperative_id', buyer: 'contracts' },
  inspections: { table: 'inspections', cooperativeColumn: 'cooperative_id', buyer: 'nothing' },
  ocop: { table: 'ocop_products', cooperativeColumn: 'cooperative_id', buyer: 'nothing' },
} as const satisfies Record<string, ScopedTable>;

type Bind = (value: unknown, cast?: string) => string;

/** A buyer's reach: a report over the shards of every cooperative it buys from. */
const BUYER_REACH = crossShard('a buyer reaches the lots of every cooperative it buys from');

/** Lots delivered to the buyer, then every lot they were made from, however far up. */
function buyerLots(buyer: string): string {
  return `WITH RECURSIVE bq_up(id) AS ( ${BUYER_REACH}
      SELECT bq_dl.lot_id FROM delivery_lots bq_dl
        JOIN deliveries bq_d ON bq_d.id = bq_dl.delivery_id
        JOIN contracts bq_c ON bq_c.id = bq_d.contract_id
       WHERE bq_c.buyer_id = ${buyer}
      UNION
      SELECT bq_ti.lot_id FROM bq_up
        JOIN lots bq_l ON bq_l.id = bq_up.id
        JOIN transformation_inputs bq_ti ON bq_ti.transformation_id = bq_l.transformation_id
       WHERE bq_ti.lot_id IS NOT NULL
    ) SELECT id FROM bq_up`;
}

function buyerHarvests(buyer: string): string {
  return `SELECT bh_ti.harvest_id FROM transformation_inputs bh_ti
      JOIN lots bh_l ON bh_l.transformation_id = bh_ti.transformation_id
     WHERE bh_ti.harvest_id IS NOT NULL AND bh_l.id IN (${buyerLots(buyer)})`;
}

/** Plots listed in the buyer's contracts, the cooperative's plots in a whole-zone contract's zone, and the plots its lots came from. */
function buyerPlots(buyer: string): string {
  return `SELECT bp_cp.plot_id ${BUYER_REACH} FROM contract_plots bp_cp
      JOIN contracts bp_c ON bp_c.id = bp_cp.contract_id WHERE bp_c.buyer_id = ${buyer}
    UNION
    SELECT bp_p.id FROM plots bp_p
      JOIN contracts bp_c ON bp_c.cooperative_id = bp_p.cooperative_id AND bp_c.zone_id = bp_p.zone_id
     WHERE bp_c.buyer_id = ${buyer} AND bp_c.basis = 'whole_area'
       AND NOT EXISTS (SELECT 1 FROM contract_plots bp_x WHERE bp_x.contract_id = bp_c.id)
    UNION
    SELECT bp_h.plot_id FROM harvests bp_h WHERE bp_h.id IN (${buyerHarvests(buyer)})`;
}

/** The ids of every record of a kind the buyer reaches, as a subquery. */
function buyerReachSql(reach: Exclude<BuyerReach, 'nothing' | 'contracts'>, buyer: string) {
  switch (reach) {
    case 'lots':
      return buyerLots(buyer);
    case 'harvests':
      return buyerHarvests(buyer);
    case 'plots':
      return buyerPlots(buyer);
  }
}

function condition(actor: Actor, table: ScopedTable, alias: string, bind: Bind): string {
  const scope = actor.scope;
  const column = `${alias}.${table.cooperativeColumn}`;
  switch (scope.kind) {
    case 'cooperative':
      return `${column} = ${bind(scope.cooperativeId, 'uuid')}`;
    case 'units':
      return `${column} IN (SELECT sc.id FROM cooperatives sc WHERE sc.commune_id = ANY(${bind(scope.unitIds, 'uuid[]')}))`;
    case 'buyer': {
      switch (table.buyer) {
        case 'nothing':
          return 'false';
        case 'contracts':
          return `${alias}.buyer_id = ${bind(scope.buyerId, 'uuid')} ${BUYER_REACH}`;
        default:
          return `${alias}.id IN (${buyerReachSql(table.buyer, bind(scope.buyerId, 'uuid'))})`;
      }
    }
  }
}

/** The SQL condition on `alias` limiting rows of `table` to the actor's; values appended to `params`. */
export function scopeSql(
  actor: Actor,
  table: ScopedTable,
  alias: string,
  params: unknown[],
): string {
  return condition(actor, table, alias, (value, cast) => {
    const placeholder = `$${params.push(value)}`;
    return cast ? `${placeholder}::${cast}` : placeholder;
  });
}

/** The same condition with named parameters, for TypeORM's query builders. */
export function scopeWhere(
  actor: Actor,
  table: ScopedTable,
  alias: string,
): [string, Record<string, unknown>] {
  const values: Record<string, unknown> = {};
  const sql = condition(actor, table, alias, (value) => {
    const name = `scope${Object.keys(values).length}`;
    values[name] = value;
    return `:${name}`;
  });
  return [sql, values];
}

/** Writes need more than sight: a buyer writes nothing, cooperative roles only their own. */
export async function cooperativeWritable(
  manager: EntityManager,
  actor: Actor,
  cooperativeId: string,
): Promise<boolean> {
  const scope = actor.scope;
  switch (scope.kind) {
    case 'cooperative':
      return scope.cooperativeId === cooperativeId;
    case 'buyer':
      return false;
    case 'units': {
      const [row] = await manager.query<{ commune_id: string }[]>(
        'SELECT commune_id FROM cooperatives WHERE id = $1',
        [cooperativeId],
      );
      return row !== undefined && scope.unitIds.includes(row.commune_id);
    }
  }
}

/** The ids of the cooperatives whose records the actor reads in full (none for a buyer). */
export function cooperativesSql(actor: Actor, params: unknown[]): string {
  const scope = actor.scope;
  switch (scope.kind) {
    case 'cooperative':
      return `SELECT $${params.push(scope.cooperativeId)}::uuid`;
    case 'units':
      return `SELECT sc.id FROM cooperatives sc WHERE sc.commune_id = ANY($${params.push(scope.unitIds)}::uuid[])`;
    case 'buyer':
      return 'SELECT NULL::uuid WHERE false';
  }
}

/**
 * Events the actor may read: those of its cooperatives; for a buyer, those about nothing but
 * lots and harvests in its trace, and no business transaction but its own contracts (another
 * buyer's shipment of the same lot stays hidden).
 */
export function eventScopeSql(actor: Actor, alias: string, params: unknown[]): string {
  const scope = actor.scope;
  if (scope.kind !== 'buyer') {
    return `${alias}.cooperative_id IN (${cooperativesSql(actor, params)})`;
  }
  const buyer = `$${params.push(scope.buyerId)}::uuid`;
  return `cardinality(${alias}.lot_ids) > 0 AND ${alias}.lot_ids <@ ARRAY(${buyerLots(buyer)} UNION ${buyerHarvests(buyer)})
    AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(coalesce(${alias}.body->'bizTransactionList', '[]'::jsonb)) bt
       WHERE NOT EXISTS (SELECT 1 FROM buyers bb WHERE bb.id = ${buyer}
                          AND bt->>'bizTransaction' LIKE 'urn:huuco:contract:' || bb.tax_code || ':%'))`;
}

/**
 * The buyers an actor may see: a buyer itself; district roles those their units registered or
 * whose contracts reach a cooperative of theirs; cooperative roles those contracting with them
 * or registered by a unit above their commune (or one it succeeded).
 */
export function buyerScopeSql(actor: Actor, alias: string, params: unknown[]): string {
  const scope = actor.scope;
  switch (scope.kind) {
    case 'buyer':
      return `${alias}.id = $${params.push(scope.buyerId)}::uuid`;
    case 'units': {
      const units = `$${params.push(scope.unitIds)}::uuid[]`;
      return `(${alias}.registered_unit_id = ANY(${units})
        OR EXISTS (SELECT 1 FROM contracts bc
                    WHERE bc.buyer_id = ${alias}.id
                      AND bc.cooperative_id IN (SELECT bco.id FROM cooperatives bco WHERE bco.commune_id = ANY(${units}))))`;
    }
    case 'cooperative': {
      const cooperative = `$${params.push(scope.cooperativeId)}::uuid`;
      return `(EXISTS (SELECT 1 FROM contracts bc WHERE bc.buyer_id = ${alias}.id AND bc.cooperative_id = ${cooperative})
        OR ${alias}.registered_unit_id IN (
          WITH RECURSIVE above(id) AS (
            SELECT commune_id FROM cooperatives WHERE id = ${cooperative}
            UNION
            SELECT next.id FROM above a JOIN LATERAL (
              SELECT u.parent_id AS id FROM admin_units u WHERE u.id = a.id AND u.parent_id IS NOT NULL
              UNION ALL
              SELECT su.predecessor_id FROM admin_unit_successions su WHERE su.successor_id = a.id
            ) next ON true
          ) SELECT id FROM above))`;
    }
  }
}

/**
 * The accounts an actor manages: those assigned a unit within its units, those of cooperatives
 * in its units, and those of buyers it may see. Nobody else's (a buyer or cooperative reader
 * manages none).
 */
export function managedUsersSql(actor: Actor, params: unknown[]): string {
  const scope = actor.scope;
  if (scope.kind !== 'units') return 'SELECT NULL::uuid WHERE false';
  const units = `$${params.push(scope.unitIds)}::uuid[]`;
  return `SELECT mu.id FROM users mu
     WHERE EXISTS (SELECT 1 FROM user_admin_units mx WHERE mx.user_id = mu.id AND mx.admin_unit_id = ANY(${units}))
        OR EXISTS (SELECT 1 FROM cooperatives mc WHERE mc.id = mu.cooperative_id AND mc.commune_id = ANY(${units}))
        OR EXISTS (SELECT 1 FROM buyers b WHERE b.id = mu.buyer_id AND ${buyerScopeSql(actor, 'b', params)})`;
}

import type { EntityManager } from 'typeorm';
import type { Actor } from './actor.js';

/**
 * The SQL condition limiting rows with a cooperative column to what the actor may see, or null
 * when nothing is hidden (a buyer reading the registry). Scope lives in the queries: a record
 * outside it is answered 404, as if it did not exist.
 */
export function cooperativeCondition(
  actor: Actor,
  column: string,
): [string, Record<string, unknown>] | null {
  switch (actor.scope) {
    case 'cooperative':
      return [`${column} = :scopeCooperativeId`, { scopeCooperativeId: actor.cooperativeId }];
    case 'units':
      return [
        `${column} IN (SELECT sc.id FROM cooperatives sc WHERE sc.commune_id = ANY(:scopeUnitIds))`,
        { scopeUnitIds: actor.unitIds },
      ];
    case 'buyer':
      return null;
  }
}

/**
 * The same condition for raw SQL with positional parameters: the values are appended to
 * `params`. Null when the actor sees every cooperative's rows (a buyer reading the registry).
 */
export function cooperativeSql(actor: Actor, column: string, params: unknown[]): string | null {
  switch (actor.scope) {
    case 'cooperative':
      return `${column} = $${params.push(actor.cooperativeId)}`;
    case 'units':
      return `${column} IN (SELECT sc.id FROM cooperatives sc WHERE sc.commune_id = ANY($${params.push(actor.unitIds)}::uuid[]))`;
    case 'buyer':
      return null;
  }
}

/** Whether a cooperative's records are the actor's to see. */
export async function cooperativeInScope(
  manager: EntityManager,
  actor: Actor,
  cooperativeId: string,
): Promise<boolean> {
  switch (actor.scope) {
    case 'cooperative':
      return actor.cooperativeId === cooperativeId;
    case 'buyer':
      return true;
    case 'units': {
      const [row] = await manager.query<{ commune_id: string }[]>(
        'SELECT commune_id FROM cooperatives WHERE id = $1',
        [cooperativeId],
      );
      return row !== undefined && actor.unitIds.includes(row.commune_id);
    }
  }
}

/** Writes need more than sight: a buyer writes nothing, cooperative roles only their own. */
export async function cooperativeWritable(
  manager: EntityManager,
  actor: Actor,
  cooperativeId: string,
): Promise<boolean> {
  return actor.scope !== 'buyer' && cooperativeInScope(manager, actor, cooperativeId);
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

const TTL_MS = 30_000;

/**
 * SQL for the ids of the units `start` selects, every unit under them and every unit that
 * succeeded one of those (merges, splits, renames of the 2025 reform).
 */
export function unitsWithin(start: string): string {
  return `WITH RECURSIVE scope(id) AS (
      ${start}
      UNION
      SELECT next.id FROM scope s
        JOIN LATERAL (
          SELECT u.id FROM admin_units u WHERE u.parent_id = s.id
          UNION ALL
          SELECT su.successor_id FROM admin_unit_successions su
           WHERE su.predecessor_id = s.id AND su.successor_id IS NOT NULL
        ) next ON true
    )
    SELECT id FROM scope`;
}

/** Raised by every change of the admin-unit tree, in the change's own transaction. */
export async function raiseScopeGeneration(manager: EntityManager): Promise<void> {
  await manager.query('UPDATE scope_generation SET generation = generation + 1 WHERE id = 1');
}

/**
 * Expands a user's admin units to every unit under them and every unit that succeeded one of
 * those (the 2025 reform): Tứ Kỳ staff keep An Thanh's records when it became xã Chí Minh.
 *
 * Kept per process (30 s at most), keyed by what the request read with the user: the user's
 * token version and the tree's generation (`scope_generation`). A unit added or merged anywhere
 * raises the generation before its write answers, so the next request in every process computes
 * the scope again. A user's own units are set when the account is made and never change.
 */
@Injectable()
export class ScopeService {
  private readonly cache = new Map<string, { unitIds: string[]; until: number }>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async unitsFor(userId: string, tokenVersion: number, generation: string): Promise<string[]> {
    const key = `${userId}:${tokenVersion}:${generation}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.unitIds;
    const rows = await this.db.query<{ id: string }[]>(
      unitsWithin('SELECT admin_unit_id FROM user_admin_units WHERE user_id = $1'),
      [userId],
    );
    const unitIds = rows.map((row) => row.id);
    if (this.cache.size > 10_000) this.forgetExpired(now);
    this.cache.set(key, { unitIds, until: now + TTL_MS });
    return unitIds;
  }

  private forgetExpired(now: number): void {
    for (const [key, entry] of this.cache) if (entry.until <= now) this.cache.delete(key);
  }
}

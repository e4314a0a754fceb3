import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ClusterNotices } from '../../platform/events/cluster-notices.js';

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

/**
 * Expands a user's admin units to every unit under them and every unit that succeeded one of
 * those (the 2025 reform): Tứ Kỳ staff keep An Thanh's records when it became xã Chí Minh.
 *
 * Kept per process for 30 s at most, and forgotten in every process at once when a writer
 * anywhere publishes that units, successions or the user changed (ClusterNotices).
 */
@Injectable()
export class ScopeService {
  private readonly cache = new Map<string, { unitIds: string[]; until: number }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    notices: ClusterNotices,
  ) {
    notices.subscribe(
      (notice) => {
        if (notice.kind === 'scopes.changed') this.cache.clear();
        if (notice.kind === 'user.changed') this.forget(notice.userId);
      },
      () => this.cache.clear(),
    );
  }

  async unitsFor(userId: string, tokenVersion: number): Promise<string[]> {
    const key = `${userId}:${tokenVersion}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.unitIds;
    const rows = await this.db.query<{ id: string }[]>(
      unitsWithin('SELECT admin_unit_id FROM user_admin_units WHERE user_id = $1'),
      [userId],
    );
    const unitIds = rows.map((row) => row.id);
    this.cache.set(key, { unitIds, until: Date.now() + TTL_MS });
    return unitIds;
  }

  private forget(userId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${userId}:`)) this.cache.delete(key);
  }
}

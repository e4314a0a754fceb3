import type { EntityManager } from 'typeorm';
import { crossShard } from '../../platform/database/distribution.js';

export interface PlotLabel {
  id: string;
  household_code: string;
  zone_code: string | null;
  cooperative: string;
  place: string;
}

/** The names a geometry export writes beside each plot. */
export const geometryExportRepository = {
  plotLabels(manager: EntityManager, plotIds: string[]): Promise<PlotLabel[]> {
    if (!plotIds.length) return Promise.resolve([]);
    return manager.query(
      `${crossShard('an export is a report over the cooperatives of a district')}
       SELECT p.id, h.code AS household_code, z.code AS zone_code, c.name AS cooperative,
              concat_ws(', ', cm.name, d.name, pr.name) AS place
         FROM plots p
         JOIN households h ON h.id = p.household_id AND h.cooperative_id = p.cooperative_id
         JOIN cooperatives c ON c.id = p.cooperative_id
         LEFT JOIN zones z ON z.id = p.zone_id
         JOIN admin_units cm ON cm.id = h.commune_id
         LEFT JOIN admin_units d ON d.id = cm.parent_id
         LEFT JOIN admin_units pr ON pr.id = d.parent_id
        WHERE p.id = ANY($1::uuid[])`,
      [plotIds],
    );
  },
};

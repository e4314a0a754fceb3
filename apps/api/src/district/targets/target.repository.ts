import type { CreateTargetDto, Indicator } from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import { unitsWithin } from '../../access/auth/scope.service.js';

export interface TargetRow {
  id: string;
  admin_unit_id: string;
  admin_unit_name: string;
  year: number;
  indicator: Indicator;
  target_value: string;
  note: string | null;
  is_demo: boolean;
}

const SELECT_TARGET = `
  SELECT t.id, t.admin_unit_id, u.name AS admin_unit_name, t.year, t.indicator, t.target_value, t.note, t.is_demo
    FROM targets t JOIN admin_units u ON u.id = t.admin_unit_id`;

export interface MeasuredPlot {
  id: string;
  zone_id: string | null;
  conversion_started_on: string | null;
  area_m2: string;
  household_id: string;
}

/** Targets' SQL, all of it, and the records their actuals are counted from. */
export const targetRepository = {
  async insert(manager: EntityManager, dto: CreateTargetDto): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO targets (admin_unit_id, year, indicator, target_value, note) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [dto.adminUnitId, dto.year, dto.indicator, dto.targetValue, dto.note],
    );
    return row!.id;
  },

  async find(manager: EntityManager, id: string): Promise<TargetRow> {
    const [row] = await manager.query<TargetRow[]>(`${SELECT_TARGET} WHERE t.id = $1`, [id]);
    return row!;
  },

  list(
    manager: EntityManager,
    unitIds: readonly string[],
    filter: { adminUnitId?: string; year?: number },
  ): Promise<TargetRow[]> {
    const params: unknown[] = [unitIds];
    const conditions = ['t.admin_unit_id = ANY($1::uuid[])'];
    if (filter.adminUnitId)
      conditions.push(`t.admin_unit_id = $${params.push(filter.adminUnitId)}`);
    if (filter.year) conditions.push(`t.year = $${params.push(filter.year)}`);
    return manager.query<TargetRow[]>(
      `${SELECT_TARGET} WHERE ${conditions.join(' AND ')} ORDER BY t.year DESC, u.name, t.indicator`,
      params,
    );
  },

  /** Every year's target of one indicator for the unit. */
  yearly(
    manager: EntityManager,
    unitId: string,
    indicator: Indicator,
  ): Promise<{ year: number; target_value: string }[]> {
    return manager.query(
      `SELECT year, target_value FROM targets WHERE admin_unit_id = $1 AND indicator = $2`,
      [unitId, indicator],
    );
  },

  /** The unit's cooperatives: in it, under it, or in the units that succeeded those. */
  async cooperativesOf(manager: EntityManager, unitId: string): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT c.id FROM cooperatives c WHERE c.commune_id IN (${unitsWithin('SELECT $1::uuid')})`,
      [unitId],
    );
    return rows.map((r) => r.id);
  },

  ocopRatings(
    manager: EntityManager,
    cooperatives: string[],
  ): Promise<{ score: number; certified_on: string }[]> {
    return manager.query(
      `SELECT score, to_char(certified_on, 'YYYY-MM-DD') AS certified_on FROM ocop_products WHERE cooperative_id = ANY($1::uuid[])`,
      [cooperatives],
    );
  },

  async harvestedKg(
    manager: EntityManager,
    cooperatives: string[],
    from: string,
    to: string,
  ): Promise<number> {
    const [{ kg }] = (await manager.query<{ kg: string | null }[]>(
      `SELECT sum(quantity_kg) AS kg FROM harvests
        WHERE cooperative_id = ANY($1::uuid[]) AND harvested_on BETWEEN $2 AND $3`,
      [cooperatives, from, to],
    )) as [{ kg: string | null }];
    return Number(kg ?? 0);
  },

  harvestedBySeason(
    manager: EntityManager,
    cooperatives: string[],
  ): Promise<{ year: number; name: string; kg: string }[]> {
    return manager.query(
      `SELECT s.year, s.name, sum(h.quantity_kg) AS kg FROM harvests h JOIN seasons s ON s.id = h.season_id
        WHERE h.cooperative_id = ANY($1::uuid[]) GROUP BY s.year, s.name, s.starts_on ORDER BY s.starts_on`,
      [cooperatives],
    );
  },

  /** Plots under a signed, active or fulfilled whole-area contract of that year's seasons. */
  async contractedPlots(
    manager: EntityManager,
    cooperatives: string[],
    year: number,
  ): Promise<Set<string>> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT p.id FROM plots p JOIN contracts c ON c.cooperative_id = p.cooperative_id
         JOIN seasons s ON s.id = c.season_id
        WHERE p.cooperative_id = ANY($1::uuid[]) AND s.year = $2 AND c.basis = 'whole_area'
          AND c.status IN ('signed', 'active', 'fulfilled')
          AND (p.id IN (SELECT cp.plot_id FROM contract_plots cp WHERE cp.contract_id = c.id)
               OR (NOT EXISTS (SELECT 1 FROM contract_plots cp WHERE cp.contract_id = c.id) AND p.zone_id = c.zone_id))`,
      [cooperatives, year],
    );
    return new Set(rows.map((r) => r.id));
  },

  /**
   * The cooperatives' plots still farmed on the date; with `membersOnly`, only those of
   * households that had joined by then.
   */
  plots(
    manager: EntityManager,
    cooperatives: string[],
    on: string,
    membersOnly: boolean,
  ): Promise<MeasuredPlot[]> {
    return manager.query<MeasuredPlot[]>(
      `SELECT p.id, p.zone_id, to_char(p.conversion_started_on, 'YYYY-MM-DD') AS conversion_started_on, p.area_m2, p.household_id
         FROM plots p JOIN households h ON h.id = p.household_id AND h.cooperative_id = p.cooperative_id
        WHERE p.cooperative_id = ANY($1::uuid[]) AND ($3::boolean IS FALSE OR h.joined_on <= $2)
          AND (p.retired_on IS NULL OR p.retired_on > $2)`,
      [cooperatives, on, membersOnly],
    );
  },

  zonesOf(
    manager: EntityManager,
    cooperatives: string[],
  ): Promise<{ id: string; code: string; name: string; target_area_m2: string | null }[]> {
    return manager.query(
      `SELECT DISTINCT z.id, z.code, z.name, z.target_area_m2 FROM zones z
         JOIN plots p ON p.zone_id = z.id WHERE p.cooperative_id = ANY($1::uuid[]) ORDER BY z.code`,
      [cooperatives],
    );
  },

  /** The unit a district user was given (not the ones under it). */
  async homeUnit(manager: EntityManager, userId: string): Promise<string | null> {
    const [row] = await manager.query<{ admin_unit_id: string }[]>(
      `SELECT x.admin_unit_id FROM user_admin_units x JOIN admin_units u ON u.id = x.admin_unit_id
        WHERE x.user_id = $1 ORDER BY u.level LIMIT 1`,
      [userId],
    );
    return row?.admin_unit_id ?? null;
  },
};

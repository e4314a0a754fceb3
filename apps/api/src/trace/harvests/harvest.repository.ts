import type {
  CooperativeStatus,
  HarvestDto,
  HarvestListQuery,
  Page,
  YieldCheck,
} from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { SCOPED, scopeSql } from '../../access/auth/record-scope.js';
import {
  ACROSS_ZONE,
  crossShard,
  type ShardKey,
  type ShardRow,
} from '../../platform/database/distribution.js';
import { valuesList } from '../../platform/database/values-list.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import { seasonLabel } from '../catalogue/season-label.js';

interface HarvestRow {
  id: string;
  plot_id: string;
  plot_code: string;
  cooperative_id: string;
  season_id: string;
  season_year: number;
  season_name: string;
  harvested_on: string;
  lunar_date: string | null;
  product_id: string;
  product_code: string;
  product_category: HarvestDto['productCategory'];
  quantity_kg: string;
  remaining_kg: string;
  organic_status: HarvestDto['organicStatus'];
  organic_status_reason: HarvestDto['organicStatusReason'];
  yield_kg_per_ha: string;
  yield_check: YieldCheck;
  override_reason: string | null;
  recorded_by_username: string;
  created_at: Date;
}

const SELECT_HARVEST = `
  SELECT h.id, h.plot_id, p.code AS plot_code, h.cooperative_id, h.season_id, s.year AS season_year,
         s.name AS season_name, to_char(h.harvested_on, 'YYYY-MM-DD') AS harvested_on, h.lunar_date,
         h.product_id, pr.code AS product_code, pr.category AS product_category, h.quantity_kg,
         h.remaining_kg, h.organic_status, h.organic_status_reason, h.yield_kg_per_ha, h.yield_check,
         h.override_reason, h.recorded_by_username, h.created_at
    FROM harvests h
    JOIN plots p ON p.id = h.plot_id AND p.cooperative_id = h.cooperative_id
    JOIN seasons s ON s.id = h.season_id
    JOIN products pr ON pr.id = h.product_id`;

const SORT = {
  harvestedOn: 'h.harvested_on',
  quantity: 'h.quantity_kg',
  createdAt: 'h.created_at',
} as const;

function toDto(r: HarvestRow): HarvestDto {
  return {
    id: r.id,
    plotId: r.plot_id,
    plotCode: r.plot_code,
    cooperativeId: r.cooperative_id,
    seasonId: r.season_id,
    seasonLabel: seasonLabel(r.season_year, r.season_name),
    harvestedOn: r.harvested_on,
    lunarDate: r.lunar_date,
    productId: r.product_id,
    productCode: r.product_code,
    productCategory: r.product_category,
    quantityKg: Number(r.quantity_kg),
    remainingKg: Number(r.remaining_kg),
    organicStatus: r.organic_status,
    organicStatusReason: r.organic_status_reason,
    yieldKgPerHa: Number(r.yield_kg_per_ha),
    yieldCheck: r.yield_check,
    overrideReason: r.override_reason,
    recordedBy: r.recorded_by_username,
    createdAt: r.created_at.toISOString(),
  };
}

export interface PlotFacts {
  id: string;
  code: string;
  cooperative_id: string;
  zone_id: string | null;
  conversion_started_on: string | null;
  area_m2: string;
  revision: number;
  cooperative_initial_status: CooperativeStatus;
  household_left_on: string | null;
  retired_on: string | null;
}

export interface HarvestFields {
  plotId: string;
  cooperativeId: string;
  seasonId: string;
  productId: string;
  harvestedOn: string;
  lunarDate: string | null;
  quantityKg: number;
  organicStatus: string;
  organicStatusReason: string | null;
  yieldKgPerHa: number;
  yieldCheck: YieldCheck;
  overrideReason: string | null;
  recordedBy: string;
  recordedByUsername: string;
}

/** What a restamp reads of each harvest it may change. */
export interface HarvestFacts {
  id: string;
  plot_id: string;
  plot_code: string;
  zone_id: string | null;
  conversion_started_on: string | null;
  cooperative_id: string;
  harvested_on: string;
  quantity_kg: string;
  category: string;
  organic_status: string;
}

/** Which plots a restamp reaches: one plot, a zone's, or a certificate's zone's. */
export type PlotReach =
  { plotId: string; cooperativeId: string } | { zoneId: string } | { certificationId: string };

/** Where the plots reached are, with the values their condition takes. */
function reachSql(reach: PlotReach): [string, unknown[]] {
  if ('plotId' in reach)
    return ['p.id = $1 AND p.cooperative_id = $2', [reach.plotId, reach.cooperativeId]];
  if ('zoneId' in reach) return [`${ACROSS_ZONE} p.zone_id = $1`, [reach.zoneId]];
  return [
    `${ACROSS_ZONE} p.zone_id = (SELECT zone_id FROM certifications WHERE id = $1)`,
    [reach.certificationId],
  ];
}

/** Harvests' SQL, all of it, with the facts their rules read: plot, season, product, yield. */
export const harvestRepository = {
  /** The harvest with this id, if the actor sees it. */
  async find(manager: EntityManager, actor: Actor, id: string): Promise<HarvestDto | null> {
    const params: unknown[] = [id];
    const [row] = await manager.query<HarvestRow[]>(
      `${SELECT_HARVEST} WHERE h.id = $1 AND ${scopeSql(actor, SCOPED.harvests, 'h', params)}`,
      params,
    );
    return row ? toDto(row) : null;
  },

  /** Harvests just written, each found within its cooperative. */
  async findAll(manager: EntityManager, harvests: ShardKey[]): Promise<Map<string, HarvestDto>> {
    const rows = await manager.query<HarvestRow[]>(
      `${SELECT_HARVEST} WHERE h.id = ANY($1::uuid[]) AND h.cooperative_id = ANY($2::uuid[])`,
      [harvests.map((h) => h.id), [...new Set(harvests.map((h) => h.cooperativeId))]],
    );
    return new Map(rows.map((row) => [row.id, toDto(row)]));
  },

  async page(
    manager: EntityManager,
    actor: Actor,
    query: HarvestListQuery,
  ): Promise<Page<HarvestDto>> {
    const params: unknown[] = [];
    const conditions = [scopeSql(actor, SCOPED.harvests, 'h', params)];
    if (query.plotId) conditions.push(`h.plot_id = $${params.push(query.plotId)}`);
    if (query.householdId)
      conditions.push(
        `h.plot_id IN (SELECT hp.id FROM plots hp WHERE hp.household_id = $${params.push(query.householdId)})`,
      );
    if (query.seasonId) conditions.push(`h.season_id = $${params.push(query.seasonId)}`);
    if (query.cooperativeId)
      conditions.push(`h.cooperative_id = $${params.push(query.cooperativeId)}`);
    if (query.available === 'true') conditions.push('h.remaining_kg > 0');
    const where = `WHERE ${conditions.join(' AND ')}`;
    const [{ total }] = (await manager.query<{ total: string }[]>(
      `SELECT count(*) AS total FROM harvests h ${where}`,
      params,
    )) as [{ total: string }];
    const rows = await manager.query<HarvestRow[]>(
      `${SELECT_HARVEST} ${where} ORDER BY ${SORT[query.sort]} ${sqlOrder(query)}, h.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), Number(total), query);
  },

  /** Harvests with the ids given, in one statement. */
  async insertAll(
    manager: EntityManager,
    harvests: (HarvestFields & { id: string })[],
  ): Promise<void> {
    const values = valuesList(
      harvests.map((h) => [
        h.id,
        h.plotId,
        h.cooperativeId,
        h.seasonId,
        h.productId,
        h.harvestedOn,
        h.lunarDate,
        h.quantityKg,
        h.quantityKg,
        h.organicStatus,
        h.organicStatusReason,
        h.yieldKgPerHa,
        h.yieldCheck,
        h.overrideReason,
        h.recordedBy,
        h.recordedByUsername,
      ]),
      [
        'uuid',
        'uuid',
        'uuid',
        'uuid',
        'uuid',
        'date',
        '',
        'numeric',
        'numeric',
        '',
        '',
        'numeric',
        '',
        '',
        'uuid',
        '',
      ],
    );
    await manager.query(
      `INSERT INTO harvests (id, plot_id, cooperative_id, season_id, product_id, harvested_on, lunar_date,
         quantity_kg, remaining_kg, organic_status, organic_status_reason, yield_kg_per_ha, yield_check,
         override_reason, recorded_by, recorded_by_username)
       VALUES ${values.sql}`,
      values.params,
    );
  },

  /**
   * The plots' rows serialise harvests on each plot, so the season's yield is counted once; taken
   * in one order by every writer, so two groups of harvests never wait on each other in a circle.
   */
  async lockPlots(manager: EntityManager, plots: ShardRow[]): Promise<void> {
    await manager.query(
      `SELECT id FROM plots WHERE id = ANY($1::uuid[]) AND cooperative_id = ANY($2::uuid[])
        ORDER BY id FOR UPDATE`,
      [plots.map((p) => p.id), [...new Set(plots.map((p) => p.cooperative_id))]],
    );
  },

  async lockQuantities(
    manager: EntityManager,
    harvest: ShardKey,
  ): Promise<{ quantityKg: number; remainingKg: number }> {
    const [row] = await manager.query<{ quantity_kg: string; remaining_kg: string }[]>(
      'SELECT quantity_kg, remaining_kg FROM harvests WHERE id = $1 AND cooperative_id = $2 FOR UPDATE',
      [harvest.id, harvest.cooperativeId],
    );
    return { quantityKg: Number(row!.quantity_kg), remainingKg: Number(row!.remaining_kg) };
  },

  async correct(
    manager: EntityManager,
    id: string,
    c: {
      quantityKg: number;
      harvestedOn: string;
      organicStatus: string;
      organicStatusReason: string | null;
      yieldKgPerHa: number;
      yieldCheck: YieldCheck;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE harvests SET quantity_kg = $2, remaining_kg = $2, harvested_on = $3, organic_status = $4,
         organic_status_reason = $5, yield_kg_per_ha = $6, yield_check = $7::varchar,
         override_reason = CASE WHEN $7::varchar = 'overridden' THEN override_reason END
       WHERE id = $1`,
      [
        id,
        c.quantityKg,
        c.harvestedOn,
        c.organicStatus,
        c.organicStatusReason,
        c.yieldKgPerHa,
        c.yieldCheck,
      ],
    );
  },

  async restamp(
    manager: EntityManager,
    id: string,
    organicStatus: string,
    organicStatusReason: string | null,
  ): Promise<void> {
    await manager.query(
      'UPDATE harvests SET organic_status = $2, organic_status_reason = $3 WHERE id = $1',
      [id, organicStatus, organicStatusReason],
    );
  },

  /** The harvest's first commissioning event, the one its corrections point at. */
  async commissioningSeq(manager: EntityManager, id: string): Promise<number | null> {
    const [original] = await manager.query<{ seq: string }[]>(
      `SELECT seq FROM events WHERE lot_ids @> ARRAY[$1]::uuid[] AND biz_step = 'commissioning' ORDER BY seq LIMIT 1`,
      [id],
    );
    return original ? Number(original.seq) : null;
  },

  /** Every harvest from the plots reached, locked, in the order they happened. */
  lockReached(manager: EntityManager, reach: PlotReach): Promise<HarvestFacts[]> {
    const [where, params] = reachSql(reach);
    return manager.query<HarvestFacts[]>(
      `SELECT h.id, h.plot_id, p.code AS plot_code, p.zone_id,
              to_char(p.conversion_started_on, 'YYYY-MM-DD') AS conversion_started_on,
              h.cooperative_id, to_char(h.harvested_on, 'YYYY-MM-DD') AS harvested_on,
              h.quantity_kg, pr.category, h.organic_status
         FROM harvests h
         JOIN plots p ON p.id = h.plot_id AND p.cooperative_id = h.cooperative_id
         JOIN products pr ON pr.id = h.product_id
        WHERE ${where}
        ORDER BY h.harvested_on, h.id
        FOR UPDATE OF h`,
      params,
    );
  },

  /**
   * The plots of a group of harvests, found by id before whose they are is known: the group is
   * whatever arrived together, from any cooperative (on a cluster, groups form per cooperative).
   */
  async plotFacts(manager: EntityManager, plotIds: string[]): Promise<Map<string, PlotFacts>> {
    const plots = await manager.query<PlotFacts[]>(
      `${crossShard('a group of harvests from any cooperative, checked together')}
       SELECT p.id, p.code, p.cooperative_id, p.zone_id, to_char(p.conversion_started_on, 'YYYY-MM-DD') AS conversion_started_on,
              p.area_m2, p.revision, c.initial_status AS cooperative_initial_status,
              to_char(hh.left_on, 'YYYY-MM-DD') AS household_left_on,
              to_char(p.retired_on, 'YYYY-MM-DD') AS retired_on
         FROM plots p JOIN cooperatives c ON c.id = p.cooperative_id
         JOIN households hh ON hh.id = p.household_id AND hh.cooperative_id = p.cooperative_id
        WHERE p.id = ANY($1::uuid[])`,
      [plotIds],
    );
    return new Map(plots.map((plot) => [plot.id, plot]));
  },

  async products(
    manager: EntityManager,
    ids: string[],
  ): Promise<Map<string, { id: string; category: string }>> {
    const products = await manager.query<{ id: string; category: string }[]>(
      'SELECT id, category FROM products WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(products.map((product) => [product.id, product]));
  },

  async seasons(
    manager: EntityManager,
    ids: string[],
  ): Promise<Map<string, { starts_on: string; ends_on: string }>> {
    const seasons = await manager.query<{ id: string; starts_on: string; ends_on: string }[]>(
      `SELECT id, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on
         FROM seasons WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(seasons.map((season) => [season.id, season]));
  },

  /**
   * What each plot gave of each product this season, by `seasonKey`; one harvest left out if
   * named (a correction counts its new quantity instead).
   */
  async seasonKg(
    manager: EntityManager,
    q: { plots: ShardRow[]; seasonIds: string[]; productIds: string[]; excluding: string | null },
  ): Promise<Map<string, number>> {
    const rows = await manager.query<
      { plot_id: string; season_id: string; product_id: string; kg: string }[]
    >(
      `SELECT plot_id, season_id, product_id, sum(quantity_kg) AS kg FROM harvests
        WHERE plot_id = ANY($1::uuid[]) AND cooperative_id = ANY($5::uuid[])
          AND season_id = ANY($2::uuid[]) AND product_id = ANY($3::uuid[])
          AND id IS DISTINCT FROM $4
        GROUP BY plot_id, season_id, product_id`,
      [
        q.plots.map((p) => p.id),
        q.seasonIds,
        q.productIds,
        q.excluding,
        [...new Set(q.plots.map((p) => p.cooperative_id))],
      ],
    );
    return new Map(
      rows.map((row) => [seasonKey(row.plot_id, row.season_id, row.product_id), Number(row.kg)]),
    );
  },
};

export function seasonKey(plotId: string, seasonId: string, productId: string): string {
  return `${plotId}|${seasonId}|${productId}`;
}

import { documentStore } from '../../platform/files/document-store.js';
import { escapeLike } from '../../platform/database/like.js';
import type { ShardKey } from '../../platform/database/distribution.js';
import {
  DEFAULT_EXPECTED_YIELD_KG_PER_HA,
  type ContractDto,
  type ContractListQuery,
  type ContractStatus,
  type CreateContractDto,
  type FulfilmentDto,
  type Page,
} from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { SCOPED, scopeSql } from '../../access/auth/record-scope.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import { seasonLabel } from '../../trace/catalogue/season-label.js';

export interface ContractRow {
  id: string;
  number: string;
  buyer_id: string;
  buyer_name: string;
  cooperative_id: string;
  cooperative_name: string;
  season_id: string;
  season_year: number;
  season_name: string;
  product_category: string;
  basis: ContractDto['basis'];
  contracted_kg: string | null;
  zone_id: string | null;
  plot_ids: string[];
  price_vnd_per_kg: number;
  quality_terms: string | null;
  status: ContractDto['status'];
  signed_on: string | null;
  is_demo: boolean;
  document: ContractDto['document'];
  covered_area_m2: string;
  delivered_kg: string;
  received_kg: string;
}

/**
 * One row per contract, with the area it covers (listed plots, or the cooperative's plots in
 * its zone) and what was delivered and received against it.
 */
const SELECT_CONTRACT = `
  SELECT c.id, c.number, c.buyer_id, b.name AS buyer_name, c.cooperative_id, co.name AS cooperative_name,
         c.season_id, s.year AS season_year, s.name AS season_name, c.product_category, c.basis, c.contracted_kg,
         c.zone_id, coalesce((SELECT array_to_json(array_agg(cp.plot_id)) FROM contract_plots cp WHERE cp.contract_id = c.id), '[]') AS plot_ids,
         c.price_vnd_per_kg, c.quality_terms, c.status, to_char(c.signed_on, 'YYYY-MM-DD') AS signed_on, c.is_demo,
         (SELECT json_build_object('filename', d.filename, 'contentType', d.content_type, 'sizeBytes', d.size_bytes, 'sha256', d.sha256)
            FROM contract_documents d WHERE d.contract_id = c.id) AS document,
         (SELECT coalesce(sum(p.area_m2), 0) FROM plots p
           WHERE c.basis = 'whole_area'
             AND (p.id IN (SELECT cp.plot_id FROM contract_plots cp WHERE cp.contract_id = c.id)
                  OR (NOT EXISTS (SELECT 1 FROM contract_plots cp WHERE cp.contract_id = c.id)
                      AND p.zone_id = c.zone_id AND p.cooperative_id = c.cooperative_id))) AS covered_area_m2,
         (SELECT coalesce(sum(dl.quantity_kg), 0) FROM deliveries d JOIN delivery_lots dl ON dl.delivery_id = d.id
           WHERE d.contract_id = c.id) AS delivered_kg,
         (SELECT coalesce(sum(dl.quantity_kg), 0) FROM deliveries d JOIN delivery_lots dl ON dl.delivery_id = d.id
           WHERE d.contract_id = c.id AND d.status = 'received') AS received_kg
    FROM contracts c
    JOIN buyers b ON b.id = c.buyer_id
    JOIN cooperatives co ON co.id = c.cooperative_id
    JOIN seasons s ON s.id = c.season_id`;

export function fulfilmentOf(r: {
  basis: string;
  product_category: string;
  contracted_kg: string | null;
  covered_area_m2: string;
  delivered_kg: string;
  received_kg: string;
  price_vnd_per_kg: number | string;
}): FulfilmentDto {
  const coveredAreaM2 = Number(r.covered_area_m2);
  const contractedKg = r.contracted_kg === null ? null : Number(r.contracted_kg);
  const expectedKg =
    r.basis === 'whole_area'
      ? Math.round(
          (coveredAreaM2 / 10_000) * (DEFAULT_EXPECTED_YIELD_KG_PER_HA[r.product_category] ?? 0),
        )
      : contractedKg!;
  const deliveredKg = Number(r.delivered_kg);
  const target = contractedKg ?? expectedKg;
  return {
    contractedKg,
    expectedKg,
    coveredAreaM2,
    deliveredKg,
    receivedKg: Number(r.received_kg),
    // Whole đồng: kg carry two decimals, so round once at the end.
    deliveredValueVnd: Math.round(deliveredKg * Number(r.price_vnd_per_kg)),
    share: target > 0 ? deliveredKg / target : null,
  };
}

function toDto(r: ContractRow): ContractDto {
  return {
    id: r.id,
    number: r.number,
    buyerId: r.buyer_id,
    buyerName: r.buyer_name,
    cooperativeId: r.cooperative_id,
    cooperativeName: r.cooperative_name,
    seasonId: r.season_id,
    seasonLabel: seasonLabel(r.season_year, r.season_name),
    productCategory: r.product_category,
    basis: r.basis,
    contractedKg: r.contracted_kg === null ? null : Number(r.contracted_kg),
    zoneId: r.zone_id,
    plotIds: r.plot_ids,
    priceVndPerKg: Number(r.price_vnd_per_kg),
    qualityTerms: r.quality_terms,
    status: r.status,
    signedOn: r.signed_on,
    document: r.document,
    fulfilment: fulfilmentOf(r),
    isDemo: r.is_demo,
  };
}

/** The contracts an actor may see: a buyer its own, everyone else their cooperatives'. */
export function contractScope(actor: Actor, params: unknown[]): string {
  return scopeSql(actor, SCOPED.contracts, 'c', params);
}

export interface CoveragePlotRow {
  id: string;
  zone_id: string | null;
  conversion_started_on: string | null;
  area_m2: string;
  contracted: boolean;
}

/** Contracts' SQL, all of it: contracts, their plots and signed copies, their fulfilment. */
export const contractRepository = {
  async find(manager: EntityManager, actor: Actor, id: string): Promise<ContractDto | null> {
    const params: unknown[] = [id];
    const scope = contractScope(actor, params);
    const [row] = await manager.query<ContractRow[]>(
      `${SELECT_CONTRACT} WHERE c.id = $1 AND ${scope}`,
      params,
    );
    return row ? toDto(row) : null;
  },

  /** Locks the contract with this id, if the actor sees it. */
  async lock(manager: EntityManager, actor: Actor, id: string): Promise<void> {
    const params: unknown[] = [id];
    await manager.query(
      `SELECT c.id FROM contracts c WHERE c.id = $1 AND ${contractScope(actor, params)} FOR UPDATE`,
      params,
    );
  },

  async page(
    manager: EntityManager,
    actor: Actor,
    query: ContractListQuery,
  ): Promise<Page<ContractDto>> {
    const params: unknown[] = [];
    const conditions = [contractScope(actor, params)];
    if (query.status) conditions.push(`c.status = $${params.push(query.status)}`);
    if (query.buyerId) conditions.push(`c.buyer_id = $${params.push(query.buyerId)}`);
    if (query.cooperativeId)
      conditions.push(`c.cooperative_id = $${params.push(query.cooperativeId)}`);
    if (query.seasonId) conditions.push(`c.season_id = $${params.push(query.seasonId)}`);
    if (query.q) {
      const like = `$${params.push(`%${escapeLike(query.q)}%`)}`;
      conditions.push(
        `(c.number ILIKE ${like}
          OR EXISTS (SELECT 1 FROM buyers qb WHERE qb.id = c.buyer_id AND qb.name ILIKE ${like})
          OR EXISTS (SELECT 1 FROM cooperatives qc WHERE qc.id = c.cooperative_id AND qc.name ILIKE ${like}))`,
      );
    }
    const where = `WHERE ${conditions.join(' AND ')}`;
    const [{ total }] = (await manager.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM contracts c ${where}`,
      params,
    )) as [{ total: number }];
    const sort = query.sort === 'number' ? 'c.number' : 'c.created_at';
    const rows = await manager.query<ContractRow[]>(
      `${SELECT_CONTRACT} ${where} ORDER BY ${sort} ${sqlOrder(query)}, c.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), total, query);
  },

  /** The contracts behind the fulfilment table: every one not cancelled, in the actor's scope. */
  forFulfilment(
    manager: EntityManager,
    actor: Actor,
    filter: { seasonId?: string; cooperativeId?: string },
  ): Promise<ContractRow[]> {
    const params: unknown[] = [];
    const conditions = [contractScope(actor, params), `c.status <> 'cancelled'`];
    if (filter.seasonId) conditions.push(`c.season_id = $${params.push(filter.seasonId)}`);
    if (filter.cooperativeId)
      conditions.push(`c.cooperative_id = $${params.push(filter.cooperativeId)}`);
    return manager.query<ContractRow[]>(
      `${SELECT_CONTRACT} WHERE ${conditions.join(' AND ')}`,
      params,
    );
  },

  async exists(
    manager: EntityManager,
    table: 'buyers' | 'seasons' | 'zones',
    id: string,
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
    return rows.length > 0;
  },

  async countOwnPlots(
    manager: EntityManager,
    plotIds: string[],
    cooperativeId: string,
  ): Promise<number> {
    const [{ n }] = (await manager.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM plots WHERE id = ANY($1::uuid[]) AND cooperative_id = $2',
      [plotIds, cooperativeId],
    )) as [{ n: number }];
    return n;
  },

  async insert(manager: EntityManager, dto: CreateContractDto): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO contracts (number, buyer_id, cooperative_id, season_id, product_category, basis, contracted_kg,
         zone_id, price_vnd_per_kg, quality_terms, signed_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        dto.number,
        dto.buyerId,
        dto.cooperativeId,
        dto.seasonId,
        dto.productCategory,
        dto.basis,
        dto.basis === 'quantity' ? dto.contractedKg : null,
        dto.zoneId,
        dto.priceVndPerKg,
        dto.qualityTerms,
        dto.signedOn,
      ],
    );
    for (const plotId of new Set(dto.plotIds)) {
      await manager.query('INSERT INTO contract_plots (contract_id, plot_id) VALUES ($1, $2)', [
        row!.id,
        plotId,
      ]);
    }
    return row!.id;
  },

  async setStatus(
    manager: EntityManager,
    contract: ShardKey,
    status: ContractStatus,
    signedOn: string | null | undefined,
  ): Promise<void> {
    await manager.query(
      `UPDATE contracts SET status = $2, signed_on = $3, updated_at = now()
        WHERE id = $1 AND cooperative_id = $4`,
      [contract.id, status, signedOn ?? null, contract.cooperativeId],
    );
  },

  /** The signed contract's document, one per contract. */
  documents: documentStore('contract_documents', 'contract_id'),

  /** The actor's plots, each saying whether a signed or active whole-area contract covers it. */
  coveragePlots(manager: EntityManager, actor: Actor): Promise<CoveragePlotRow[]> {
    const params: unknown[] = [];
    const plotScope = scopeSql(actor, SCOPED.plots, 'p', params);
    return manager.query<CoveragePlotRow[]>(
      `SELECT p.id, p.zone_id, to_char(p.conversion_started_on, 'YYYY-MM-DD') AS conversion_started_on, p.area_m2,
              EXISTS (SELECT 1 FROM contracts c
                       WHERE c.basis = 'whole_area' AND c.status IN ('signed', 'active') AND c.cooperative_id = p.cooperative_id
                         AND (p.id IN (SELECT cp.plot_id FROM contract_plots cp WHERE cp.contract_id = c.id)
                              OR (NOT EXISTS (SELECT 1 FROM contract_plots cp WHERE cp.contract_id = c.id) AND p.zone_id = c.zone_id))
                     ) AS contracted
         FROM plots p WHERE p.retired_on IS NULL AND ${plotScope}`,
      params,
    );
  },
};

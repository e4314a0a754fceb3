import type { LotDto, LotListQuery, Page } from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { SCOPED, scopeSql } from '../../access/auth/record-scope.js';
import { crossShard, LOT_TRACE, type ShardRow } from '../../platform/database/distribution.js';
import { escapeLike } from '../../platform/database/like.js';
import { affectedRows } from '../../platform/http/affected-rows.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import { seasonLabel } from '../catalogue/season-label.js';

interface LotRow {
  id: string;
  code: string;
  product_id: string;
  product_code: string;
  product_name_vi: string;
  product_name_en: string;
  product_category: LotDto['productCategory'];
  gtin: string | null;
  cooperative_id: string;
  season_id: string | null;
  season_year: number | null;
  season_name: string | null;
  process: LotDto['process'];
  produced_on: string;
  quantity_kg: string;
  remaining_kg: string;
  organic: boolean;
  status: LotDto['status'];
  recalled_at: Date | null;
  recall_reason: string | null;
  qr_url: string;
  created_at: Date;
}

/**
 * What scans say of each lot: how often it was scanned, and whether its page warns of copied
 * labels. Scans and pages are distributed by lot and by code, not by cooperative: read apart.
 */
interface LotScans {
  count: Map<string, number>;
  warned: Set<string>;
}

async function scansOf(manager: EntityManager, rows: LotRow[]): Promise<LotScans> {
  if (!rows.length) return { count: new Map(), warned: new Set() };
  const counts = await manager.query<{ lot_id: string; n: number }[]>(
    'SELECT lot_id, count(*)::int AS n FROM scans WHERE lot_id = ANY($1::uuid[]) GROUP BY lot_id',
    [rows.map((r) => r.id)],
  );
  const warnings = await manager.query<{ lot_id: string }[]>(
    'SELECT lot_id FROM lot_provenance WHERE code = ANY($1::text[]) AND scan_warning',
    [rows.map((r) => r.code)],
  );
  return {
    count: new Map(counts.map((c) => [c.lot_id, c.n])),
    warned: new Set(warnings.map((w) => w.lot_id)),
  };
}

const SELECT_LOT = `
  SELECT l.id, l.code, l.product_id, pr.code AS product_code, pr.name_vi AS product_name_vi,
         pr.name_en AS product_name_en, pr.category AS product_category, pr.gtin, l.cooperative_id,
         l.season_id, s.year AS season_year, s.name AS season_name, t.process,
         to_char(t.occurred_on, 'YYYY-MM-DD') AS produced_on, l.quantity_kg, l.remaining_kg, l.organic,
         l.status, l.recalled_at, l.recall_reason, l.qr_url, l.created_at
    FROM lots l
    JOIN products pr ON pr.id = l.product_id
    JOIN transformations t ON t.id = l.transformation_id AND t.cooperative_id = l.cooperative_id
    LEFT JOIN seasons s ON s.id = l.season_id`;

const SORT = { createdAt: 'l.created_at', code: 'l.code', quantity: 'l.quantity_kg' } as const;

function toDto(r: LotRow, scans: LotScans): LotDto {
  return {
    id: r.id,
    code: r.code,
    productId: r.product_id,
    productCode: r.product_code,
    productNameVi: r.product_name_vi,
    productNameEn: r.product_name_en,
    productCategory: r.product_category,
    gtin: r.gtin,
    cooperativeId: r.cooperative_id,
    seasonId: r.season_id,
    seasonLabel: r.season_year === null ? null : seasonLabel(r.season_year, r.season_name!),
    process: r.process,
    producedOn: r.produced_on,
    quantityKg: Number(r.quantity_kg),
    remainingKg: Number(r.remaining_kg),
    organic: r.organic,
    status: r.status,
    recalledAt: r.recalled_at?.toISOString() ?? null,
    recallReason: r.recall_reason,
    provenanceUrl: r.qr_url,
    scanCount: scans.count.get(r.id) ?? 0,
    scanWarning: scans.warned.has(r.id),
    createdAt: r.created_at.toISOString(),
  };
}

export interface HarvestInput {
  id: string;
  cooperative_id: string;
  category: string;
  organic_status: string;
  season_id: string;
  remaining_kg: string;
}

export interface LotInput {
  id: string;
  code: string;
  cooperative_id: string;
  category: string;
  organic: boolean;
  season_id: string | null;
  status: string;
  gtin: string | null;
}

export interface DownstreamLot {
  id: string;
  code: string;
  product: string;
  quantity_kg: string;
  status: LotDto['status'];
  depth: number;
}

export interface RecalledLot {
  id: string;
  code: string;
  gtin: string | null;
  quantity_kg: string;
  cooperative_id: string;
}

/** Lots' SQL, all of it: lots, the transformations that make them, what they take. */
export const lotRepository = {
  /** The lot with this id, if the actor sees it. */
  async find(manager: EntityManager, actor: Actor, id: string): Promise<LotDto | null> {
    const params: unknown[] = [id];
    const rows = await manager.query<LotRow[]>(
      `${SELECT_LOT} WHERE l.id = $1 AND ${scopeSql(actor, SCOPED.lots, 'l', params)}`,
      params,
    );
    const scans = await scansOf(manager, rows);
    return rows[0] ? toDto(rows[0], scans) : null;
  },

  async idOfCode(manager: EntityManager, code: string): Promise<string | null> {
    const [row] = await manager.query<{ id: string }[]>(
      `SELECT id FROM lots ${crossShard('an EPC names a lot by its code, not its cooperative')} WHERE code = $1`,
      [code],
    );
    return row?.id ?? null;
  },

  async page(manager: EntityManager, actor: Actor, query: LotListQuery): Promise<Page<LotDto>> {
    const params: unknown[] = [];
    const conditions = [scopeSql(actor, SCOPED.lots, 'l', params)];
    if (query.status) conditions.push(`l.status = $${params.push(query.status)}`);
    if (query.productId) conditions.push(`l.product_id = $${params.push(query.productId)}`);
    if (query.cooperativeId)
      conditions.push(`l.cooperative_id = $${params.push(query.cooperativeId)}`);
    if (query.seasonId) conditions.push(`l.season_id = $${params.push(query.seasonId)}`);
    if (query.q) conditions.push(`l.code ILIKE $${params.push(`%${escapeLike(query.q)}%`)}`);
    if (query.available === 'true')
      conditions.push(`l.remaining_kg > 0 AND l.status IN ('open', 'sealed')`);
    const where = `WHERE ${conditions.join(' AND ')}`;
    const [{ total }] = (await manager.query<{ total: string }[]>(
      `SELECT count(*) AS total FROM lots l ${where}`,
      params,
    )) as [{ total: string }];
    const rows = await manager.query<LotRow[]>(
      `${SELECT_LOT} ${where} ORDER BY ${SORT[query.sort]} ${sqlOrder(query)}, l.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    const scans = await scansOf(manager, rows);
    return pageOf(
      rows.map((row) => toDto(row, scans)),
      Number(total),
      query,
    );
  },

  products(
    manager: EntityManager,
    ids: string[],
  ): Promise<{ id: string; category: string; gtin: string | null }[]> {
    return manager.query('SELECT id, category, gtin FROM products WHERE id = ANY($1::uuid[])', [
      ids,
    ]);
  },

  async insertTransformation(
    manager: EntityManager,
    t: { process: string; occurredOn: string; cooperativeId: string; note: string | null },
    username: string,
  ): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO transformations (process, occurred_on, cooperative_id, note, created_by_username)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [t.process, t.occurredOn, t.cooperativeId, t.note, username],
    );
    return row!.id;
  },

  async insertInput(
    manager: EntityManager,
    transformationId: string,
    input: { kind: 'harvest' | 'lot'; id: string; quantityKg: number },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO transformation_inputs (transformation_id, harvest_id, lot_id, quantity_kg) VALUES ($1, $2, $3, $4)`,
      [
        transformationId,
        input.kind === 'harvest' ? input.id : null,
        input.kind === 'lot' ? input.id : null,
        input.quantityKg,
      ],
    );
  },

  async insert(
    manager: EntityManager,
    lot: {
      code: string;
      productId: string;
      cooperativeId: string;
      seasonId: string | null;
      transformationId: string;
      quantityKg: number;
      organic: boolean;
      qrUrl: string;
      qrSvg: string;
    },
  ): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO lots (code, product_id, cooperative_id, season_id, transformation_id, quantity_kg, remaining_kg,
         organic, qr_url, qr_svg)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) RETURNING id`,
      [
        lot.code,
        lot.productId,
        lot.cooperativeId,
        lot.seasonId,
        lot.transformationId,
        lot.quantityKg,
        lot.organic,
        lot.qrUrl,
        lot.qrSvg,
      ],
    );
    return row!.id;
  },

  async registrationNumber(manager: EntityManager, cooperativeId: string): Promise<string> {
    const [row] = await manager.query<{ registration_number: string }[]>(
      'SELECT registration_number FROM cooperatives WHERE id = $1',
      [cooperativeId],
    );
    return row!.registration_number;
  },

  /** The harvest with this id, if the actor sees it. */
  async harvestInput(
    manager: EntityManager,
    actor: Actor,
    id: string,
  ): Promise<HarvestInput | null> {
    const params: unknown[] = [id];
    const [row] = await manager.query<HarvestInput[]>(
      `SELECT h.id, h.cooperative_id, pr.category, h.organic_status, h.season_id, h.remaining_kg
         FROM harvests h JOIN products pr ON pr.id = h.product_id
        WHERE h.id = $1 AND ${scopeSql(actor, SCOPED.harvests, 'h', params)}`,
      params,
    );
    return row ?? null;
  },

  /** Takes the quantity if that much remains, atomically; else answers what remains. */
  async takeFromHarvest(
    manager: EntityManager,
    harvest: ShardRow,
    kg: number,
  ): Promise<{ taken: true } | { taken: false; remainingKg: string }> {
    const taken = await manager.query<unknown[]>(
      `UPDATE harvests SET remaining_kg = remaining_kg - $2
        WHERE id = $1 AND cooperative_id = $3 AND remaining_kg >= $2 RETURNING id`,
      [harvest.id, kg, harvest.cooperative_id],
    );
    if (affectedRows(taken) > 0) return { taken: true };
    const [now] = await manager.query<{ remaining_kg: string }[]>(
      'SELECT remaining_kg FROM harvests WHERE id = $1 AND cooperative_id = $2',
      [harvest.id, harvest.cooperative_id],
    );
    return { taken: false, remainingKg: now!.remaining_kg };
  },

  /** The lot with this id, if the actor sees it. */
  async lotInput(manager: EntityManager, actor: Actor, id: string): Promise<LotInput | null> {
    const params: unknown[] = [id];
    const [row] = await manager.query<LotInput[]>(
      `SELECT l.id, l.code, l.cooperative_id, pr.category, l.organic, l.season_id, l.status, pr.gtin
         FROM lots l JOIN products pr ON pr.id = l.product_id
        WHERE l.id = $1 AND ${scopeSql(actor, SCOPED.lots, 'l', params)}`,
      params,
    );
    return row ?? null;
  },

  /**
   * Takes the quantity from a usable lot if that much remains, atomically — a lot shipped whole
   * becomes `shipped` when `shipping` — else answers how it stands.
   */
  async takeFromLot(
    manager: EntityManager,
    lot: ShardRow,
    kg: number,
    shipping = false,
  ): Promise<{ taken: true } | { taken: false; status: string; remainingKg: string }> {
    const taken = await manager.query<unknown[]>(
      `UPDATE lots SET remaining_kg = remaining_kg - $2,
              status = CASE WHEN $3 AND remaining_kg - $2 = 0 THEN 'shipped' ELSE status END
        WHERE id = $1 AND cooperative_id = $4 AND remaining_kg >= $2 AND status IN ('open', 'sealed')
        RETURNING id`,
      [lot.id, kg, shipping, lot.cooperative_id],
    );
    if (affectedRows(taken) > 0) return { taken: true };
    const [now] = await manager.query<{ status: string; remaining_kg: string }[]>(
      'SELECT status, remaining_kg FROM lots WHERE id = $1 AND cooperative_id = $2',
      [lot.id, lot.cooperative_id],
    );
    return { taken: false, status: now!.status, remainingKg: now!.remaining_kg };
  },

  /** Every lot made from this one, however far down, at its nearest depth. */
  downstream(manager: EntityManager, id: string): Promise<DownstreamLot[]> {
    return manager.query<DownstreamLot[]>(
      `${LOT_TRACE}
       WITH RECURSIVE down(id, depth) AS (
         SELECT $1::uuid, 0
         UNION
         SELECT l.id, d.depth + 1 FROM down d
           JOIN transformation_inputs ti ON ti.lot_id = d.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
       )
       SELECT l.id, l.code, pr.category AS product, l.quantity_kg, l.status, min(d.depth) AS depth
         FROM down d JOIN lots l ON l.id = d.id JOIN products pr ON pr.id = l.product_id
        WHERE d.depth > 0
        GROUP BY l.id, l.code, pr.category, l.quantity_kg, l.status
        ORDER BY min(d.depth), l.code`,
      [id],
    );
  },

  /** Lots made from these harvests, however far down, those nearest the harvests first. */
  madeFromHarvests(
    manager: EntityManager,
    harvestIds: string[],
  ): Promise<{ id: string; transformation_id: string }[]> {
    return manager.query(
      `${LOT_TRACE}
       WITH RECURSIVE down(id, depth) AS (
         SELECT l.id, 1 FROM transformation_inputs ti
           JOIN lots l ON l.transformation_id = ti.transformation_id
          WHERE ti.harvest_id = ANY($1::uuid[])
         UNION
         SELECT l.id, d.depth + 1 FROM down d
           JOIN transformation_inputs ti ON ti.lot_id = d.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
          WHERE d.depth < 50
       )
       SELECT l.id, l.transformation_id FROM lots l
        WHERE l.id IN (SELECT id FROM down)
        ORDER BY (SELECT max(depth) FROM down WHERE down.id = l.id), l.created_at`,
      [harvestIds],
    );
  },

  /** Whether each input of the transformation is organic: a certified harvest or an organic lot. */
  inputsOrganic(manager: EntityManager, transformationId: string): Promise<{ organic: boolean }[]> {
    return manager.query(
      `SELECT coalesce(h.organic_status = 'certified', il.organic) AS organic
         FROM transformation_inputs ti
         LEFT JOIN harvests h ON h.id = ti.harvest_id
         LEFT JOIN lots il ON il.id = ti.lot_id
        WHERE ti.transformation_id = $1`,
      [transformationId],
    );
  },

  async setOrganic(manager: EntityManager, id: string, organic: boolean): Promise<void> {
    await manager.query('UPDATE lots SET organic = $2 WHERE id = $1', [id, organic]);
  },

  async sealIfOpen(manager: EntityManager, id: string): Promise<boolean> {
    const updated = await manager.query<unknown[]>(
      `UPDATE lots SET status = 'sealed' WHERE id = $1 AND status = 'open' RETURNING id`,
      [id],
    );
    return affectedRows(updated) > 0;
  },

  /**
   * Rule 5: the lot and every lot made from it not yet recalled, locked, oldest first — against
   * other writes, not against rows that refer to them (a scan, a page noted for the log): those
   * wait on nothing, so a recall and the log appender never deadlock.
   */
  lockForRecall(manager: EntityManager, id: string): Promise<RecalledLot[]> {
    return manager.query<RecalledLot[]>(
      `WITH RECURSIVE down(id) AS (
         SELECT $1::uuid
         UNION
         SELECT l.id FROM down d
           JOIN transformation_inputs ti ON ti.lot_id = d.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
       )
       SELECT l.id, l.code, pr.gtin, l.quantity_kg, l.cooperative_id
         FROM down d JOIN lots l ON l.id = d.id JOIN products pr ON pr.id = l.product_id
        WHERE l.status <> 'recalled'
        ORDER BY l.created_at
        FOR NO KEY UPDATE OF l`,
      [id],
    );
  },

  async markRecalled(
    manager: EntityManager,
    origin: string,
    reason: string,
    ids: string[],
  ): Promise<void> {
    await manager.query(
      `UPDATE lots SET status = 'recalled', recalled_at = now(), recall_reason = $2,
         recalled_because_of = CASE WHEN id = $1 THEN NULL ELSE $1::uuid END
       WHERE id = ANY($3::uuid[])`,
      [origin, reason, ids],
    );
  },

  ocopProducts(
    manager: EntityManager,
    productIds: string[],
  ): Promise<
    { product_id: string; cooperative_id: string; score: number; certified_on: string }[]
  > {
    return manager.query(
      `SELECT product_id, cooperative_id, score, to_char(certified_on, 'YYYY-MM-DD') AS certified_on
         FROM ocop_products WHERE product_id = ANY($1::uuid[])`,
      [productIds],
    );
  },

  async qrSvg(manager: EntityManager, lot: ShardRow): Promise<string> {
    const [row] = await manager.query<{ qr_svg: string }[]>(
      'SELECT qr_svg FROM lots WHERE id = $1 AND cooperative_id = $2',
      [lot.id, lot.cooperative_id],
    );
    return row!.qr_svg;
  },

  async qrPng(manager: EntityManager, lot: ShardRow): Promise<Buffer | null> {
    const [row] = await manager.query<{ qr_png: Buffer | null }[]>(
      'SELECT qr_png FROM lots WHERE id = $1 AND cooperative_id = $2',
      [lot.id, lot.cooperative_id],
    );
    return row!.qr_png ? Buffer.from(row!.qr_png) : null;
  },

  async keepQrPng(manager: EntityManager, lot: ShardRow, png: Buffer): Promise<void> {
    await manager.query('UPDATE lots SET qr_png = $3 WHERE id = $1 AND cooperative_id = $2', [
      lot.id,
      lot.cooperative_id,
      png,
    ]);
  },
};

import {
  ocopStars,
  ocopValidTo,
  todayIso,
  type CreateOcopProductDto,
  type OcopListQuery,
  type OcopProductDto,
  type Page,
} from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { SCOPED, scopeSql } from '../../access/auth/record-scope.js';
import { escapeLike } from '../../platform/database/like.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';

interface OcopRow {
  id: string;
  name: string;
  cooperative_id: string;
  cooperative_name: string;
  product_id: string | null;
  score: number;
  level: OcopProductDto['level'];
  certificate_number: string;
  certified_on: string;
  is_demo: boolean;
}

export function toOcopDto(r: OcopRow, today = todayIso()): OcopProductDto {
  const validTo = ocopValidTo(r.certified_on);
  return {
    id: r.id,
    name: r.name,
    cooperativeId: r.cooperative_id,
    cooperativeName: r.cooperative_name,
    productId: r.product_id,
    score: r.score,
    stars: ocopStars(r.score),
    level: r.level,
    certificateNumber: r.certificate_number,
    certifiedOn: r.certified_on,
    validTo,
    valid: r.certified_on <= today && today < validTo,
    isDemo: r.is_demo,
  };
}

export const SELECT_OCOP = `
  SELECT o.id, o.name, o.cooperative_id, c.name AS cooperative_name, o.product_id, o.score, o.level,
         o.certificate_number, to_char(o.certified_on, 'YYYY-MM-DD') AS certified_on, o.is_demo
    FROM ocop_products o JOIN cooperatives c ON c.id = o.cooperative_id`;

/** OCOP products' SQL, all of it. */
export const ocopRepository = {
  async page(
    manager: EntityManager,
    actor: Actor,
    query: OcopListQuery,
  ): Promise<Page<OcopProductDto>> {
    const params: unknown[] = [];
    const conditions = [scopeSql(actor, SCOPED.ocop, 'o', params)];
    if (query.q) {
      const like = `$${params.push(`%${escapeLike(query.q)}%`)}`;
      conditions.push(
        `(o.name ILIKE ${like} OR c.name ILIKE ${like} OR o.certificate_number ILIKE ${like})`,
      );
    }
    const where = `WHERE ${conditions.join(' AND ')}`;
    const [{ total }] = (await manager.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM ocop_products o JOIN cooperatives c ON c.id = o.cooperative_id ${where}`,
      params,
    )) as [{ total: number }];
    const sort = { certifiedOn: 'o.certified_on', name: 'o.name', score: 'o.score' }[query.sort];
    const rows = await manager.query<OcopRow[]>(
      `${SELECT_OCOP} ${where} ORDER BY ${sort} ${sqlOrder(query)}, o.id
        LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(
      rows.map((r) => toOcopDto(r)),
      total,
      query,
    );
  },

  async find(manager: EntityManager, id: string): Promise<OcopProductDto> {
    const [row] = await manager.query<OcopRow[]>(`${SELECT_OCOP} WHERE o.id = $1`, [id]);
    return toOcopDto(row!);
  },

  async productExists(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM products WHERE id = $1', [id]);
    return rows.length > 0;
  },

  async insert(manager: EntityManager, dto: CreateOcopProductDto): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO ocop_products (name, cooperative_id, product_id, score, level, certificate_number, certified_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        dto.name,
        dto.cooperativeId,
        dto.productId,
        dto.score,
        dto.level,
        dto.certificateNumber,
        dto.certifiedOn,
      ],
    );
    return row!.id;
  },

  /** The cooperative's lots of the product: their pages carry its stars. */
  async lotsOf(
    manager: EntityManager,
    productId: string,
    cooperativeId: string,
  ): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      'SELECT id FROM lots WHERE product_id = $1 AND cooperative_id = $2',
      [productId, cooperativeId],
    );
    return rows.map((r) => r.id);
  },
};

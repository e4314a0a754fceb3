import type { BuyerDto, BuyerListQuery, Page } from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { buyerScopeSql } from '../../access/auth/record-scope.js';
import { escapeLike } from '../../platform/database/like.js';
import { returnedRows } from '../../platform/http/affected-rows.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';

/** Buyers' SQL, all of it: every read takes the reader's scope. */
interface BuyerRow {
  id: string;
  name: string;
  tax_code: string;
  province: string;
  address: string | null;
  contacts: BuyerDto['contacts'];
  registered_unit_id: string | null;
  is_demo: boolean;
}

const toDto = (r: BuyerRow): BuyerDto => ({
  id: r.id,
  name: r.name,
  taxCode: r.tax_code,
  province: r.province,
  address: r.address,
  contacts: r.contacts,
  registeredUnitId: r.registered_unit_id,
  isDemo: r.is_demo,
});

export interface BuyerFields {
  name: string;
  taxCode: string;
  province: string;
  address: string | null;
  contacts: BuyerDto['contacts'];
}

export const buyerRepository = {
  async page(manager: EntityManager, actor: Actor, query: BuyerListQuery): Promise<Page<BuyerDto>> {
    const params: unknown[] = [];
    const conditions = [buyerScopeSql(actor, 'b', params)];
    if (query.q) {
      const like = `$${params.push(`%${escapeLike(query.q)}%`)}`;
      conditions.push(`(b.name ILIKE ${like} OR b.tax_code ILIKE ${like})`);
    }
    const where = `WHERE ${conditions.join(' AND ')}`;
    const [{ total }] = (await manager.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM buyers b ${where}`,
      params,
    )) as [{ total: number }];
    const sort = query.sort === 'province' ? 'b.province' : 'b.name';
    const rows = await manager.query<BuyerRow[]>(
      `SELECT * FROM buyers b ${where} ORDER BY ${sort} ${sqlOrder(query)}, b.id
        LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), total, query);
  },

  async find(manager: EntityManager, actor: Actor, id: string): Promise<BuyerDto | null> {
    const params: unknown[] = [id];
    const [row] = await manager.query<BuyerRow[]>(
      `SELECT * FROM buyers b WHERE b.id = $1 AND ${buyerScopeSql(actor, 'b', params)}`,
      params,
    );
    return row ? toDto(row) : null;
  },

  async insert(manager: EntityManager, fields: BuyerFields, unitId: string): Promise<BuyerDto> {
    const [row] = await manager.query<BuyerRow[]>(
      `INSERT INTO buyers (name, tax_code, province, address, contacts, registered_unit_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING *`,
      [
        fields.name,
        fields.taxCode,
        fields.province,
        fields.address,
        JSON.stringify(fields.contacts),
        unitId,
      ],
    );
    return toDto(row!);
  },

  async update(manager: EntityManager, id: string, fields: BuyerFields): Promise<BuyerDto> {
    const result = await manager.query(
      `UPDATE buyers SET name = $2, tax_code = $3, province = $4, address = $5, contacts = $6::jsonb
        WHERE id = $1 RETURNING *`,
      [
        id,
        fields.name,
        fields.taxCode,
        fields.province,
        fields.address,
        JSON.stringify(fields.contacts),
      ],
    );
    return toDto(returnedRows<BuyerRow>(result)[0]!);
  },

  /** The unit a buyer registered by this user belongs to when none is named: a district first. */
  async firstUnitOf(manager: EntityManager, actor: Actor): Promise<string | null> {
    const [row] = await manager.query<{ admin_unit_id: string }[]>(
      `SELECT uau.admin_unit_id FROM user_admin_units uau JOIN admin_units u ON u.id = uau.admin_unit_id
        WHERE uau.user_id = $1
        ORDER BY CASE u.level WHEN 'district' THEN 0 WHEN 'province' THEN 1 ELSE 2 END, u.code LIMIT 1`,
      [actor.id],
    );
    return row?.admin_unit_id ?? null;
  },
};

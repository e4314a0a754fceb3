import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type BuyerDto,
  type CreateBuyerDto as CreateBuyer,
  type UpdateBuyerDto as UpdateBuyer,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import { Actor } from '../../access/auth/actor.js';
import { buyerScopeSql } from '../../access/auth/record-scope.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';

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

/** Buyers (doanh nghiệp): a buyer's own users see only their organisation. */
@Injectable()
export class BuyerService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor): Promise<BuyerDto[]> {
    const params: unknown[] = [];
    const rows = await this.db.query<BuyerRow[]>(
      `SELECT * FROM buyers b WHERE ${buyerScopeSql(actor, 'b', params)} ORDER BY name`,
      params,
    );
    return rows.map(toDto);
  }

  async get(actor: Actor, id: string, manager: EntityManager = this.db.manager): Promise<BuyerDto> {
    const params: unknown[] = [id];
    const [row] = await manager.query<BuyerRow[]>(
      `SELECT * FROM buyers b WHERE b.id = $1 AND ${buyerScopeSql(actor, 'b', params)}`,
      params,
    );
    if (!row) throw notFound('Buyer', id);
    return toDto(row);
  }

  async create(actor: Actor, dto: CreateBuyer): Promise<BuyerDto> {
    return this.db.transaction(async (manager) => {
      const unitId = dto.registeredUnitId ?? (await this.firstUnitOf(manager, actor));
      if (!unitId || !actor.unitIds.includes(unitId)) {
        throw fieldError(
          'REFERENCE_NOT_FOUND',
          'registeredUnitId',
          'No admin unit of yours with this id.',
        );
      }
      const [row] = await manager.query<BuyerRow[]>(
        `INSERT INTO buyers (name, tax_code, province, address, contacts, registered_unit_id)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING *`,
        [dto.name, dto.taxCode, dto.province, dto.address, JSON.stringify(dto.contacts), unitId],
      );
      await this.audit.record(manager, actor, {
        action: 'buyer.create',
        entity: 'buyer',
        entityId: row!.id,
        after: row,
      });
      return toDto(row!);
    });
  }

  private async firstUnitOf(manager: EntityManager, actor: Actor): Promise<string | null> {
    const [row] = await manager.query<{ admin_unit_id: string }[]>(
      `SELECT uau.admin_unit_id FROM user_admin_units uau JOIN admin_units u ON u.id = uau.admin_unit_id
        WHERE uau.user_id = $1 ORDER BY CASE u.level WHEN 'district' THEN 0 WHEN 'province' THEN 1 ELSE 2 END, u.code LIMIT 1`,
      [actor.id],
    );
    return row?.admin_unit_id ?? null;
  }

  async update(actor: Actor, id: string, dto: UpdateBuyer): Promise<BuyerDto> {
    return this.db.transaction(async (manager) => {
      const before = await this.get(actor, id, manager);
      const next = { ...before, ...dto };
      const [row] = await manager.query<BuyerRow[]>(
        `UPDATE buyers SET name = $2, tax_code = $3, province = $4, address = $5, contacts = $6::jsonb WHERE id = $1 RETURNING *`,
        [id, next.name, next.taxCode, next.province, next.address, JSON.stringify(next.contacts)],
      );
      const updated = (Array.isArray(row) ? row[0] : row) as BuyerRow;
      await this.audit.record(manager, actor, {
        action: 'buyer.update',
        entity: 'buyer',
        entityId: id,
        before,
        after: updated,
      });
      return toDto(updated);
    });
  }
}

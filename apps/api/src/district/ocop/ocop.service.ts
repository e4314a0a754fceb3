import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ocopStars,
  ocopValidTo,
  todayIso,
  type CreateOcopProductDto,
  type OcopProductDto,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable, SCOPED, scopeSql } from '../../access/auth/record-scope.js';
import { fieldError } from '../../platform/http/domain-error.js';
import { ProvenanceBuilder } from '../../trace/provenance/provenance.builder.js';

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

/** OCOP products: stars from the score, valid 36 months; lots of the product show the stars while valid. */
@Injectable()
export class OcopService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly provenance: ProvenanceBuilder,
  ) {}

  async list(actor: Actor): Promise<OcopProductDto[]> {
    const params: unknown[] = [];
    const scope = scopeSql(actor, SCOPED.ocop, 'o', params);
    const rows = await this.db.query<OcopRow[]>(
      `${SELECT_OCOP} WHERE ${scope} ORDER BY o.certified_on DESC`,
      params,
    );
    return rows.map((r) => toOcopDto(r));
  }

  async create(actor: Actor, dto: CreateOcopProductDto): Promise<OcopProductDto> {
    if (dto.certifiedOn > todayIso())
      throw fieldError(
        'VALIDATION_FAILED',
        'certifiedOn',
        'A certificate is dated on or before today.',
      );
    const id = await this.db.transaction(async (manager) => {
      if (!(await cooperativeWritable(manager, actor, dto.cooperativeId))) {
        throw fieldError('REFERENCE_NOT_FOUND', 'cooperativeId', 'No cooperative with this id.');
      }
      if (dto.productId) {
        const [product] = await manager.query('SELECT 1 FROM products WHERE id = $1', [
          dto.productId,
        ]);
        if (!product)
          throw fieldError('REFERENCE_NOT_FOUND', 'productId', 'No product with this id.');
      }
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
      // The product's lots carry the stars on their pages from now on.
      if (dto.productId) {
        const lots = await manager.query<{ id: string }[]>(
          'SELECT id FROM lots WHERE product_id = $1 AND cooperative_id = $2',
          [dto.productId, dto.cooperativeId],
        );
        for (const lot of lots) await this.provenance.rebuild(manager, lot.id);
      }
      await this.audit.record(manager, actor, {
        action: 'ocop.create',
        entity: 'ocop_product',
        entityId: row!.id,
        after: dto,
      });
      return row!.id;
    });
    const [row] = await this.db.query<OcopRow[]>(`${SELECT_OCOP} WHERE o.id = $1`, [id]);
    return toOcopDto(row!);
  }
}

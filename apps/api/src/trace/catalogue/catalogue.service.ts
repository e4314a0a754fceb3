import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CreateProductDto as CreateProduct,
  type CreateSeasonDto as CreateSeason,
  type ProductDto,
  type SeasonDto,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { Actor } from '../../access/auth/actor.js';
import { AuditService } from '../../access/audit/audit.service.js';

interface SeasonRow {
  id: string;
  year: number;
  name: SeasonDto['name'];
  starts_on: string;
  ends_on: string;
}
interface ProductRow {
  id: string;
  code: string;
  name_vi: string;
  name_en: string;
  category: ProductDto['category'];
  gtin: string | null;
  pack_size_kg: string | null;
  is_demo: boolean;
}

const toSeason = (r: SeasonRow): SeasonDto => ({
  id: r.id,
  year: r.year,
  name: r.name,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
});
const toProduct = (r: ProductRow): ProductDto => ({
  id: r.id,
  code: r.code,
  nameVi: r.name_vi,
  nameEn: r.name_en,
  category: r.category,
  gtin: r.gtin,
  packSizeKg: r.pack_size_kg === null ? null : Number(r.pack_size_kg),
  isDemo: r.is_demo,
});

/** Seasons (vụ) and products: the small catalogues harvests and lots refer to. */
@Injectable()
export class CatalogueService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async seasons(): Promise<SeasonDto[]> {
    const rows = await this.db.query<SeasonRow[]>(
      `SELECT id, year, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on
         FROM seasons ORDER BY starts_on DESC`,
    );
    return rows.map(toSeason);
  }

  async createSeason(actor: Actor, dto: CreateSeason): Promise<SeasonDto> {
    return this.db.transaction(async (manager) => {
      const [row] = await manager.query<SeasonRow[]>(
        `INSERT INTO seasons (year, name, starts_on, ends_on) VALUES ($1, $2, $3, $4)
         RETURNING id, year, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on`,
        [dto.year, dto.name, dto.startsOn, dto.endsOn],
      );
      await this.audit.record(manager, actor, {
        action: 'season.create',
        entity: 'season',
        entityId: row!.id,
        after: row,
      });
      return toSeason(row!);
    });
  }

  async products(): Promise<ProductDto[]> {
    return (
      await this.db.query<ProductRow[]>('SELECT * FROM products ORDER BY category, code')
    ).map(toProduct);
  }

  async createProduct(actor: Actor, dto: CreateProduct): Promise<ProductDto> {
    return this.db.transaction(async (manager) => {
      const [row] = await manager.query<ProductRow[]>(
        `INSERT INTO products (code, name_vi, name_en, category, gtin, pack_size_kg) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [dto.code, dto.nameVi, dto.nameEn, dto.category, dto.gtin, dto.packSizeKg],
      );
      await this.audit.record(manager, actor, {
        action: 'product.create',
        entity: 'product',
        entityId: row!.id,
        after: row,
      });
      return toProduct(row!);
    });
  }
}

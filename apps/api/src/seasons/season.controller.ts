import { Body, Controller, Get, Injectable, Post } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  createProductSchema,
  createSeasonSchema,
  type CreateProductDto as CreateProduct,
  type CreateSeasonDto as CreateSeason,
  type ProductDto,
  type SeasonDto,
  seasonDtoSchema,
  productDtoSchema,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { Actor, Allow, CurrentActor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { Returns, zodDto } from '../common/zod-dto.js';

class CreateSeasonDto extends zodDto('CreateSeasonDto', createSeasonSchema) {}
class CreateProductDto extends zodDto('CreateProductDto', createProductSchema) {}

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

@ApiTags('seasons and products')
@ApiBearerAuth()
@Controller()
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get('seasons')
  @Allow('registry.read')
  @Returns('SeasonList', z.array(seasonDtoSchema))
  seasons() {
    return this.catalogue.seasons();
  }

  @Post('seasons')
  @Allow('seasons.write')
  @Returns('SeasonDto', seasonDtoSchema, 201)
  createSeason(@CurrentActor() actor: Actor, @Body() dto: CreateSeasonDto) {
    return this.catalogue.createSeason(actor, dto);
  }

  @Get('products')
  @Allow('registry.read')
  @Returns('ProductList', z.array(productDtoSchema))
  products() {
    return this.catalogue.products();
  }

  /** A trade item with its GTIN (check digit verified) and pack size, for labels. */
  @Post('products')
  @Allow('products.write')
  @Returns('ProductDto', productDtoSchema, 201)
  createProduct(@CurrentActor() actor: Actor, @Body() dto: CreateProductDto) {
    return this.catalogue.createProduct(actor, dto);
  }
}

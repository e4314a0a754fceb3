import type { CreateProductDto, CreateSeasonDto, ProductDto, SeasonDto } from '@huuco/domain';
import type { EntityManager } from 'typeorm';

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

/** Seasons' and products' SQL, all of it. */
export const catalogueRepository = {
  async seasons(manager: EntityManager): Promise<SeasonDto[]> {
    const rows = await manager.query<SeasonRow[]>(
      `SELECT id, year, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on
         FROM seasons ORDER BY starts_on DESC`,
    );
    return rows.map(toSeason);
  },

  async insertSeason(manager: EntityManager, dto: CreateSeasonDto): Promise<SeasonDto> {
    const [row] = await manager.query<SeasonRow[]>(
      `INSERT INTO seasons (year, name, starts_on, ends_on) VALUES ($1, $2, $3, $4)
       RETURNING id, year, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on`,
      [dto.year, dto.name, dto.startsOn, dto.endsOn],
    );
    return toSeason(row!);
  },

  async products(manager: EntityManager): Promise<ProductDto[]> {
    const rows = await manager.query<ProductRow[]>(
      'SELECT * FROM products ORDER BY category, code',
    );
    return rows.map(toProduct);
  },

  async insertProduct(manager: EntityManager, dto: CreateProductDto): Promise<ProductDto> {
    const [row] = await manager.query<ProductRow[]>(
      `INSERT INTO products (code, name_vi, name_en, category, gtin, pack_size_kg) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [dto.code, dto.nameVi, dto.nameEn, dto.category, dto.gtin, dto.packSizeKg],
    );
    return toProduct(row!);
  },
};

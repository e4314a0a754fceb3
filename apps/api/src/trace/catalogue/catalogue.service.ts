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
import { catalogueRepository } from './catalogue.repository.js';

/** Seasons (vụ) and products: the small catalogues harvests and lots refer to. */
@Injectable()
export class CatalogueService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  seasons(): Promise<SeasonDto[]> {
    return catalogueRepository.seasons(this.db.manager);
  }

  async createSeason(actor: Actor, dto: CreateSeason): Promise<SeasonDto> {
    return this.db.transaction(async (manager) => {
      const season = await catalogueRepository.insertSeason(manager, dto);
      await this.audit.record(manager, actor, {
        action: 'season.create',
        entity: 'season',
        entityId: season.id,
        after: season,
      });
      return season;
    });
  }

  products(): Promise<ProductDto[]> {
    return catalogueRepository.products(this.db.manager);
  }

  async createProduct(actor: Actor, dto: CreateProduct): Promise<ProductDto> {
    return this.db.transaction(async (manager) => {
      const product = await catalogueRepository.insertProduct(manager, dto);
      await this.audit.record(manager, actor, {
        action: 'product.create',
        entity: 'product',
        entityId: product.id,
        after: product,
      });
      return product;
    });
  }
}

import { Body, Controller, Get, Post } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  createProductSchema,
  createSeasonSchema,
  seasonDtoSchema,
  productDtoSchema,
} from '@huuco/domain';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { CatalogueService } from './catalogue.service.js';

class CreateSeasonDto extends zodDto('CreateSeasonDto', createSeasonSchema) {}
class CreateProductDto extends zodDto('CreateProductDto', createProductSchema) {}

/** Seasons (vụ) and products: the small catalogues harvests and lots refer to. */
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

import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  buyerDtoSchema,
  buyerListQuerySchema,
  pageSchema,
  createBuyerSchema,
  recordChangeDtoSchema,
  updateBuyerSchema,
} from '@huuco/domain';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { BuyerService } from './buyer.service.js';

class CreateBuyerDto extends zodDto('CreateBuyerDto', createBuyerSchema) {}
class UpdateBuyerDto extends zodDto('UpdateBuyerDto', updateBuyerSchema) {}
class BuyerListQueryDto extends zodDto('BuyerListQuery', buyerListQuerySchema) {}

/** Buyers (doanh nghiệp): a buyer's own users see only their organisation. */
@ApiTags('buyers')
@ApiBearerAuth()
@Controller('buyers')
export class BuyerController {
  constructor(private readonly buyers: BuyerService) {}

  @Get()
  @Allow('buyers.read')
  @Returns('BuyerPage', pageSchema(buyerDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: BuyerListQueryDto) {
    return this.buyers.list(actor, query);
  }

  @Post()
  @Allow('buyers.write')
  @Returns('BuyerDto', buyerDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateBuyerDto) {
    return this.buyers.create(actor, dto);
  }

  @Get(':id')
  @Allow('buyers.read')
  @Returns('BuyerDto', buyerDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.buyers.get(actor, id);
  }

  /** Its timeline: who registered and changed it, and when. */
  @Get(':id/changes')
  @Allow('buyers.read')
  @Returns('RecordChangeList', z.array(recordChangeDtoSchema))
  changes(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.buyers.changes(actor, id);
  }

  @Patch(':id')
  @Allow('buyers.write')
  @Returns('BuyerDto', buyerDtoSchema)
  update(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: UpdateBuyerDto) {
    return this.buyers.update(actor, id, dto);
  }
}

import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  createOcopProductSchema,
  ocopListQuerySchema,
  ocopProductDtoSchema,
  pageSchema,
} from '@huuco/domain';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { OcopService } from './ocop.service.js';

class CreateOcopProductDto extends zodDto('CreateOcopProductDto', createOcopProductSchema) {}
class OcopListQueryDto extends zodDto('OcopListQuery', ocopListQuerySchema) {}

@ApiTags('targets and OCOP')
@ApiBearerAuth()
@Controller('ocop-products')
export class OcopController {
  constructor(private readonly ocop: OcopService) {}

  @Get()
  @Allow('ocop.read')
  @Returns('OcopProductPage', pageSchema(ocopProductDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: OcopListQueryDto) {
    return this.ocop.list(actor, query);
  }

  /** Stars come from the score; the certificate is valid 36 months. */
  @Post()
  @Allow('ocop.write')
  @Returns('OcopProductDto', ocopProductDtoSchema, 201)
  createOcop(@CurrentActor() actor: Actor, @Body() dto: CreateOcopProductDto) {
    return this.ocop.create(actor, dto);
  }
}

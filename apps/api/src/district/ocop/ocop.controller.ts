import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createOcopProductSchema, ocopProductDtoSchema } from '@huuco/domain';
import { z } from 'zod';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { OcopService } from './ocop.service.js';

class CreateOcopProductDto extends zodDto('CreateOcopProductDto', createOcopProductSchema) {}

@ApiTags('targets and OCOP')
@ApiBearerAuth()
@Controller('ocop-products')
export class OcopController {
  constructor(private readonly ocop: OcopService) {}

  @Get()
  @Allow('ocop.read')
  @Returns('OcopProductList', z.array(ocopProductDtoSchema))
  list(@CurrentActor() actor: Actor) {
    return this.ocop.list(actor);
  }

  /** Stars come from the score; the certificate is valid 36 months. */
  @Post()
  @Allow('ocop.write')
  @Returns('OcopProductDto', ocopProductDtoSchema, 201)
  createOcop(@CurrentActor() actor: Actor, @Body() dto: CreateOcopProductDto) {
    return this.ocop.create(actor, dto);
  }
}

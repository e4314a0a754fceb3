import { documentFrom } from '../../platform/files/attached-document.js';
import { sendDocument } from '../../platform/files/document-store.js';
import { Body, Controller, Get, Headers, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  contractListQuerySchema,
  contractStatusChangeSchema,
  createContractSchema,
  fulfilmentQuerySchema,
  pageSchema,
  contractDtoSchema,
  fulfilmentRowSchema,
  contractCoverageDtoSchema,
} from '@huuco/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { Returns, ReturnsFile, zodDto } from '../../platform/http/zod-dto.js';
import { ContractService } from './contract.service.js';

class CreateContractDto extends zodDto('CreateContractDto', createContractSchema) {}
class ContractStatusChangeDto extends zodDto(
  'ContractStatusChangeDto',
  contractStatusChangeSchema,
) {}
class ContractListQueryDto extends zodDto('ContractListQuery', contractListQuerySchema) {}
class FulfilmentQueryDto extends zodDto('FulfilmentQuery', fulfilmentQuerySchema) {}

@ApiTags('contracts')
@ApiBearerAuth()
@Controller('contracts')
export class ContractController {
  constructor(private readonly contracts: ContractService) {}

  @Get()
  @Allow('contracts.read')
  @Returns('ContractPage', pageSchema(contractDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: ContractListQueryDto) {
    return this.contracts.list(actor, query);
  }

  @Post()
  @Allow('contracts.write')
  @Returns('ContractDto', contractDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateContractDto) {
    return this.contracts.create(actor, dto);
  }

  /** Contracted, expected (area × expected yield) and delivered, per cooperative and season. */
  @Get('fulfilment')
  @Allow('contracts.read')
  @Returns('FulfilmentList', z.array(fulfilmentRowSchema))
  fulfilment(@CurrentActor() actor: Actor, @Query() query: FulfilmentQueryDto) {
    return this.contracts.fulfilment(actor, query);
  }

  /** The share of today's certified organic area under a signed or active whole-area contract. */
  @Get('coverage')
  @Allow('contracts.read')
  @Returns('ContractCoverageDto', contractCoverageDtoSchema)
  coverage(@CurrentActor() actor: Actor) {
    return this.contracts.coverage(actor);
  }

  @Get(':id')
  @Allow('contracts.read')
  @Returns('ContractDto', contractDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.contracts.get(actor, id);
  }

  @Post(':id/status')
  @Allow('contracts.write')
  @Returns('ContractDto', contractDtoSchema, 201)
  changeStatus(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: ContractStatusChangeDto,
  ) {
    return this.contracts.changeStatus(actor, id, dto);
  }

  /** The signed contract: the file itself as the body (PDF, JPEG or PNG), its name in `x-filename`. */
  @Put(':id/document')
  @Allow('contracts.write')
  @Returns('ContractDto', contractDtoSchema)
  attach(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-filename') filename: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    return this.contracts.attach(
      actor,
      id,
      documentFrom(
        request,
        { contentType, filename },
        { fallbackName: 'hop-dong', description: 'The signed contract' },
      ),
    );
  }

  @Get(':id/document')
  @Allow('contracts.read')
  @ReturnsFile('application/pdf', 'image/jpeg', 'image/png')
  async document(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Res() reply: FastifyReply,
  ) {
    return sendDocument(reply, await this.contracts.document(actor, id), 'attachment');
  }
}

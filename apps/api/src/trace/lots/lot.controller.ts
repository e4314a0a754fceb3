import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  createLotsSchema,
  labelsQuerySchema,
  lotListQuerySchema,
  recallLotSchema,
  pageSchema,
  lotDtoSchema,
  lotTraceDtoSchema,
} from '@huuco/domain';
import type { FastifyReply } from 'fastify';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { Returns, ReturnsFile, zodDto } from '../../platform/http/zod-dto.js';
import { labelSheet } from './label-sheet.js';
import { LotService } from './lot.service.js';

class CreateLotsDto extends zodDto('CreateLotsDto', createLotsSchema) {}
class RecallLotDto extends zodDto('RecallLotDto', recallLotSchema) {}
class LotListQueryDto extends zodDto('LotListQuery', lotListQuerySchema) {}
class LabelsQueryDto extends zodDto('LabelsQuery', labelsQuerySchema) {}

@ApiTags('lots')
@ApiBearerAuth()
@Controller('lots')
export class LotController {
  constructor(private readonly lots: LotService) {}

  @Get()
  @Allow('lots.read')
  @Returns('LotPage', pageSchema(lotDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: LotListQueryDto) {
    return this.lots.list(actor, query);
  }

  /**
   * Makes lots: from harvests or lots (aggregation), or from lots by drying, milling or packing,
   * with every output — by-products included. Answers the lots made.
   */
  @Post()
  @Allow('lots.write')
  @Returns('LotList', z.array(lotDtoSchema), 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateLotsDto) {
    return this.lots.create(actor, dto);
  }

  /** An A4 PDF of labels: product, lot, season, OCOP stars while valid, and the signed QR. */
  @Get('labels.pdf')
  @Allow('lots.read')
  @ReturnsFile('application/pdf')
  async labels(
    @CurrentActor() actor: Actor,
    @Query() query: LabelsQueryDto,
    @Res() reply: FastifyReply,
  ) {
    const lots = await Promise.all(query.ids.map((id) => this.lots.get(actor, id)));
    const stars = await this.lots.validOcopStars(lots);
    const pdf = await labelSheet(
      lots.flatMap((lot) =>
        Array.from({ length: query.copies }, () => ({ lot, ocopStars: stars.get(lot.id) ?? null })),
      ),
    );
    return reply
      .type('application/pdf')
      .header('content-disposition', 'inline; filename="nhan-truy-xuat.pdf"')
      .send(pdf);
  }

  @Get(':id')
  @Allow('lots.read')
  @Returns('LotDto', lotDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.lots.get(actor, id);
  }

  /** Upstream to the plots and downstream to every lot made from this one. */
  @Get(':id/trace')
  @Allow('lots.read')
  @Returns('LotTraceDto', lotTraceDtoSchema)
  trace(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.lots.trace(actor, id);
  }

  @Post(':id/seal')
  @Allow('lots.write')
  @Returns('LotDto', lotDtoSchema, 201)
  seal(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.lots.seal(actor, id);
  }

  @Post(':id/recall')
  @Allow('lots.recall')
  @Returns('LotRecall', z.object({ recalled: z.array(lotDtoSchema) }).strict(), 201)
  recall(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: RecallLotDto) {
    return this.lots.recall(actor, id, dto.reason);
  }

  @Get(':id/qr.svg')
  @Allow('lots.read')
  @ReturnsFile('image/svg+xml')
  async qrSvg(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() reply: FastifyReply) {
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'private, max-age=86400')
      .send(await this.lots.qrSvg(actor, id));
  }

  @Get(':id/qr.png')
  @Allow('lots.read')
  @ReturnsFile('image/png')
  async qrPng(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() reply: FastifyReply) {
    return reply
      .type('image/png')
      .header('cache-control', 'private, max-age=86400')
      .send(await this.lots.qrPng(actor, id));
  }
}

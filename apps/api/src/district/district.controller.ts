import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  createOcopProductSchema,
  createTargetSchema,
  targetQuerySchema,
  todayIso,
  ocopProductDtoSchema,
  targetDtoSchema,
  dashboardDtoSchema,
} from '@huuco/domain';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Actor, Allow, CurrentActor } from '../access/auth/actor.js';
import { Returns, ReturnsFile, zodDto } from '../platform/http/zod-dto.js';
import { ExportService } from './exports/export.service.js';
import { OcopService } from './ocop/ocop.service.js';
import { TargetService } from './targets/target.service.js';

class CreateOcopProductDto extends zodDto('CreateOcopProductDto', createOcopProductSchema) {}
class CreateTargetDto extends zodDto('CreateTargetDto', createTargetSchema) {}
class TargetQueryDto extends zodDto('TargetQuery', targetQuerySchema) {}
const yearQuery = z
  .object({ year: z.coerce.number().int().min(2000).max(2100).optional() })
  .strict();
class YearQueryDto extends zodDto('YearQuery', yearQuery) {}
const exportParam = z
  .object({ name: z.enum(ExportService.NAMES), format: z.enum(['csv', 'xlsx']) })
  .strict();
class ExportParam extends zodDto('ExportParam', exportParam) {}

const thisYear = () => Number(todayIso().slice(0, 4));

@ApiTags('targets and OCOP')
@ApiBearerAuth()
@Controller()
export class DistrictController {
  constructor(
    private readonly targets: TargetService,
    private readonly ocop: OcopService,
    private readonly exports: ExportService,
  ) {}

  @Get('ocop-products')
  @Allow('ocop.read')
  @Returns('OcopProductList', z.array(ocopProductDtoSchema))
  list(@CurrentActor() actor: Actor) {
    return this.ocop.list(actor);
  }

  /** Stars come from the score; the certificate is valid 36 months. */
  @Post('ocop-products')
  @Allow('ocop.write')
  @Returns('OcopProductDto', ocopProductDtoSchema, 201)
  createOcop(@CurrentActor() actor: Actor, @Body() dto: CreateOcopProductDto) {
    return this.ocop.create(actor, dto);
  }

  /** Targets with their actuals, computed from the records. */
  @Get('targets')
  @Allow('targets.read')
  @Returns('TargetList', z.array(targetDtoSchema))
  listTargets(@CurrentActor() actor: Actor, @Query() query: TargetQueryDto) {
    return this.targets.list(actor, query);
  }

  @Post('targets')
  @Allow('targets.write')
  @Returns('TargetDto', targetDtoSchema, 201)
  createTarget(@CurrentActor() actor: Actor, @Body() dto: CreateTargetDto) {
    return this.targets.create(actor, dto);
  }

  @Get('dashboard')
  @Allow('targets.read')
  @Returns('DashboardDto', dashboardDtoSchema)
  dashboard(@CurrentActor() actor: Actor, @Query() query: TargetQueryDto) {
    return this.targets.dashboard(actor, query.adminUnitId, query.year ?? thisYear());
  }

  /** Any dashboard table or registry list as CSV or XLSX with Vietnamese headers. */
  @Get('exports/:name.:format')
  @Allow('exports.read')
  @ReturnsFile('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(
    @CurrentActor() actor: Actor,
    @Param() { name, format }: ExportParam,
    @Query() { year }: YearQueryDto,
    @Res() reply: FastifyReply,
  ) {
    const sheet = await this.exports.sheet(actor, name, year);
    const filename = `huuco-${name}-${todayIso()}.${format}`;
    void reply.header('content-disposition', `attachment; filename="${filename}"`);
    if (format === 'csv')
      return reply.type('text/csv; charset=utf-8').send(this.exports.toCsv(sheet));
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(await this.exports.toXlsx(sheet));
  }
}

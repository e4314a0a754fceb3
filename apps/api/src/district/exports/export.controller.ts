import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { todayIso } from '@huuco/domain';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { ReturnsFile, zodDto } from '../../platform/http/zod-dto.js';
import { ExportService } from './export.service.js';

const exportQuery = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    /** The list's own search, so the file holds the rows the screen shows. */
    q: z.string().trim().max(100).optional(),
  })
  .strict();
class ExportQueryDto extends zodDto('ExportQuery', exportQuery) {}
const exportParam = z
  .object({ name: z.enum(ExportService.NAMES), format: z.enum(['csv', 'xlsx']) })
  .strict();
class ExportParam extends zodDto('ExportParam', exportParam) {}

@ApiTags('targets and OCOP')
@ApiBearerAuth()
@Controller('exports')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  /** Any dashboard table or registry list as CSV or XLSX with Vietnamese headers. */
  @Get(':name.:format')
  @Allow('exports.read')
  @ReturnsFile('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(
    @CurrentActor() actor: Actor,
    @Param() { name, format }: ExportParam,
    @Query() { year, q }: ExportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    const sheet = await this.exports.sheet(actor, name, { year, q: q || undefined });
    const filename = `huuco-${name}-${todayIso()}.${format}`;
    void reply.header('content-disposition', `attachment; filename="${filename}"`);
    if (format === 'csv')
      return reply.type('text/csv; charset=utf-8').send(this.exports.toCsv(sheet));
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(await this.exports.toXlsx(sheet));
  }
}

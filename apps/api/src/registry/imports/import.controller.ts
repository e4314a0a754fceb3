import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  ImportKind,
  importJobDetailSchema,
  importJobPageSchema,
  importListQuerySchema,
  importRowsQuerySchema,
  updateImportSchema,
} from '@huuco/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { fieldError } from '../../platform/http/domain-error.js';
import { Returns, ReturnsFile, zodDto } from '../../platform/http/zod-dto.js';
import { ImportService } from './import.service.js';

class ImportListQueryDto extends zodDto('ImportListQuery', importListQuerySchema) {}
class ImportRowsQueryDto extends zodDto('ImportRowsQuery', importRowsQuerySchema) {}
class UpdateImportDto extends zodDto('UpdateImportDto', updateImportSchema) {}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Files brought in: households from a sheet, plots from a GIS file; checked, previewed, committed. */
@ApiTags('Imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportController {
  constructor(private readonly imports: ImportService) {}

  /** `multipart/form-data`: `kind`, `cooperativeId`, then `file`. Answers 202: the job checks in the background. */
  @Post()
  @HttpCode(202)
  @Allow('imports.write')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'cooperativeId', 'file'],
      properties: {
        kind: { type: 'string', enum: [...ImportKind] },
        cooperativeId: { type: 'string', format: 'uuid' },
        file: { type: 'string', format: 'binary' },
      },
    },
  })
  @Returns('ImportJobDetail', importJobDetailSchema, 202)
  async start(@CurrentActor() actor: Actor, @Req() request: FastifyRequest) {
    if (!request.isMultipart())
      throw fieldError('VALIDATION_FAILED', 'file', 'Send the file as multipart/form-data.');
    const fields: Record<string, string> = {};
    let file: { name: string; content: Buffer } | null = null;
    for await (const part of request.parts()) {
      if (part.type === 'file') file = { name: part.filename, content: await part.toBuffer() };
      else fields[part.fieldname] = String(part.value);
    }
    if (!file || file.content.length === 0)
      throw fieldError('VALIDATION_FAILED', 'file', 'Attach the file to import.');
    const job = await this.imports.start(actor, {
      kind: fields['kind'] ?? '',
      cooperativeId: fields['cooperativeId'] ?? '',
      fileName: file.name.slice(0, 255) || 'file',
      file: file.content,
    });
    return this.imports.detail(actor, job.id, importRowsQuerySchema.parse({}));
  }

  @Get()
  @Allow('imports.write')
  @Returns('ImportJobPage', importJobPageSchema)
  list(@CurrentActor() actor: Actor, @Query() query: ImportListQueryDto) {
    return this.imports.list(actor, query);
  }

  /** The households workbook to fill in, with the headers the import expects. */
  @Get('templates/households.xlsx')
  @Allow('imports.write')
  @ReturnsFile(XLSX)
  async template(@Res() reply: FastifyReply) {
    return sendWorkbook(reply, 'mau-ho-thanh-vien.xlsx', await this.imports.householdTemplate());
  }

  /** The job, and a page of its preview (`verdict` narrows it, e.g. to `error`). */
  @Get(':id')
  @Allow('imports.write')
  @Returns('ImportJobDetail', importJobDetailSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Query() query: ImportRowsQueryDto) {
    return this.imports.detail(actor, id, query);
  }

  /** A corrected column mapping (or a plot file's CRS): the file is checked again. */
  @Patch(':id')
  @HttpCode(202)
  @Allow('imports.write')
  @Returns('ImportJobDetail', importJobDetailSchema, 202)
  async update(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: UpdateImportDto,
  ) {
    await this.imports.update(actor, id, dto);
    return this.imports.detail(actor, id, importRowsQuerySchema.parse({}));
  }

  /** Applies the whole file, or nothing; a second commit changes nothing. */
  @Post(':id/commit')
  @HttpCode(200)
  @Allow('imports.write')
  @Returns('ImportJobDetail', importJobDetailSchema)
  async commit(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    await this.imports.commit(actor, id);
    return this.imports.detail(actor, id, importRowsQuerySchema.parse({}));
  }

  /** The rows in error as a workbook: the cells as sent, and what is wrong with each. */
  @Get(':id/errors.xlsx')
  @Allow('imports.write')
  @ReturnsFile(XLSX)
  async errors(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() reply: FastifyReply) {
    return sendWorkbook(
      reply,
      `loi-nhap-${id.slice(0, 8)}.xlsx`,
      await this.imports.errorsWorkbook(actor, id),
    );
  }
}

function sendWorkbook(reply: FastifyReply, name: string, content: Buffer) {
  return reply
    .type(XLSX)
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(content);
}

import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  closeNonComplianceSchema,
  createInspectionSchema,
  inspectionListQuerySchema,
  recordInspectionSchema,
  todayIso,
  pageSchema,
  inspectionDtoSchema,
  inspectionCoverageDtoSchema,
} from '@huuco/domain';
import { z } from 'zod';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { IdempotencyKey } from '../../platform/http/idempotency.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { InspectionService } from '../inspections/inspection.service.js';

class CreateInspectionDto extends zodDto('CreateInspectionDto', createInspectionSchema) {}
class RecordInspectionDto extends zodDto('RecordInspectionDto', recordInspectionSchema) {}
class CloseNonComplianceDto extends zodDto('CloseNonComplianceDto', closeNonComplianceSchema) {}
class InspectionListQueryDto extends zodDto('InspectionListQuery', inspectionListQuerySchema) {}
const yearQuery = z
  .object({ year: z.coerce.number().int().min(2000).max(2100).optional() })
  .strict();
class YearQueryDto extends zodDto('YearQuery', yearQuery) {}

const thisYear = () => Number(todayIso().slice(0, 4));

@ApiTags('inspections')
@ApiBearerAuth()
@Controller()
export class InspectionController {
  constructor(private readonly inspections: InspectionService) {}

  @Get('inspections')
  @Allow('inspections.read')
  @Returns('InspectionPage', pageSchema(inspectionDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: InspectionListQueryDto) {
    return this.inspections.list(actor, query);
  }

  /** Planned, or recorded with findings and non-compliances; an open major one suspends its plot. */
  @Post('inspections')
  @Allow('inspections.write')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @Returns('InspectionDto', inspectionDtoSchema, 201)
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateInspectionDto,
    @IdempotencyKey() key: string | null,
  ) {
    return this.inspections.create(actor, dto, key);
  }

  /** Households inspected this year against all: every member at least once a year. */
  @Get('inspections/coverage')
  @Allow('inspections.read')
  @Returns('InspectionCoverageDto', inspectionCoverageDtoSchema)
  coverage(@CurrentActor() actor: Actor, @Query() { year }: YearQueryDto) {
    return this.inspections.coverage(actor, year ?? thisYear());
  }

  @Get('inspections/:id')
  @Allow('inspections.read')
  @Returns('InspectionDto', inspectionDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.inspections.get(actor, id);
  }

  /** Recorded once; with an `Idempotency-Key`, a device's retry is answered the same. */
  @Post('inspections/:id/record')
  @Allow('inspections.write')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @Returns('InspectionDto', inspectionDtoSchema, 201)
  record(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: RecordInspectionDto,
    @IdempotencyKey() key: string | null,
  ) {
    return this.inspections.record(actor, id, dto, key);
  }

  @Post('non-compliances/:id/close')
  @Allow('inspections.write')
  @Returns('InspectionDto', inspectionDtoSchema, 201)
  close(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: CloseNonComplianceDto,
  ) {
    return this.inspections.closeNonCompliance(actor, id, dto);
  }
}

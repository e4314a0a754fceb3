import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  correctHarvestSchema,
  createHarvestSchema,
  harvestListQuerySchema,
  pageSchema,
  harvestDtoSchema,
} from '@huuco/domain';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { IdempotencyKey } from '../../platform/http/idempotency.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { HarvestService } from './harvest.service.js';

class CreateHarvestDto extends zodDto('CreateHarvestDto', createHarvestSchema) {}
class CorrectHarvestDto extends zodDto('CorrectHarvestDto', correctHarvestSchema) {}
class HarvestListQueryDto extends zodDto('HarvestListQuery', harvestListQuerySchema) {}

@ApiTags('harvests')
@ApiBearerAuth()
@Controller('harvests')
export class HarvestController {
  constructor(private readonly harvests: HarvestService) {}

  @Get()
  @Allow('harvests.read')
  @Returns('HarvestPage', pageSchema(harvestDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: HarvestListQueryDto) {
    return this.harvests.list(actor, query);
  }

  /**
   * Stamped with the plot's organic status on the day; above the yield limit only with a reason.
   * Sent with an `Idempotency-Key` (a device's retry), it is recorded once and answered the same.
   */
  @Post()
  @Allow('harvests.write')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @Returns('HarvestDto', harvestDtoSchema, 201)
  record(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateHarvestDto,
    @IdempotencyKey() key: string | null,
  ) {
    return this.harvests.record(actor, dto, key);
  }

  @Get(':id')
  @Allow('harvests.read')
  @Returns('HarvestDto', harvestDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.harvests.get(actor, id);
  }

  /** Appends a correcting event; the first record stays in the history. */
  @Post(':id/corrections')
  @Allow('harvests.write')
  @Returns('HarvestDto', harvestDtoSchema, 201)
  correct(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: CorrectHarvestDto) {
    return this.harvests.correct(actor, id, dto);
  }
}

import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import {
  CreateZoneDto,
  UpdateZoneDto,
  ZoneListQueryDto,
  ZoneStatusChangeBody,
} from './zone.dto.js';
import { ZoneSummaryService } from './zone-summary.service.js';
import { ZoneService } from './zone.service.js';
import { Returns } from '../../platform/http/zod-dto.js';
import { z } from 'zod';
import {
  pageSchema,
  recordChangeDtoSchema,
  zoneDtoSchema,
  zoneStatusChangeDtoSchema,
  zoneSummaryDtoSchema,
} from '@huuco/domain';

@ApiTags('zones')
@ApiBearerAuth()
@Controller('zones')
export class ZoneController {
  constructor(
    private readonly zones: ZoneService,
    private readonly summaries: ZoneSummaryService,
  ) {}

  @Get()
  @Allow('registry.read')
  @Returns('ZonePage', pageSchema(zoneDtoSchema))
  list(@Query() query: ZoneListQueryDto) {
    return this.zones.list(query);
  }

  @Post()
  @Allow('zones.write')
  @Returns('ZoneDto', zoneDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateZoneDto) {
    return this.zones.create(actor, dto);
  }

  /** Its timeline: who registered and changed it, and when. */
  @Get(':id/changes')
  @Allow('registry.read')
  @Returns('RecordChangeList', z.array(recordChangeDtoSchema))
  changes(@Param() { id }: IdParam) {
    return this.zones.changes(id);
  }

  @Get(':id')
  @Allow('registry.read')
  @Returns('ZoneDto', zoneDtoSchema)
  get(@Param() { id }: IdParam) {
    return this.zones.get(id);
  }

  @Get(':id/summary')
  @Allow('registry.read')
  @Returns('ZoneSummaryDto', zoneSummaryDtoSchema)
  summary(@Param() { id }: IdParam) {
    return this.summaries.summarise(id);
  }

  @Patch(':id')
  @Allow('zones.write')
  @Returns('ZoneDto', zoneDtoSchema)
  update(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: UpdateZoneDto) {
    return this.zones.update(actor, id, dto);
  }

  /** Suspend, reinstate…: from a date, with the reason. Earlier dates keep their status. */
  @Post(':id/status-changes')
  @Allow('zones.write')
  @Returns('ZoneStatusChangeDto', zoneStatusChangeDtoSchema, 201)
  changeStatus(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: ZoneStatusChangeBody,
  ) {
    return this.zones.changeStatus(actor, id, dto);
  }

  @Get(':id/status-changes')
  @Allow('registry.read')
  @Returns('ZoneStatusChangeList', z.array(zoneStatusChangeDtoSchema))
  statusChanges(@Param() { id }: IdParam) {
    return this.zones.statusChanges(id);
  }
}

import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import {
  CooperativeListQueryDto,
  CooperativeStatusChangeBody,
  CreateCooperativeDto,
  UpdateCooperativeDto,
} from './cooperative.dto.js';
import { CooperativeService } from './cooperative.service.js';
import { Returns } from '../../platform/http/zod-dto.js';
import { z } from 'zod';
import {
  cooperativeDtoSchema,
  cooperativeStatusChangeDtoSchema,
  pageSchema,
  recordChangeDtoSchema,
} from '@huuco/domain';

@ApiTags('cooperatives')
@ApiBearerAuth()
@Controller('cooperatives')
export class CooperativeController {
  constructor(private readonly cooperatives: CooperativeService) {}

  @Get()
  @Allow('registry.read')
  @Returns('CooperativePage', pageSchema(cooperativeDtoSchema))
  list(@Query() query: CooperativeListQueryDto) {
    return this.cooperatives.list(query);
  }

  @Post()
  @Allow('cooperatives.write')
  @Returns('CooperativeDto', cooperativeDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCooperativeDto) {
    return this.cooperatives.create(actor, dto);
  }

  /** Its timeline: who registered and changed it, and when. */
  @Get(':id/changes')
  @Allow('registry.read')
  @Returns('RecordChangeList', z.array(recordChangeDtoSchema))
  changes(@Param() { id }: IdParam) {
    return this.cooperatives.changes(id);
  }

  @Get(':id')
  @Allow('registry.read')
  @Returns('CooperativeDto', cooperativeDtoSchema)
  get(@Param() { id }: IdParam) {
    return this.cooperatives.get(id);
  }

  @Patch(':id')
  @Allow('cooperatives.write')
  @Returns('CooperativeDto', cooperativeDtoSchema)
  update(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: UpdateCooperativeDto,
  ) {
    return this.cooperatives.update(actor, id, dto);
  }

  /** Inactive from a date, or active again, with the reason. */
  @Post(':id/status-changes')
  @Allow('cooperatives.write')
  @Returns('CooperativeStatusChangeDto', cooperativeStatusChangeDtoSchema, 201)
  changeStatus(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: CooperativeStatusChangeBody,
  ) {
    return this.cooperatives.changeStatus(actor, id, dto);
  }

  @Get(':id/status-changes')
  @Allow('registry.read')
  @Returns('CooperativeStatusChangeList', z.array(cooperativeStatusChangeDtoSchema))
  statusChanges(@Param() { id }: IdParam) {
    return this.cooperatives.statusChanges(id);
  }
}

import { z } from 'zod';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import {
  AdminUnitListQueryDto,
  CreateAdminUnitDto,
  CreateSuccessionDto,
} from './admin-unit.dto.js';
import { AdminUnitService } from './admin-unit.service.js';
import { Returns } from '../../platform/http/zod-dto.js';
import { pageSchema, adminUnitDtoSchema } from '@huuco/domain';

@ApiTags('admin-units')
@ApiBearerAuth()
@Controller('admin-units')
export class AdminUnitController {
  constructor(private readonly adminUnits: AdminUnitService) {}

  @Get()
  @Allow('registry.read')
  @Returns('AdminUnitPage', pageSchema(adminUnitDtoSchema))
  list(@Query() query: AdminUnitListQueryDto) {
    return this.adminUnits.list(query);
  }

  @Post()
  @Allow('adminUnits.write')
  @Returns('AdminUnitDto', adminUnitDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAdminUnitDto) {
    return this.adminUnits.create(actor, dto);
  }

  @Post('successions')
  @Allow('adminUnits.write')
  @Returns('AdminUnitList', z.array(adminUnitDtoSchema), 201)
  createSuccession(@CurrentActor() actor: Actor, @Body() dto: CreateSuccessionDto) {
    return this.adminUnits.createSuccession(actor, dto);
  }

  @Get(':id')
  @Allow('registry.read')
  @Returns('AdminUnitDto', adminUnitDtoSchema)
  get(@Param() { id }: IdParam) {
    return this.adminUnits.get(id);
  }
}

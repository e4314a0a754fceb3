import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  createTargetSchema,
  dashboardDtoSchema,
  targetDtoSchema,
  targetQuerySchema,
  todayIso,
} from '@huuco/domain';
import { z } from 'zod';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { TargetService } from './target.service.js';

class CreateTargetDto extends zodDto('CreateTargetDto', createTargetSchema) {}
class TargetQueryDto extends zodDto('TargetQuery', targetQuerySchema) {}

const thisYear = () => Number(todayIso().slice(0, 4));

@ApiTags('targets and OCOP')
@ApiBearerAuth()
@Controller()
export class TargetController {
  constructor(private readonly targets: TargetService) {}

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
}

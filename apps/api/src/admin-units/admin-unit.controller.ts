import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/dto.js';
import {
  AdminUnitListQueryDto,
  CreateAdminUnitDto,
  CreateSuccessionDto,
} from './admin-unit.dto.js';
import { AdminUnitService } from './admin-unit.service.js';

@ApiTags('admin-units')
@Controller('admin-units')
export class AdminUnitController {
  constructor(private readonly adminUnits: AdminUnitService) {}

  @Get()
  list(@Query() query: AdminUnitListQueryDto) {
    return this.adminUnits.list(query);
  }

  @Post()
  create(@Body() dto: CreateAdminUnitDto) {
    return this.adminUnits.create(dto);
  }

  @Post('successions')
  createSuccession(@Body() dto: CreateSuccessionDto) {
    return this.adminUnits.createSuccession(dto);
  }

  @Get(':id')
  get(@Param() { id }: IdParam) {
    return this.adminUnits.get(id);
  }
}

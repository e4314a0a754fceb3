import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/dto.js';
import { CreateHouseholdDto, HouseholdListQueryDto } from './household.dto.js';
import { HouseholdService } from './household.service.js';

@ApiTags('households')
@Controller('households')
export class HouseholdController {
  constructor(private readonly households: HouseholdService) {}

  @Get()
  list(@Query() query: HouseholdListQueryDto) {
    return this.households.list(query);
  }

  @Post()
  create(@Body() dto: CreateHouseholdDto) {
    return this.households.create(dto);
  }

  @Get(':id')
  get(@Param() { id }: IdParam) {
    return this.households.get(id);
  }
}

import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/dto.js';
import {
  CooperativeListQueryDto,
  CreateCooperativeDto,
  UpdateCooperativeDto,
} from './cooperative.dto.js';
import { CooperativeService } from './cooperative.service.js';

@ApiTags('cooperatives')
@Controller('cooperatives')
export class CooperativeController {
  constructor(private readonly cooperatives: CooperativeService) {}

  @Get()
  list(@Query() query: CooperativeListQueryDto) {
    return this.cooperatives.list(query);
  }

  @Post()
  create(@Body() dto: CreateCooperativeDto) {
    return this.cooperatives.create(dto);
  }

  @Get(':id')
  get(@Param() { id }: IdParam) {
    return this.cooperatives.get(id);
  }

  @Patch(':id')
  update(@Param() { id }: IdParam, @Body() dto: UpdateCooperativeDto) {
    return this.cooperatives.update(id, dto);
  }
}

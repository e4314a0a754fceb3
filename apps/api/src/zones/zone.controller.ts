import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/dto.js';
import { CreateZoneDto, UpdateZoneDto, ZoneListQueryDto } from './zone.dto.js';
import { ZoneService } from './zone.service.js';

@ApiTags('zones')
@Controller('zones')
export class ZoneController {
  constructor(private readonly zones: ZoneService) {}

  @Get()
  list(@Query() query: ZoneListQueryDto) {
    return this.zones.list(query);
  }

  @Post()
  create(@Body() dto: CreateZoneDto) {
    return this.zones.create(dto);
  }

  @Get(':id')
  get(@Param() { id }: IdParam) {
    return this.zones.get(id);
  }

  @Patch(':id')
  update(@Param() { id }: IdParam, @Body() dto: UpdateZoneDto) {
    return this.zones.update(id, dto);
  }
}

import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IdParam } from '../common/dto.js';
import {
  CreatePlotDto,
  ImportPlotsDto,
  PlotListQueryDto,
  PlotStatusQueryDto,
  UpdatePlotDto,
} from './plot.dto.js';
import { PlotService } from './plot.service.js';

@ApiTags('plots')
@Controller('plots')
export class PlotController {
  constructor(private readonly plots: PlotService) {}

  /** A page of plots; with `bbox=minLng,minLat,maxLng,maxLat`, a GeoJSON FeatureCollection. */
  @Get()
  async list(@Query() query: PlotListQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!query.bbox) return this.plots.list(query);
    void reply.header('content-type', 'application/geo+json; charset=utf-8');
    return this.plots.featuresInBbox({ ...query, bbox: query.bbox });
  }

  @Post()
  create(@Body() dto: CreatePlotDto) {
    return this.plots.create(dto);
  }

  /** All or nothing: every plot is checked against rule 1, stored plots and the rest of the batch. */
  @Post('import')
  import(@Body() dto: ImportPlotsDto) {
    return this.plots.importPlots(dto);
  }

  @Get(':id')
  get(@Param() { id }: IdParam) {
    return this.plots.get(id);
  }

  @Patch(':id')
  update(@Param() { id }: IdParam, @Body() dto: UpdatePlotDto) {
    return this.plots.update(id, dto);
  }

  @Get(':id/status')
  status(@Param() { id }: IdParam, @Query() { on }: PlotStatusQueryDto) {
    return this.plots.statusOn(id, on);
  }

  @Get(':id/revisions')
  revisions(@Param() { id }: IdParam) {
    return this.plots.revisions(id);
  }
}

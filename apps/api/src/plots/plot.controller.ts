import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, Allow, CurrentActor } from '../auth/actor.js';
import type { FastifyReply } from 'fastify';
import { IdParam } from '../common/dto.js';
import {
  CreatePlotDto,
  ImportPlotsDto,
  PlotClusterQueryDto,
  PlotListQueryDto,
  PlotStatusQueryDto,
  UpdatePlotDto,
} from './plot.dto.js';
import { PlotService } from './plot.service.js';

@ApiTags('plots')
@ApiBearerAuth()
@Controller('plots')
export class PlotController {
  constructor(private readonly plots: PlotService) {}

  /** A page of plots; with `bbox=minLng,minLat,maxLng,maxLat`, a GeoJSON FeatureCollection. */
  @Get()
  @Allow('plots.read')
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: PlotListQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!query.bbox) return this.plots.list(actor, query);
    void reply.header('content-type', 'application/geo+json; charset=utf-8');
    return this.plots.featuresInBbox(actor, { ...query, bbox: query.bbox });
  }

  /** Counts on a grid, for the map zoomed out: never thousands of polygons at once. */
  @Get('clusters')
  @Allow('plots.read')
  clusters(@CurrentActor() actor: Actor, @Query() query: PlotClusterQueryDto) {
    return this.plots.clusters(actor, query);
  }

  @Post()
  @Allow('plots.write')
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePlotDto) {
    return this.plots.create(actor, dto);
  }

  /** All or nothing: every plot is checked against rule 1, stored plots and the rest of the batch. */
  @Post('import')
  @Allow('plots.write')
  import(@CurrentActor() actor: Actor, @Body() dto: ImportPlotsDto) {
    return this.plots.importPlots(actor, dto);
  }

  @Get(':id')
  @Allow('plots.read')
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.plots.get(actor, id);
  }

  @Patch(':id')
  @Allow('plots.write')
  update(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: UpdatePlotDto) {
    return this.plots.update(actor, id, dto);
  }

  @Get(':id/status')
  @Allow('plots.read')
  status(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() { on }: PlotStatusQueryDto,
  ) {
    return this.plots.statusOn(actor, id, on);
  }

  @Get(':id/revisions')
  @Allow('plots.read')
  revisions(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.plots.revisions(actor, id);
  }
}

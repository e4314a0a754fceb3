import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import type { FastifyReply } from 'fastify';
import { IdParam } from '../../platform/http/dto.js';
import {
  CreatePlotDto,
  ImportPlotsDto,
  PlotClusterQueryDto,
  PlotListQueryDto,
  PlotStatusQueryDto,
  RetirePlotDto,
  UpdatePlotDto,
} from './plot.dto.js';
import { PlotService } from './plot.service.js';
import { Returns } from '../../platform/http/zod-dto.js';
import {
  pageSchema,
  plotDtoSchema,
  plotClusterDtoSchema,
  importPlotsResultSchema,
} from '@huuco/domain';
import {
  plotFeatureCollectionSchema,
  plotRevisionSchema,
  plotStatusSchema,
} from '../../platform/http/responses.js';

@ApiTags('plots')
@ApiBearerAuth()
@Controller('plots')
export class PlotController {
  constructor(private readonly plots: PlotService) {}

  /** A page of plots; with `bbox=minLng,minLat,maxLng,maxLat`, a GeoJSON FeatureCollection. */
  @Get()
  @Allow('plots.read')
  @Returns('PlotPageOrFeatures', z.union([pageSchema(plotDtoSchema), plotFeatureCollectionSchema]))
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
  @Returns('PlotClusterList', z.array(plotClusterDtoSchema))
  clusters(@CurrentActor() actor: Actor, @Query() query: PlotClusterQueryDto) {
    return this.plots.clusters(actor, query);
  }

  @Post()
  @Allow('plots.write')
  @Returns('PlotDto', plotDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePlotDto) {
    return this.plots.create(actor, dto);
  }

  /** All or nothing: every plot is checked against rule 1, stored plots and the rest of the batch. */
  @Post('import')
  @Allow('plots.write')
  @Returns('ImportPlotsResult', importPlotsResultSchema, 201)
  import(@CurrentActor() actor: Actor, @Body() dto: ImportPlotsDto) {
    return this.plots.importPlots(actor, dto);
  }

  @Get(':id')
  @Allow('plots.read')
  @Returns('PlotDto', plotDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.plots.get(actor, id);
  }

  @Patch(':id')
  @Allow('plots.write')
  @Returns('PlotDto', plotDtoSchema)
  update(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: UpdatePlotDto) {
    return this.plots.update(actor, id, dto);
  }

  /** No longer farmed from a date: kept with its history, off today's map. */
  @Post(':id/retire')
  @Allow('plots.write')
  @Returns('PlotDto', plotDtoSchema, 201)
  retire(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: RetirePlotDto) {
    return this.plots.retire(actor, id, dto);
  }

  @Get(':id/status')
  @Allow('plots.read')
  @Returns('PlotStatus', plotStatusSchema)
  status(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() { on }: PlotStatusQueryDto,
  ) {
    return this.plots.statusOn(actor, id, on);
  }

  @Get(':id/revisions')
  @Allow('plots.read')
  @Returns('PlotRevisionList', z.array(plotRevisionSchema))
  revisions(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.plots.revisions(actor, id);
  }
}

import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { plotListQuerySchema, todayIso, uuidSchema, zoneListQuerySchema } from '@huuco/domain';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { ReturnsFile, zodDto } from '../../platform/http/zod-dto.js';
import { GeometryExportService, type GeometryFormat } from './geometry-export.service.js';

const plotExportQuery = plotListQuerySchema.omit({ page: true, pageSize: true, bbox: true });
const eudrQuery = plotExportQuery
  .extend({
    /** The plots to declare, comma-separated; without it, every plot the filters select. */
    ids: z
      .string()
      .transform((text) => text.split(',').map((id) => id.trim()))
      .pipe(z.array(uuidSchema).max(100_000))
      .optional(),
    /** `true`: plots of 4 ha or less as points, as the EUDR allows. */
    points: z.enum(['true', 'false']).optional(),
  })
  .strict();
const zoneExportQuery = zoneListQuerySchema.omit({ page: true, pageSize: true });
class PlotExportQueryDto extends zodDto('PlotExportQuery', plotExportQuery) {}
class EudrQueryDto extends zodDto('EudrQuery', eudrQuery) {}
class ZoneExportQueryDto extends zodDto('ZoneExportQuery', zoneExportQuery) {}

const TYPES: Record<GeometryFormat, string> = {
  geojson: 'application/geo+json',
  kml: 'application/vnd.google-earth.kml+xml',
  'shp.zip': 'application/zip',
};

function send(reply: FastifyReply, name: string, format: GeometryFormat, body: Buffer | string) {
  return reply
    .type(TYPES[format])
    .header('content-disposition', `attachment; filename="huuco-${name}-${todayIso()}.${format}"`)
    .send(body);
}

/** Plots and zones as GIS files (WGS 84, area in ha), with the list's filters. */
@ApiTags('targets and OCOP')
@ApiBearerAuth()
@Controller('exports')
export class GeometryExportController {
  constructor(private readonly exports: GeometryExportService) {}

  @Get('plots.geojson')
  @Allow('exports.read')
  @ReturnsFile(TYPES.geojson)
  async plotsGeoJson(
    @CurrentActor() actor: Actor,
    @Query() query: PlotExportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    return send(reply, 'thua-dat', 'geojson', await this.exports.plotFile(actor, query, 'geojson'));
  }

  @Get('plots.kml')
  @Allow('exports.read')
  @ReturnsFile(TYPES.kml)
  async plotsKml(
    @CurrentActor() actor: Actor,
    @Query() query: PlotExportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    return send(reply, 'thua-dat', 'kml', await this.exports.plotFile(actor, query, 'kml'));
  }

  @Get('plots.shp.zip')
  @Allow('exports.read')
  @ReturnsFile(TYPES['shp.zip'])
  async plotsShapefile(
    @CurrentActor() actor: Actor,
    @Query() query: PlotExportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    return send(reply, 'thua-dat', 'shp.zip', await this.exports.plotFile(actor, query, 'shp.zip'));
  }

  /** GeoJSON for the EU Deforestation Regulation's due-diligence statement. */
  @Get('plots.eudr.geojson')
  @Allow('exports.read')
  @ReturnsFile(TYPES.geojson)
  async plotsEudr(
    @CurrentActor() actor: Actor,
    @Query() query: EudrQueryDto,
    @Res() reply: FastifyReply,
  ) {
    const { ids, points, ...filters } = query;
    const body = await this.exports.eudr(actor, filters, ids ?? null, points === 'true');
    return send(reply, 'eudr', 'geojson', body);
  }

  @Get('zones.geojson')
  @Allow('exports.read')
  @ReturnsFile(TYPES.geojson)
  async zonesGeoJson(@Query() query: ZoneExportQueryDto, @Res() reply: FastifyReply) {
    return send(reply, 'vung', 'geojson', await this.exports.zoneFile(query, 'geojson'));
  }

  @Get('zones.kml')
  @Allow('exports.read')
  @ReturnsFile(TYPES.kml)
  async zonesKml(@Query() query: ZoneExportQueryDto, @Res() reply: FastifyReply) {
    return send(reply, 'vung', 'kml', await this.exports.zoneFile(query, 'kml'));
  }

  @Get('zones.shp.zip')
  @Allow('exports.read')
  @ReturnsFile(TYPES['shp.zip'])
  async zonesShapefile(@Query() query: ZoneExportQueryDto, @Res() reply: FastifyReply) {
    return send(reply, 'vung', 'shp.zip', await this.exports.zoneFile(query, 'shp.zip'));
  }
}

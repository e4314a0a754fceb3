import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PlotListQuery, ZoneListQuery } from '@huuco/domain';
import type { MultiPolygon, Polygon } from 'geojson';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { PlotService } from '../../registry/plots/plot.service.js';
import { ZoneService } from '../../registry/zones/zone.service.js';
import { geometryExportRepository } from './geometry-export.repository.js';
import {
  eudrGeoJsonOf,
  geoJsonOf,
  kmlOf,
  shapefileZipOf,
  type AreaFeature,
} from './geometry-files.js';

export type GeometryFormat = 'geojson' | 'kml' | 'shp.zip';

const ALL = { page: 1, pageSize: 1_000_000 };

/**
 * Plots and zones as GIS files, with the list's filters and the reader's scope: GeoJSON, KML
 * and zipped Shapefile with area in ha and the registry's attributes, and the EUDR's GeoJSON.
 */
@Injectable()
export class GeometryExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plots: PlotService,
    private readonly zones: ZoneService,
  ) {}

  async plotFile(
    actor: Actor,
    query: Omit<PlotListQuery, 'page' | 'pageSize'>,
    format: GeometryFormat,
  ): Promise<Buffer | string> {
    return this.write(await this.plotFeatures(actor, query), format, 'thua_dat');
  }

  async zoneFile(
    query: Omit<ZoneListQuery, 'page' | 'pageSize'>,
    format: GeometryFormat,
  ): Promise<Buffer | string> {
    const page = await this.zones.list({ ...query, ...ALL });
    const features: AreaFeature[] = page.items.map((z) => ({
      type: 'Feature',
      properties: {
        MA_VUNG: z.code,
        TEN_VUNG: z.name,
        LOAI: z.kind,
        TRANG_THAI: z.status,
        XA: z.communes.map((c) => c.name).join(', '),
        DT_HA: z.area.ha,
        DT_MT_HA: z.targetArea?.ha ?? null,
      },
      geometry: z.geometry as Polygon | MultiPolygon,
    }));
    return this.write(features, format, 'vung_san_xuat');
  }

  /** The EUDR's GeoJSON for the plots chosen (by id, or by the list's filters). */
  async eudr(
    actor: Actor,
    query: Omit<PlotListQuery, 'page' | 'pageSize'>,
    ids: string[] | null,
    points: boolean,
  ): Promise<string> {
    const page = await this.plots.list(actor, { ...query, ...ALL });
    const chosen = ids ? page.items.filter((p) => ids.includes(p.id)) : page.items;
    const labels = new Map(
      (
        await geometryExportRepository.plotLabels(
          this.db.manager,
          chosen.map((p) => p.id),
        )
      ).map((l) => [l.id, l]),
    );
    return eudrGeoJsonOf(
      chosen.map((p) => ({
        code: p.code,
        geometry: p.geometry as Polygon,
        areaHa: p.area.m2 / 10_000,
        productionPlace: labels.get(p.id)?.place ?? '',
      })),
      points,
    );
  }

  private async plotFeatures(
    actor: Actor,
    query: Omit<PlotListQuery, 'page' | 'pageSize'>,
  ): Promise<AreaFeature[]> {
    const page = await this.plots.list(actor, { ...query, ...ALL });
    const labels = new Map(
      (
        await geometryExportRepository.plotLabels(
          this.db.manager,
          page.items.map((p) => p.id),
        )
      ).map((l) => [l.id, l]),
    );
    return page.items.map((p) => {
      const label = labels.get(p.id);
      return {
        type: 'Feature',
        properties: {
          MA_THUA: p.code,
          MA_HO: label?.household_code ?? null,
          MA_VUNG: label?.zone_code ?? null,
          HTX: label?.cooperative ?? null,
          CANH_TAC: p.farmingSystem,
          DT_HA: p.area.ha,
          DT_KB_M2: p.declaredAreaM2,
          HUU_CO: p.organicStatus.status,
          CHUYEN_DOI: p.conversionStartedOn,
        },
        geometry: p.geometry as Polygon,
      };
    });
  }

  private write(
    features: AreaFeature[],
    format: GeometryFormat,
    layer: string,
  ): Promise<Buffer | string> | string {
    if (format === 'geojson') return geoJsonOf(features);
    if (format === 'kml') return kmlOf(features);
    return shapefileZipOf(features, layer);
  }
}

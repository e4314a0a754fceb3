import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import shpwrite from '@mapbox/shp-write';
import { toKML } from '@placemarkio/tokml';
import pointOnFeature from '@turf/point-on-feature';
import { DBFFile, type FieldDescriptor } from 'dbffile';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import JSZip from 'jszip';

/** Attributes are written under short upper-case names: what a .dbf allows, and what imports read back. */
export type Attributes = Record<string, string | number | null>;
export type AreaFeature = Feature<Polygon | MultiPolygon, Attributes>;

const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

export function geoJsonOf(features: AreaFeature[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features });
}

export function kmlOf(features: AreaFeature[]): string {
  return toKML({ type: 'FeatureCollection', features } as FeatureCollection);
}

/**
 * A zipped Shapefile in WGS 84: geometry by shp-write, the table by dbffile in UTF-8 (shp-write's
 * own .dbf cannot hold Vietnamese), with a `.cpg` saying so and a `.prj`.
 */
export async function shapefileZipOf(features: AreaFeature[], layer: string): Promise<Buffer> {
  // One layer: every outline as a polygon shape, multipolygons included.
  const polygons = features.map((f) => ({
    ...f,
    geometry:
      f.geometry.type === 'Polygon'
        ? ({ type: 'MultiPolygon', coordinates: [f.geometry.coordinates] } as MultiPolygon)
        : f.geometry,
  }));
  const written = (await shpwrite.zip(
    { type: 'FeatureCollection', features: polygons } as FeatureCollection,
    {
      outputType: 'nodebuffer',
      compression: 'DEFLATE',
      types: { polygon: layer, multipolygon: layer },
    },
  )) as Buffer;
  const source = await JSZip.loadAsync(written);
  const zip = new JSZip();
  for (const extension of ['shp', 'shx']) {
    // With nothing to write, shp-write writes no layer: an empty one is a bare header.
    const entry = source.file(`${layer}.${extension}`);
    zip.file(`${layer}.${extension}`, entry ? await entry.async('nodebuffer') : emptyShapeHeader());
  }
  zip.file(`${layer}.dbf`, await dbfOf(features.map((f) => f.properties)));
  zip.file(`${layer}.prj`, WGS84_PRJ);
  zip.file(`${layer}.cpg`, 'UTF-8');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The 100-byte main header of a polygon shapefile with no records (ESRI Shapefile spec, 1998). */
function emptyShapeHeader(): Buffer {
  const header = Buffer.alloc(100);
  header.writeInt32BE(9994, 0);
  header.writeInt32BE(50, 24); // the file's length in 16-bit words
  header.writeInt32LE(1000, 28);
  header.writeInt32LE(5, 32); // polygon
  return header;
}

async function dbfOf(rows: Attributes[]): Promise<Buffer> {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fields: FieldDescriptor[] = names.map((name) =>
    rows.some((r) => typeof r[name] === 'string')
      ? { name, type: 'C', size: 254 }
      : { name, type: 'N', size: 18, decimalPlaces: 6 },
  );
  const dir = await mkdtemp(join(tmpdir(), 'huuco-dbf-'));
  try {
    const path = join(dir, 'table.dbf');
    const file = await DBFFile.create(path, fields, { encoding: 'utf-8' });
    for (let at = 0; at < rows.length; at += 1_000)
      await file.appendRecords(
        rows
          .slice(at, at + 1_000)
          .map((r) => Object.fromEntries(names.map((n) => [n, r[n] ?? null]))),
      );
    return await readFile(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A plot in the EUDR's GeoJSON: where it is, in whose country, how large. */
export interface EudrPlot {
  geometry: Polygon;
  productionPlace: string;
  areaHa: number;
  code: string;
}

/**
 * GeoJSON as the EU Deforestation Regulation's information system takes it: WGS 84, at least six
 * decimals, `ProducerCountry`, `ProductionPlace` and `Area` (ha). Plots of 4 ha or less may be
 * given as a point (`points`); larger ones are always outlines.
 */
export function eudrGeoJsonOf(plots: EudrPlot[], points: boolean): string {
  const six = (n: number) => n.toFixed(Math.max(6, decimalsOf(n)));
  const position = ([lng, lat]: Position) => `[${six(lng!)},${six(lat!)}]`;
  const features = plots.map((plot) => {
    const geometry =
      points && plot.areaHa <= 4
        ? `{"type":"Point","coordinates":${position(pointOnFeature(plot.geometry).geometry.coordinates)}}`
        : `{"type":"Polygon","coordinates":[${plot.geometry.coordinates
            .map((ring) => `[${ring.map(position).join(',')}]`)
            .join(',')}]}`;
    const properties = JSON.stringify({
      ProducerCountry: 'VN',
      ProductionPlace: plot.productionPlace,
      Area: Math.round(plot.areaHa * 10_000) / 10_000,
      PlotCode: plot.code,
    });
    return `{"type":"Feature","properties":${properties},"geometry":${geometry}}`;
  });
  return `{"type":"FeatureCollection","features":[${features.join(',')}]}`;
}

const decimalsOf = (n: number) => (String(n).split('.')[1] ?? '').length;

import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import type { Feature, Geometry, Position } from 'geojson';
import * as shapefile from 'shapefile';
import { looksLikeZip, unzip, ZipUnreadable } from '../../platform/files/zip.js';
import { resolveCrs, type Crs } from './crs.js';
import { FileUnreadable } from './table-file.js';

/** One feature as the file gives it: its properties and its outline, still in the file's CRS. */
export interface FileFeature {
  number: number;
  properties: Record<string, unknown>;
  geometry: Geometry | null;
}

export interface PlotFile {
  format: 'geojson' | 'kml' | 'kmz' | 'shapefile';
  /** The CRS the file says it is in, or null when it says nothing (a shapefile with no `.prj`). */
  crs: Crs | null;
  /** How many features the file holds, when it says so up front (a shapefile's index). */
  total: number | null;
  /** Read one at a time: a shapefile's are never all in memory at once. */
  features: AsyncIterable<FileFeature>;
}

async function* each(features: FileFeature[]): AsyncIterable<FileFeature> {
  yield* features;
}

/** Every feature of a file, for the small files and tests that want them all. */
export async function allFeatures(file: PlotFile): Promise<FileFeature[]> {
  const features: FileFeature[] = [];
  for await (const feature of file.features) features.push(feature);
  return features;
}

/** The CRS is missing (a shapefile with no `.prj`), or named but not one huuco can place. */
export class CrsProblem extends Error {
  constructor(
    readonly code: 'IMPORT_CRS_NEEDED' | 'IMPORT_CRS_UNSUPPORTED',
    message: string,
  ) {
    super(message);
  }
}

/** A zipped survey of 100,000 plots unpacks to about 20 MB; far more is not a survey. */
const ZIP_LIMITS = { maxEntries: 200, maxTotalBytes: 256 * 1024 * 1024 };
const WGS84 = resolveCrs('EPSG:4326')!;

/** GeoJSON, KML, KMZ or a zipped Shapefile, told apart by their content, not their name. */
export async function readPlotFile(file: Buffer, fileName: string): Promise<PlotFile> {
  if (looksLikeZip(file)) {
    let entries: Map<string, Buffer>;
    try {
      entries = await unzip(file, (name) => /\.(shp|shx|dbf|prj|cpg|kml)$/i.test(name), ZIP_LIMITS);
    } catch (error) {
      throw new FileUnreadable(
        error instanceof ZipUnreadable ? error.message : 'The zip cannot be opened.',
      );
    }
    const names = [...entries.keys()];
    if (names.some((n) => /\.shp$/i.test(n))) return readShapefile(entries);
    if (names.some((n) => /\.kml$/i.test(n))) {
      const features = names
        .filter((n) => /\.kml$/i.test(n))
        .flatMap((n) => readKml(entries.get(n)!))
        .map((f, i) => ({ ...f, number: i + 1 }));
      return {
        format: 'kmz',
        crs: WGS84,
        total: features.length,
        features: each(features),
      };
    }
    throw new FileUnreadable('The zip holds no shapefile (.shp) and no KML.');
  }
  const text = file.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start.startsWith('<')) {
    if (!/<kml[\s>]/i.test(start.slice(0, 2_000)))
      throw new FileUnreadable('The XML file is not KML.');
    const features = readKml(file);
    return {
      format: 'kml',
      crs: WGS84,
      total: features.length,
      features: each(features),
    };
  }
  if (start.startsWith('{')) return readGeoJson(start);
  throw new FileUnreadable(
    `${fileName} is not GeoJSON, KML, KMZ or a zipped Shapefile (.shp, .shx, .dbf, .prj).`,
  );
}

function readGeoJson(text: string): PlotFile {
  let json: {
    type?: string;
    features?: Feature[];
    geometry?: Geometry;
    properties?: Record<string, unknown>;
    crs?: { properties?: { name?: string } };
  };
  try {
    json = JSON.parse(text);
  } catch {
    throw new FileUnreadable('The GeoJSON is not valid JSON.');
  }
  const features: Feature[] =
    json.type === 'FeatureCollection' && Array.isArray(json.features)
      ? json.features
      : json.type === 'Feature'
        ? [json as Feature]
        : [];
  if (!features.length && json.type !== 'FeatureCollection')
    throw new FileUnreadable('The GeoJSON is neither a Feature nor a FeatureCollection.');
  // RFC 7946 GeoJSON is WGS 84; older files may name another CRS, which is honoured.
  const named = json.crs?.properties?.name ?? null;
  const crs = named ? resolveCrs(named) : WGS84;
  if (!crs)
    throw new CrsProblem(
      'IMPORT_CRS_UNSUPPORTED',
      `The file is in ${named}, which huuco cannot place.`,
    );
  const read = features.map((f, i) => ({
    number: i + 1,
    properties: (f?.properties ?? {}) as Record<string, unknown>,
    geometry: f?.geometry ?? null,
  }));
  return { format: 'geojson', crs, total: read.length, features: each(read) };
}

function readKml(file: Buffer): FileFeature[] {
  const errors: string[] = [];
  const dom = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(file.toString('utf8'), 'text/xml');
  if (errors.length) throw new FileUnreadable(`The KML is not well-formed XML: ${errors[0]}`);
  const collection = kml(dom as unknown as Parameters<typeof kml>[0]);
  // A KMZ's doc.kml links to its layers (NetworkLink): those are not plots.
  const placemarks = collection.features.filter(
    (f) => f.properties?.['@geometry-type'] !== 'networklink',
  );
  return placemarks.map((f, i) => ({
    number: i + 1,
    properties: (f.properties ?? {}) as Record<string, unknown>,
    geometry: f.geometry,
  }));
}

async function readShapefile(entries: Map<string, Buffer>): Promise<PlotFile> {
  const shpName = [...entries.keys()].find((n) => /\.shp$/i.test(n))!;
  const base = shpName.slice(0, -4);
  const part = (extension: string) =>
    [...entries.entries()].find(
      ([n]) => n.toLowerCase() === `${base}.${extension}`.toLowerCase(),
    )?.[1];
  const shx = part('shx');
  const dbf = part('dbf');
  if (!shx)
    throw new FileUnreadable(
      `The shapefile ${base} has no .shx index: zip all its files (.shp, .shx, .dbf, .prj).`,
    );
  if (!dbf)
    throw new FileUnreadable(
      `The shapefile ${base} has no .dbf table: zip all its files (.shp, .shx, .dbf, .prj).`,
    );
  const prj = part('prj')?.toString('utf8').trim() ?? null;
  const encoding = encodingOf(part('cpg')?.toString('ascii').trim());
  if (shx.length < 100 || shx.readInt32BE(0) !== 9994 || (shx.length - 100) % 8 !== 0)
    throw new FileUnreadable('The .shx index is damaged.');
  const total = (shx.length - 100) / 8;
  const crs = prj ? resolveCrs(prj) : null;
  if (prj && !crs)
    throw new CrsProblem(
      'IMPORT_CRS_UNSUPPORTED',
      `The .prj names a CRS huuco cannot place: ${prj.slice(0, 120)}`,
    );
  let source: Awaited<ReturnType<typeof shapefile.open>>;
  try {
    source = await shapefile.open(part('shp')!, dbf, { encoding });
  } catch (error) {
    throw new FileUnreadable(`The shapefile cannot be read: ${(error as Error).message}`);
  }
  async function* features(): AsyncIterable<FileFeature> {
    let number = 0;
    for (;;) {
      let next;
      try {
        next = await source.read();
      } catch (error) {
        throw new FileUnreadable(`The shapefile cannot be read: ${(error as Error).message}`);
      }
      if (next.done) break;
      number++;
      yield {
        number,
        properties: (next.value.properties ?? {}) as Record<string, unknown>,
        geometry: next.value.geometry,
      };
    }
    if (number !== total)
      throw new FileUnreadable('The .shx index does not match the .shp: the shapefile is damaged.');
  }
  return { format: 'shapefile', crs, total, features: features() };
}

/** A `.cpg` names the .dbf's code page; Vietnamese files are UTF-8 or Windows-1258. */
function encodingOf(cpg: string | undefined): string {
  if (!cpg || /^(utf-?8|65001)$/i.test(cpg)) return 'utf-8';
  if (/1258/.test(cpg)) return 'windows-1258';
  if (/^(88591|iso-?8859-?1|latin-?1)$/i.test(cpg)) return 'iso-8859-1';
  return 'utf-8';
}

/** The outline in WGS 84, altitude dropped, rings closed. */
export function toWgs84(geometry: Geometry, crs: Crs): Geometry {
  const ring = (positions: Position[]) => positions.map((p) => round(crs.toWgs84(p)));
  if (geometry.type === 'Polygon')
    return { type: 'Polygon', coordinates: geometry.coordinates.map(ring) };
  if (geometry.type === 'MultiPolygon')
    return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map(ring)) };
  if (geometry.type === 'GeometryCollection') {
    const polygons = geometry.geometries.filter(
      (g) => g.type === 'Polygon' || g.type === 'MultiPolygon',
    );
    if (polygons.length === 1) return toWgs84(polygons[0]!, crs);
  }
  return geometry;
}

const round = ([x, y]: [number, number]): Position => [
  Math.round(x * 1e9) / 1e9,
  Math.round(y * 1e9) / 1e9,
];

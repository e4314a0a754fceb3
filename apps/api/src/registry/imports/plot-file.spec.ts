import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import geodesic from 'geographiclib-geodesic';
import type { Feature, Polygon, Position } from 'geojson';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { resolveCrs } from './crs.js';
import { allFeatures, readPlotFile as readLazily, toWgs84 } from './plot-file.js';
import { FileUnreadable } from './table-file.js';

/** A plot file with all its features read. */
async function readPlotFile(file: Buffer, name: string) {
  const read = await readLazily(file, name);
  return { ...read, features: await allFeatures(read) };
}

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/plots');
const fixture = (name: string) => readFileSync(resolve(FIXTURES, name));
const vertices = (geometry: Polygon): Position[] => geometry.coordinates[0]!;

/** Metres between two positions on the WGS 84 ellipsoid. */
const metres = ([lng1, lat1]: Position, [lng2, lat2]: Position) =>
  geodesic.Geodesic.WGS84.Inverse(lat1!, lng1!, lat2!, lng2!).s12!;

/** The plots' outlines where huuco puts them, and where GDAL/PROJ put them. */
async function placed(file: string, expected: string) {
  const read = await readPlotFile(fixture(file), file);
  const truth = JSON.parse(fixture(expected).toString()).features as Feature<Polygon>[];
  const gaps = read.features.flatMap((feature, i) => {
    const ours = vertices(toWgs84(feature.geometry!, read.crs!) as Polygon);
    return ours.map((p, j) => metres(p, vertices(truth[i]!.geometry)[j]!));
  });
  return { read, gaps };
}

describe('plot files made by GDAL', () => {
  for (const [file, crs] of [
    ['vn2000-tm3-105-30.zip', "VN-2000 / TM-3 105°30'"],
    ['vn2000-utm48n.zip', 'VN-2000 / UTM 105°'],
    ['wgs84-utm48n.zip', 'WGS 84 / UTM 105°'],
  ] as const) {
    it(`places ${file} within a centimetre of where GDAL does`, async () => {
      const { read, gaps } = await placed(file, `expected-${file.replace('.zip', '.geojson')}`);
      expect(read.format).toBe('shapefile');
      expect(read.crs!.name).toContain(crs);
      expect(read.features.map((f) => f.properties['MA_THUA'])).toEqual(['TK-0001', 'TK-0002']);
      expect(read.features[0]!.properties['TEN_CHU']).toBe('Nguyễn Văn An');
      expect(Math.max(...gaps)).toBeLessThan(0.01);
    });
  }

  it('would misplace VN-2000 plots by about 220 m if the datum were left untransformed', async () => {
    const read = await readPlotFile(fixture('vn2000-tm3-105-30.zip'), 'a.zip');
    const naive = proj4(
      '+proj=tmerc +lat_0=0 +lon_0=105.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m',
      'EPSG:4326',
    );
    const first = vertices(read.features[0]!.geometry as Polygon)[0]!;
    const truth = vertices(
      JSON.parse(fixture('expected-vn2000-tm3-105-30.geojson').toString()).features[0].geometry,
    )[0]!;
    const gap = metres(naive.forward(first as [number, number]), truth);
    expect(gap).toBeGreaterThan(200);
    expect(gap).toBeLessThan(250);
  });

  it('reads KML and KMZ as GDAL writes them, in WGS 84', async () => {
    const truth = JSON.parse(fixture('plots.geojson').toString()).features as Feature<Polygon>[];
    for (const file of ['plots.kml', 'plots.kmz']) {
      const read = await readPlotFile(fixture(file), file);
      expect(read.format).toBe(file.endsWith('kmz') ? 'kmz' : 'kml');
      expect(read.features).toHaveLength(2);
      expect(read.features[1]!.properties['MA_THUA']).toBe('TK-0002');
      const gap = metres(
        vertices(read.features[0]!.geometry as Polygon)[0]!,
        vertices(truth[0]!.geometry)[0]!,
      );
      expect(gap).toBeLessThan(0.01);
    }
  });

  it('asks for the CRS of a shapefile with no .prj, and refuses one with no .shx', async () => {
    const unplaced = await readPlotFile(fixture('no-prj.zip'), 'no-prj.zip');
    expect(unplaced.crs).toBeNull();
    await expect(readPlotFile(fixture('no-shx.zip'), 'no-shx.zip')).rejects.toThrow(/\.shx/);
    await expect(readPlotFile(Buffer.from('just text'), 'x.txt')).rejects.toBeInstanceOf(
      FileUnreadable,
    );
  });
});

describe('the CRS a user names', () => {
  it('knows VN-2000 by EPSG code, by zone and meridian, and WGS 84 and its UTM zones', () => {
    expect(resolveCrs('EPSG:9209')!.name).toBe("EPSG:9209 VN-2000 / TM-3 105°30'");
    expect(resolveCrs("VN-2000 TM-3 105°30'")!.name).toBe("VN-2000 / TM-3 105°30'");
    expect(resolveCrs('VN-2000 TM-3 105.5')!.name).toBe("VN-2000 / TM-3 105°30'");
    expect(resolveCrs('EPSG:32648')!.name).toBe('EPSG:32648 WGS 84 / UTM 48N');
    expect(resolveCrs('EPSG:3405')!.name).toBe('EPSG:3405 VN-2000 / UTM 48N');
    expect(resolveCrs('EPSG:2154')).toBeNull();
    // The same point by code and by meridian lands in the same place.
    const a = resolveCrs('EPSG:9209')!.toWgs84([593482.45, 2303288.06]);
    const b = resolveCrs('VN-2000 TM-3 105.5')!.toWgs84([593482.45, 2303288.06]);
    expect(metres(a, b)).toBeLessThan(0.001);
  });
});

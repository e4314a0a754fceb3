import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import shpwrite from '@mapbox/shp-write';
import geodesic from 'geographiclib-geodesic';
import type { FeatureCollection, Polygon, Position } from 'geojson';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFarm, offset, rectangle, uniqueCode } from './support/factories.js';
import { checked, settled, upload } from './support/imports.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

const metres = ([lng1, lat1]: Position, [lng2, lat2]: Position) =>
  geodesic.Geodesic.WGS84.Inverse(lat1!, lng1!, lat2!, lng2!).s12!;

/** VN-2000 / TM-3 105°30' with EPSG:6960's shift, as Hải Dương's surveyors draw. */
const VN2000_TM3_105_30 =
  '+proj=tmerc +lat_0=0 +lon_0=105.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs';
const ESRI_PRJ =
  'PROJCS["VN-2000_TM-3_105-30",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.5],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

async function farmWithManager() {
  const farm = await newFarm(api);
  const manager = await api.newUser('coop_manager', { cooperativeId: farm.cooperative.id });
  const household = await manager.get(`/households/${farm.household.id}`);
  const zone = await api.get(`/zones/${farm.zone.id}`);
  return { ...farm, manager, householdCode: household.body.code, zoneCode: zone.body.code };
}

describe('importing plots from GIS files', () => {
  it('previews a GeoJSON feature by feature, commits it, and takes the same codes again as new revisions', async () => {
    const farm = await farmWithManager();
    const a = uniqueCode('TA');
    const b = uniqueCode('TB');
    const plots = (moveA = 0): FeatureCollection => ({
      type: 'FeatureCollection',
      features: [
        { code: a, at: offset(farm.origin, 20 + moveA, 20) },
        { code: b, at: offset(farm.origin, 120, 20) },
        // Lies on top of the first: refused, with the other plot named.
        { code: uniqueCode('TC'), at: offset(farm.origin, 25, 22) },
        // Nowhere near the zone.
        { code: uniqueCode('TD'), at: offset(farm.origin, 5_000, 5_000) },
      ].map(({ code, at }) => ({
        type: 'Feature',
        properties: { MA_THUA: code, MA_HO: farm.householdCode, MA_VUNG: farm.zoneCode },
        geometry: rectangle(at, 40, 30),
      })),
    });
    const started = await upload(
      farm.manager,
      { kind: 'plots', cooperativeId: farm.cooperative.id },
      Buffer.from(JSON.stringify(plots())),
      'thua.geojson',
    );
    expect(started.status).toBe(202);
    const job = await settled(farm.manager, started.body.id);
    expect(job).toMatchObject({
      status: 'ready',
      format: 'geojson',
      crs: 'EPSG:4326 WGS 84',
      mapping: { code: 'MA_THUA', household: 'MA_HO', zone: 'MA_VUNG' },
      counts: { new: 2, update: 0, unchanged: 0, error: 2 },
    });
    const rows = job.preview.items;
    expect(rows[0]).toMatchObject({ number: 1, verdict: 'new', values: { code: a } });
    expect(Math.abs(rows[0].values.areaM2 - 1200)).toBeLessThan(30);
    expect(rows[0].geometry.type).toBe('Polygon');
    expect(rows[2].errors).toEqual([
      expect.objectContaining({ code: 'PLOT_OVERLAPS', field: 'geometry' }),
    ]);
    expect(rows[3].errors[0]).toMatchObject({ code: 'PLOT_OUTSIDE_ZONE' });
    expect((await farm.manager.post(`/imports/${job.id}/commit`, {})).body.code).toBe(
      'IMPORT_HAS_ERRORS',
    );

    const good = plots();
    good.features = good.features.slice(0, 2);
    const fixed = await checked(
      farm.manager,
      'plots',
      farm.cooperative.id,
      Buffer.from(JSON.stringify(good)),
      'thua.geojson',
    );
    expect(fixed.counts).toEqual({ new: 2, update: 0, unchanged: 0, error: 0 });
    expect((await farm.manager.post(`/imports/${fixed.id}/commit`, {})).body.status).toBe(
      'committed',
    );
    const listed = await farm.manager.get(`/plots?householdId=${farm.household.id}&pageSize=50`);
    expect(listed.body.items.map((p: any) => p.code).sort()).toEqual([a, b].sort());

    // The survey again, one plot redrawn 3 m east: an update and an unchanged one.
    const moved = plots(3);
    moved.features = moved.features.slice(0, 2);
    const again = await checked(
      farm.manager,
      'plots',
      farm.cooperative.id,
      Buffer.from(JSON.stringify(moved)),
      'thua.geojson',
    );
    expect(again.counts).toEqual({ new: 0, update: 1, unchanged: 1, error: 0 });
    expect(again.preview.items[0].values.changes).toEqual(['geometry']);
    await farm.manager.post(`/imports/${again.id}/commit`, {});
    const plotA = listed.body.items.find((p: any) => p.code === a);
    const revisions = await farm.manager.get(`/plots/${plotA.id}/revisions`);
    expect(revisions.body.map((r: any) => r.revision)).toEqual(expect.arrayContaining([1, 2]));
  });

  it('refuses a commit when the land was drawn on since the check, and writes nothing', async () => {
    const farm = await farmWithManager();
    const at = offset(farm.origin, 300, 300);
    const file: FeatureCollection = {
      type: 'FeatureCollection',
      features: [uniqueCode('SA'), uniqueCode('SB')].map((code, i) => ({
        type: 'Feature',
        properties: { MA_THUA: code, MA_HO: farm.householdCode },
        geometry: rectangle(offset(at, i * 60, 0), 40, 30),
      })),
    };
    const job = await checked(
      farm.manager,
      'plots',
      farm.cooperative.id,
      Buffer.from(JSON.stringify(file)),
      'a.geojson',
    );
    expect(job.counts.new).toBe(2);
    // Someone draws a plot on the second one's land before the commit.
    const drawn = await farm.manager.post('/plots', {
      code: uniqueCode('SX'),
      householdId: farm.household.id,
      geometry: rectangle(offset(at, 62, 1), 40, 30),
      farmingSystem: 'organic_rice',
    });
    expect(drawn.status).toBe(201);
    const refused = await farm.manager.post(`/imports/${job.id}/commit`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('IMPORT_CHANGED');
    expect(refused.body.errors.map((e: any) => e.code)).toContain('PLOT_OVERLAPS');
    const listed = await farm.manager.get(`/plots?householdId=${farm.household.id}`);
    expect(listed.body.total).toBe(1);
  });

  it('catches an overlap between features thousands apart in the file, checked in different chunks', async () => {
    const farm = await farmWithManager();
    const start = offset(farm.origin, 0, 600);
    const features = Array.from({ length: 2_001 }, (_, i) => ({
      type: 'Feature' as const,
      properties: { MA_THUA: `${uniqueCode('K')}-${i}`, MA_HO: farm.householdCode },
      // A grid of 8 m × 6 m plots; the last one lies on the first.
      geometry: rectangle(
        i === 2_000 ? offset(start, 1, 1) : offset(start, (i % 50) * 10, Math.floor(i / 50) * 8),
        8,
        6,
      ),
    }));
    const job = await checked(
      farm.manager,
      'plots',
      farm.cooperative.id,
      Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
      'many.geojson',
      '?verdict=error',
    );
    expect(job.counts).toEqual({ new: 2_000, update: 0, unchanged: 0, error: 1 });
    expect(job.preview.items[0]).toMatchObject({ number: 2_001 });
    expect(job.preview.items[0].errors[0]).toMatchObject({ code: 'PLOT_OVERLAPS' });
    expect(job.preview.items[0].errors[0].message).toContain('feature 1 ');
  });

  it('lands a surveyor’s VN-2000 shapefile on the fields it was drawn on', async () => {
    const farm = await farmWithManager();
    const toVn2000 = proj4('EPSG:4326', VN2000_TM3_105_30);
    const wgs84 = rectangle(offset(farm.origin, 200, 200), 40, 30);
    const code = uniqueCode('VN');
    const surveyed: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { MA_THUA: code, MA_HO: farm.householdCode, DIEN_TICH: 1200 },
          geometry: {
            type: 'Polygon',
            coordinates: wgs84.coordinates.map((ring) =>
              ring.map((p) => toVn2000.forward(p as [number, number])),
            ),
          },
        },
      ],
    };
    const zip = (await shpwrite.zip(surveyed, {
      outputType: 'nodebuffer',
      compression: 'DEFLATE',
      prj: ESRI_PRJ,
    })) as Buffer;
    const job = await checked(farm.manager, 'plots', farm.cooperative.id, zip, 'khao-sat.zip');
    expect(job).toMatchObject({ status: 'ready', format: 'shapefile' });
    expect(job.crs).toContain('VN-2000');
    expect(job.counts.new).toBe(1);
    const placed = job.preview.items[0].geometry as Polygon;
    const gaps = placed.coordinates[0]!.map((p, i) => metres(p, wgs84.coordinates[0]![i]!));
    expect(Math.max(...gaps)).toBeLessThan(1);
  });

  it('asks for the coordinate system of a shapefile with no .prj, and checks again once told', async () => {
    const farm = await farmWithManager();
    const file = readFileSync(resolve(import.meta.dirname, 'fixtures/plots/no-prj.zip'));
    const job = await checked(farm.manager, 'plots', farm.cooperative.id, file, 'a.zip');
    expect(job).toMatchObject({
      status: 'failed',
      format: 'shapefile',
      crs: null,
      failure: { code: 'IMPORT_CRS_NEEDED' },
      columns: expect.arrayContaining(['MA_THUA', 'MA_HO', 'DIEN_TICH']),
    });
    const unknown = await farm.manager.patch(`/imports/${job.id}`, { crs: 'EPSG:2154' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ path: 'crs', code: 'IMPORT_CRS_UNSUPPORTED' });
    expect((await farm.manager.patch(`/imports/${job.id}`, { crs: 'EPSG:9209' })).status).toBe(202);
    const told = await settled(farm.manager, job.id);
    expect(told).toMatchObject({ status: 'ready', crs: "EPSG:9209 VN-2000 / TM-3 105°30'" });
    const expected = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, 'fixtures/plots/expected-vn2000-tm3-105-30.geojson'),
        'utf8',
      ),
    );
    const first = told.preview.items[0].geometry.coordinates[0][0];
    expect(metres(first, expected.features[0].geometry.coordinates[0][0])).toBeLessThan(0.01);
    // The fixture's households (H0001, H0002) are not all this cooperative's: named, not guessed.
    expect(told.preview.items.flatMap((r: any) => r.errors.map((e: any) => e.field))).toContain(
      'household',
    );
  });

  it('refuses a shapefile without its .shx, and files that are not plots', async () => {
    const farm = await farmWithManager();
    const send = async (file: Buffer, name: string) =>
      settled(
        farm.manager,
        (
          await upload(
            farm.manager,
            { kind: 'plots', cooperativeId: farm.cooperative.id },
            file,
            name,
          )
        ).body.id,
      );
    const noShx = await send(
      readFileSync(resolve(import.meta.dirname, 'fixtures/plots/no-shx.zip')),
      'a.zip',
    );
    expect(noShx.failure).toMatchObject({ code: 'IMPORT_FILE_UNREADABLE' });
    expect(noShx.failure.message).toContain('.shx');
    expect((await send(Buffer.from('<html></html>'), 'a.kml')).failure.code).toBe(
      'IMPORT_FILE_UNREADABLE',
    );
    expect((await send(Buffer.from('{"type":"Topology"}'), 'a.json')).failure.code).toBe(
      'IMPORT_FILE_UNREADABLE',
    );
    const listed = await farm.manager.get(`/plots?householdId=${farm.household.id}`);
    expect(listed.body.total).toBe(0);
  });
});

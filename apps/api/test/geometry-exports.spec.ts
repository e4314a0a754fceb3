import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFeatures, readPlotFile as readLazily } from '../src/registry/imports/plot-file.js';
import { checked } from './support/imports.js';
import { newFarm, offset, plotBody, rectangle } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A plot file with all its features read. */
async function readPlotFile(file: Buffer, name: string) {
  const read = await readLazily(file, name);
  return { ...read, features: await allFeatures(read) };
}

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

async function download(path: string, token = api.adminToken) {
  const response = await fetch(`${api.url}/api/v1${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

async function farmWithPlots() {
  const farm = await newFarm(api);
  const plots = [];
  for (const [east, north] of [
    [20, 20],
    [120, 20],
  ] as const) {
    const plot = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(offset(farm.origin, east, north), 40, 30), {
        zoneId: farm.zone.id,
      }),
    );
    expect(plot.status).toBe(201);
    plots.push(plot.body as { id: string; code: string; geometry: any });
  }
  return { ...farm, plots };
}

describe('plots and zones as GIS files', () => {
  it('writes GeoJSON, KML and a zipped Shapefile that read back as the same plots', async () => {
    const farm = await farmWithPlots();
    const filter = `?householdId=${farm.household.id}`;
    const geojson = await download(`/exports/plots.geojson${filter}`);
    expect(geojson.status).toBe(200);
    expect(geojson.type).toContain('application/geo+json');
    const collection = JSON.parse(geojson.body.toString());
    expect(collection.features.map((f: any) => f.properties.MA_THUA).sort()).toEqual(
      farm.plots.map((p) => p.code).sort(),
    );
    expect(collection.features[0].properties).toMatchObject({
      HTX: 'HTX Thử nghiệm',
      MA_HO: expect.stringMatching(/^H\d{4}$/),
      DT_HA: expect.any(Number),
    });
    expect(collection.features[0].properties.DT_HA).toBeGreaterThan(0.1);

    const asKml = await download(`/exports/plots.kml${filter}`);
    expect(asKml.type).toContain('kml');
    const placemarks = kml(
      new DOMParser().parseFromString(asKml.body.toString(), 'text/xml') as never,
    ).features;
    expect(placemarks).toHaveLength(2);
    expect(placemarks.map((f) => f.properties?.['MA_THUA']).sort()).toEqual(
      farm.plots.map((p) => p.code).sort(),
    );

    const zip = await download(`/exports/plots.shp.zip${filter}`);
    expect(zip.type, zip.body.toString()).toContain('application/zip');
    const read = await readPlotFile(zip.body, 'thua.zip');
    expect(read.format).toBe('shapefile');
    expect(read.crs!.name).toBe('EPSG:4326 WGS 84');
    expect(read.features).toHaveLength(2);
    expect(read.features[0]!.properties['HTX']).toBe('HTX Thử nghiệm');

    // What was exported, imported again into the same cooperative: nothing to change.
    const again = await checked(api, 'plots', farm.cooperative.id, zip.body, 'thua.zip');
    expect(again.counts).toEqual({ new: 0, update: 0, unchanged: 2, error: 0 });
  });

  it('writes the EUDR’s GeoJSON for the plots chosen: six decimals, country, place, hectares', async () => {
    const farm = await farmWithPlots();
    const eudr = await download(`/exports/plots.eudr.geojson?ids=${farm.plots[0]!.id}`);
    expect(eudr.status).toBe(200);
    const text = eudr.body.toString();
    const collection = JSON.parse(text);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(1);
    expect(collection.features[0].properties).toMatchObject({
      ProducerCountry: 'VN',
      ProductionPlace: expect.stringContaining('Xã Thử'),
      Area: expect.any(Number),
    });
    expect(collection.features[0].properties.Area).toBeCloseTo(0.12, 1);
    expect(collection.features[0].geometry.type).toBe('Polygon');
    const coordinates = text.slice(text.indexOf('"coordinates"'));
    const numbers = coordinates.match(/-?\d+\.\d+(?=[,\]])/g)!;
    expect(numbers.length).toBeGreaterThanOrEqual(10);
    expect(numbers.every((n) => n.split('.')[1]!.length >= 6)).toBe(true);
    const points = JSON.parse(
      (
        await download(`/exports/plots.eudr.geojson?ids=${farm.plots[0]!.id}&points=true`)
      ).body.toString(),
    );
    expect(points.features[0].geometry.type).toBe('Point');
    const bad = await download('/exports/plots.eudr.geojson?ids=not-a-plot');
    expect(bad.status).toBe(400);
  });

  it('writes zones, and keeps plots to whoever may see them', async () => {
    const farm = await farmWithPlots();
    const zones = JSON.parse(
      (
        await download(`/exports/zones.geojson?q=${encodeURIComponent('Vùng thử')}`)
      ).body.toString(),
    );
    expect(zones.features.length).toBeGreaterThan(0);
    expect(zones.features[0].properties).toMatchObject({
      TEN_VUNG: 'Vùng thử',
      DT_HA: expect.any(Number),
    });
    const zoneZip = await download('/exports/zones.shp.zip?q=Vùng');
    expect((await readPlotFile(zoneZip.body, 'vung.zip')).features.length).toBeGreaterThan(0);
    expect((await download('/exports/zones.kml')).body.toString()).toContain('<kml');

    const buyer = await api.newUser('buyer', {
      buyerId: (
        await api.post('/buyers', {
          name: 'Công ty Lạ',
          taxCode: `0${Date.now()}`.slice(0, 10),
          province: 'Hà Nội',
        })
      ).body.id,
    });
    const seen = JSON.parse(
      (
        await download(`/exports/plots.geojson?householdId=${farm.household.id}`, buyer.token)
      ).body.toString(),
    );
    expect(seen.features).toEqual([]);
    const none = await download(
      `/exports/plots.shp.zip?householdId=${farm.household.id}`,
      buyer.token,
    );
    expect(none.status).toBe(200);
    expect((await readPlotFile(none.body, 'none.zip')).features).toEqual([]);
  });
});

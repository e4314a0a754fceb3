import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFarm, offset, plotBody, rectangle, type newFarm as Farm } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;
let farm: Awaited<ReturnType<typeof Farm>>;

beforeAll(async () => {
  api = await startTestApp();
  farm = await newFarm(api);
});
afterAll(() => api.close());

/** A point inside the farm's zone, `n` plots' width along its southern edge. */
function slot(n: number, northM = 20): [number, number] {
  return offset(farm.origin, 20 + n * 45, northM);
}

describe('creating a plot', () => {
  it('computes the area geodesically and shows it in m², ha and sào', async () => {
    const response = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(slot(0), 40, 30), {
        zoneId: farm.zone.id,
        declaredAreaM2: 1200,
      }),
    );
    expect(response.status).toBe(201);
    expect(response.body.area.m2).toBeGreaterThan(1185);
    expect(response.body.area.m2).toBeLessThan(1215);
    expect(response.body.area.ha).toBeCloseTo(0.12, 2);
    expect(response.body.area.sao).toBeCloseTo(3.33, 1);
    expect(response.body.flags).toEqual([]);
    expect(response.body.cooperativeId).toBe(farm.cooperative.id);
  });

  it('flags a declared area more than 20 % off the computed one', async () => {
    const response = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(slot(1), 40, 30), {
        zoneId: farm.zone.id,
        declaredAreaM2: 1800,
      }),
    );
    expect(response.status).toBe(201);
    expect(response.body.flags).toContain('AREA_MISMATCH');
  });

  it('accepts a neighbour that overlaps by at most 5 % and refuses one above', async () => {
    const first = await api.post('/plots', plotBody(farm.household.id, rectangle(slot(2), 40, 30)));
    expect(first.status).toBe(201);
    const slightly = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(offset(slot(2), 38.5, 0), 40, 30)),
    );
    expect(slightly.status).toBe(201);

    const heavily = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(offset(slot(2), 10, 5), 40, 30)),
    );
    expect(heavily.status).toBe(409);
    expect(heavily.body.code).toBe('PLOT_OVERLAPS');
    expect(heavily.body.errors[0]).toMatchObject({
      path: 'geometry',
      plotId: first.body.id,
      plotCode: first.body.code,
    });
  });

  it('refuses an organic plot lying mostly outside its zone', async () => {
    const outside = offset(farm.origin, 480, 100);
    const response = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(outside, 40, 30), { zoneId: farm.zone.id }),
    );
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('PLOT_OUTSIDE_ZONE');
  });

  it.each([
    [
      'GEOMETRY_RING_NOT_CLOSED',
      {
        type: 'Polygon',
        coordinates: [
          [
            [106.1, 20.1],
            [106.1004, 20.1],
            [106.1004, 20.1003],
            [106.1, 20.1003],
          ],
        ],
      },
    ],
    [
      'GEOMETRY_SELF_INTERSECTION',
      {
        type: 'Polygon',
        coordinates: [
          [
            [106.1, 20.1],
            [106.1004, 20.1003],
            [106.1004, 20.1],
            [106.1, 20.1003],
            [106.1, 20.1],
          ],
        ],
      },
    ],
    [
      'GEOMETRY_OUTSIDE_VIETNAM',
      {
        type: 'Polygon',
        coordinates: [
          [
            [2.35, 48.85],
            [2.3504, 48.85],
            [2.3504, 48.8503],
            [2.35, 48.85],
          ],
        ],
      },
    ],
    [
      'GEOMETRY_COORDINATES_SWAPPED',
      {
        type: 'Polygon',
        coordinates: [
          [
            [20.1, 106.1],
            [20.1, 106.1004],
            [20.1003, 106.1004],
            [20.1, 106.1],
          ],
        ],
      },
    ],
    ['PLOT_TOO_SMALL', rectangle([106.2, 20.2], 5, 5)],
    ['PLOT_TOO_LARGE', rectangle([106.2, 20.2], 500, 500)],
    [
      'GEOMETRY_TOO_FEW_POINTS',
      {
        type: 'Polygon',
        coordinates: [
          [
            [106.1, 20.1],
            [106.1004, 20.1],
            [106.1, 20.1],
          ],
        ],
      },
    ],
  ])('answers %s with its own code and saves nothing', async (code, geometry) => {
    const body = plotBody(farm.household.id, geometry as never);
    const response = await api.post('/plots', body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.code).toBe(code);
    expect(response.body.errors[0].path).toMatch(/^geometry/);
    const search = await api.get(`/plots?q=${body.code}`);
    expect(search.body.total).toBe(0);
  });

  it('refuses a plot whose household does not exist, with the field named', async () => {
    const response = await api.post(
      '/plots',
      plotBody('00000000-0000-4000-8000-000000000000', rectangle(slot(5), 40, 30)),
    );
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'REFERENCE_NOT_FOUND',
      errors: [{ path: 'householdId' }],
    });
  });

  it('refuses a second plot with the same code', async () => {
    const body = plotBody(farm.household.id, rectangle(slot(6), 40, 30));
    expect((await api.post('/plots', body)).status).toBe(201);
    const again = await api.post('/plots', { ...body, geometry: rectangle(slot(7), 40, 30) });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'PLOT_CODE_TAKEN', errors: [{ path: 'code' }] });
  });
});

describe('editing a plot', () => {
  it('re-checks the new outline and keeps every revision', async () => {
    const created = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(slot(8), 40, 30)),
    );
    const neighbour = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(slot(9), 40, 30)),
    );
    const onNeighbour = await api.patch(`/plots/${created.body.id}`, {
      geometry: rectangle(slot(9), 40, 30),
    });
    expect(onNeighbour.status).toBe(409);
    expect(onNeighbour.body.errors[0].plotId).toBe(neighbour.body.id);

    const grown = await api.patch(`/plots/${created.body.id}`, {
      geometry: rectangle(slot(8), 40, 35),
    });
    expect(grown.status).toBe(200);
    expect(grown.body.revision).toBe(2);
    const revisions = await api.get(`/plots/${created.body.id}/revisions`);
    expect(revisions.body.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(revisions.body[0].areaM2).toBeLessThan(revisions.body[1].areaM2);
  });
});

describe('the map query', () => {
  it('returns the plots in a bbox as a GeoJSON FeatureCollection', async () => {
    const plot = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(slot(0, 200), 40, 30)),
    );
    const [lng, lat] = slot(0, 200);
    const response = await api.get(
      `/plots?bbox=${lng - 0.0001},${lat - 0.0001},${lng + 0.0002},${lat + 0.0002}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/geo+json');
    expect(response.body.type).toBe('FeatureCollection');
    const feature = response.body.features.find((f: { id: string }) => f.id === plot.body.id);
    expect(feature.geometry).toEqual(plot.body.geometry);
    expect(feature.properties).toMatchObject({ code: plot.body.code, status: 'not_organic' });

    const far = await api.get('/plots?bbox=102.1,8.1,102.2,8.2');
    expect(far.body.features).toEqual([]);
  });

  it('rejects a malformed bbox', async () => {
    const response = await api.get('/plots?bbox=1,2,3');
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('bbox');
  });
});

describe('organic status', () => {
  it('follows conversion start, conversion length and the certificate, with the reason', async () => {
    const plot = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(slot(3, 100), 40, 30), {
        zoneId: farm.zone.id,
        conversionStartedOn: '2022-03-01',
      }),
    );
    await api.post('/certifications', {
      zoneId: farm.zone.id,
      guaranteeType: 'TCVN_THIRD_PARTY',
      standard: 'TCVN 11041-5:2018',
      body: 'Tổ chức thử',
      certificateNumber: `HC-${plot.body.code}`,
      validFrom: '2023-06-01',
      validTo: '2025-05-31',
      scope: 'zone',
    });
    const on = async (date: string) =>
      (await api.get(`/plots/${plot.body.id}/status?on=${date}`)).body;

    expect(await on('2022-01-01')).toMatchObject({
      status: 'not_organic',
      reason: 'CONVERSION_NOT_STARTED',
    });
    expect(await on('2022-12-01')).toMatchObject({
      status: 'in_conversion',
      conversionEndsOn: '2023-03-01',
    });
    expect(await on('2023-05-01')).toMatchObject({
      status: 'not_organic',
      reason: 'NO_VALID_CERTIFICATE',
    });
    expect(await on('2024-06-01')).toMatchObject({
      status: 'certified',
      reason: 'CERTIFICATE_VALID',
      certificate: { validTo: '2025-05-31' },
    });
    expect(await on('2025-06-01')).toMatchObject({
      status: 'not_organic',
      reason: 'CERTIFICATE_EXPIRED',
    });
  });

  it('answers 400 for a date that does not exist', async () => {
    const plot = await api.post(
      '/plots',
      plotBody(farm.household.id, rectangle(slot(4, 100), 40, 30)),
    );
    const response = await api.get(`/plots/${plot.body.id}/status?on=2024-02-30`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('on');
  });
});

describe('importing plots', () => {
  it('imports a whole survey at once', async () => {
    const plots = Array.from({ length: 40 }, (_, i) =>
      plotBody(
        farm.household.id,
        rectangle(offset(farm.origin, 20 + (i % 10) * 45, 300 + Math.floor(i / 10) * 35), 40, 30),
        {
          zoneId: farm.zone.id,
        },
      ),
    );
    const response = await api.post('/plots/import', { plots });
    expect(response.status).toBe(201);
    expect(response.body.imported).toBe(40);
    const listed = await api.get(`/plots?householdId=${farm.household.id}&q=${plots[7]!.code}`);
    expect(listed.body.items[0]).toMatchObject({ code: plots[7]!.code, zoneId: farm.zone.id });
  });

  it('imports nothing when one plot breaks a rule, and names every fault by index', async () => {
    const base = offset(farm.origin, 20, 440);
    const plots = [
      plotBody(farm.household.id, rectangle(base, 40, 30)),
      plotBody(farm.household.id, rectangle(offset(base, 10, 5), 40, 30)),
      plotBody(farm.household.id, rectangle(offset(base, 100, 0), 4, 4)),
      plotBody(farm.household.id, rectangle(offset(base, 200, 0), 40, 30)),
    ];
    plots[3]!.code = plots[0]!.code;
    const response = await api.post('/plots/import', { plots });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('PLOT_IMPORT_REJECTED');
    const faults = response.body.errors.map(
      (e: { path: string; code: string }) => `${e.path} ${e.code}`,
    );
    expect(faults).toEqual(
      expect.arrayContaining([
        'plots.1.geometry PLOT_OVERLAPS',
        'plots.2.geometry PLOT_TOO_SMALL',
        'plots.3.code PLOT_CODE_TAKEN',
      ]),
    );
    const listed = await api.get(`/plots?q=${plots[0]!.code}`);
    expect(listed.body.total).toBe(0);
  });
});

describe('concurrent writes', () => {
  it('lets only one of two overlapping plots in, however they race', async () => {
    const spot = offset(farm.origin, 250, 250);
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        api.post(
          '/plots',
          plotBody(farm.household.id, rectangle(offset(spot, i * 3, i * 2), 40, 30)),
        ),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });
});

describe('the map zoomed out', () => {
  it('counts plots on a grid instead of sending every polygon', async () => {
    for (let i = 0; i < 3; i++) {
      await api.post(
        '/plots',
        plotBody(farm.household.id, rectangle(offset(farm.origin, 20 + i * 45, 600), 40, 30)),
      );
    }
    const [lng, lat] = farm.origin;
    const bbox = `${lng - 0.01},${lat - 0.01},${lng + 0.02},${lat + 0.02}`;
    const clusters = await api.get(`/plots/clusters?bbox=${bbox}&zoom=12`);
    expect(clusters.status).toBe(200);
    const features = await api.get(`/plots?bbox=${bbox}`);
    const counted = clusters.body.reduce((sum: number, c: { count: number }) => sum + c.count, 0);
    expect(counted).toBe(features.body.features.length);
    expect(clusters.body.length).toBeLessThan(counted);
    expect(clusters.body[0]).toMatchObject({
      lng: expect.any(Number),
      lat: expect.any(Number),
      areaM2: expect.any(Number),
    });
  });
});

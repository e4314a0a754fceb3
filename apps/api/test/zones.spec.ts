import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newCommune,
  newCooperative,
  newHousehold,
  newZone,
  offset,
  plotBody,
  randomSpot,
  rectangle,
  uniqueCode,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;
let communeId: string;

beforeAll(async () => {
  api = await startTestApp();
  communeId = (await newCommune(api)).id;
});
afterAll(() => api.close());

describe('zones', () => {
  it('computes the area of a MultiPolygon zone and reports the target', async () => {
    const origin = randomSpot();
    const a = rectangle(origin, 400, 300).coordinates;
    const b = rectangle(offset(origin, 600, 0), 200, 200).coordinates;
    const response = await api.post('/zones', {
      code: uniqueCode('Z'),
      name: 'Vùng hai mảnh',
      kind: 'organic',
      geometry: { type: 'MultiPolygon', coordinates: [a, b] },
      communeIds: [communeId],
      targetAreaHa: 20,
      products: ['Lúa hữu cơ'],
    });
    expect(response.status).toBe(201);
    expect(response.body.area.ha).toBeGreaterThan(15.8);
    expect(response.body.area.ha).toBeLessThan(16.2);
    expect(response.body.targetArea.ha).toBe(20);
    expect(response.body.status).toBe('planned');
  });

  it('refuses a zone under 1 ha with its code', async () => {
    const response = await api.post('/zones', {
      code: uniqueCode('Z'),
      name: 'Vùng nhỏ',
      kind: 'organic',
      geometry: rectangle(randomSpot(), 50, 50),
      communeIds: [communeId],
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('ZONE_TOO_SMALL');
  });

  it('moves planned → in conversion → certified → suspended from dates, and refuses a skip', async () => {
    const zone = await newZone(api, communeId, rectangle(randomSpot(), 300, 300));
    const change = (status: string, effectiveOn: string) =>
      api.post(`/zones/${zone.id}/status-changes`, {
        status,
        effectiveOn,
        reason: 'Quyết định thử',
      });
    const skip = await change('certified', '2020-01-01');
    expect(skip.status).toBe(409);
    expect(skip.body.code).toBe('ZONE_STATUS_TRANSITION_INVALID');
    for (const [status, on] of [
      ['in_conversion', '2020-01-01'],
      ['certified', '2021-01-01'],
      ['suspended', '2022-01-01'],
    ] as const) {
      const step = await change(status, on);
      expect(step.status).toBe(201);
      expect(step.body).toMatchObject({ status, effectiveOn: on, reason: 'Quyết định thử' });
    }
    expect((await api.get(`/zones/${zone.id}`)).body.status).toBe('suspended');
    const patched = await api.patch(`/zones/${zone.id}`, { status: 'certified' });
    expect(patched.status).toBe(400);
    expect(patched.body.errors[0]).toMatchObject({ path: 'status', code: 'UNKNOWN_FIELD' });
  });

  it('filters by kind and status and searches by name', async () => {
    const zone = await newZone(api, communeId, rectangle(randomSpot(), 300, 300), {
      kind: 'vietgap',
      name: 'Vùng VietGAP Thử',
    });
    const list = await api.get(`/zones?kind=vietgap&communeId=${communeId}&q=VietGAP`);
    expect(list.body.items.map((z: { id: string }) => z.id)).toContain(zone.id);
    const none = await api.get(`/zones?kind=organic&q=VietGAP Thử`);
    expect(none.body.items.map((z: { id: string }) => z.id)).not.toContain(zone.id);
  });
});

describe('a zone at a glance', () => {
  it('refuses an outline that would leave one of its plots outside, and changes nothing', async () => {
    const origin = randomSpot();
    const zone = await newZone(api, communeId, rectangle(origin, 400, 400));
    const cooperative = await newCooperative(api, communeId);
    const household = await newHousehold(api, communeId, cooperative.id);
    const plot = await api.post(
      '/plots',
      plotBody(household.id, rectangle(offset(origin, 300, 300), 50, 40), { zoneId: zone.id }),
    );
    expect(plot.status).toBe(201);
    // Cut down to the south-west quarter: the plot in the north-east corner falls outside.
    const shrunk = await api.patch(`/zones/${zone.id}`, { geometry: rectangle(origin, 200, 200) });
    expect(shrunk.status).toBe(422);
    expect(shrunk.body.code).toBe('PLOT_OUTSIDE_ZONE');
    expect(shrunk.body.errors[0]).toMatchObject({ path: 'geometry', plotCode: plot.body.code });
    expect((await api.get(`/zones/${zone.id}`)).body.area.m2).toBeGreaterThan(150_000);
    const grown = await api.patch(`/zones/${zone.id}`, { geometry: rectangle(origin, 500, 500) });
    expect(grown.status).toBe(200);
    // The timeline holds the accepted change only; the refused one changed nothing.
    const changes = await api.get(`/zones/${zone.id}/changes`);
    expect(changes.body.map((c: { action: string }) => c.action)).toEqual([
      'zone.create',
      'zone.update',
    ]);
    expect((await api.get(`/zones/${crypto.randomUUID()}/changes`)).status).toBe(404);
  });

  it('sums plots, households and the area certified today against the target', async () => {
    const origin = randomSpot();
    const zone = await newZone(api, communeId, rectangle(origin, 400, 400), { targetAreaHa: 10 });
    const cooperative = await newCooperative(api, communeId);
    const household = await newHousehold(api, communeId, cooperative.id);
    for (const [i, conversionStartedOn] of ['2020-01-01', '2026-06-01'].entries()) {
      const plot = await api.post(
        '/plots',
        plotBody(household.id, rectangle(offset(origin, 20 + i * 60, 20), 50, 40), {
          zoneId: zone.id,
          conversionStartedOn,
        }),
      );
      expect(plot.status).toBe(201);
    }
    await api.post('/certifications', {
      zoneId: zone.id,
      guaranteeType: 'TCVN_THIRD_PARTY',
      standard: 'TCVN 11041-5:2018',
      body: 'Tổ chức thử',
      certificateNumber: uniqueCode('HC'),
      validFrom: '2024-01-01',
      validTo: '2099-12-31',
      scope: 'zone',
    });
    const summary = await api.get(`/zones/${zone.id}/summary`);
    expect(summary.body).toMatchObject({
      plots: 2,
      households: 1,
      targetArea: { ha: 10 },
      certificate: { validToday: true },
    });
    expect(summary.body.certifiedArea.m2).toBeGreaterThan(1_900);
    expect(summary.body.certifiedArea.m2).toBeLessThan(summary.body.plotArea.m2);
  });
});

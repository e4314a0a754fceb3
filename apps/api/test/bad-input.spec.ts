import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFarm, plotBody, rectangle, offset } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp({ env: { BODY_LIMIT_BYTES: '20000' } });
});
afterAll(() => api.close());

function expectErrorBody(body: unknown, code: string) {
  expect(body).toMatchObject({ statusCode: expect.any(Number), code, message: expect.any(String) });
}

describe('bad input', () => {
  it('names each wrong, missing and unknown field', async () => {
    const response = await api.post('/cooperatives', {
      name: 42,
      registrationNumber: 'HTX-1',
      colour: 'red',
    });
    expect(response.status).toBe(400);
    expectErrorBody(response.body, 'VALIDATION_FAILED');
    const byPath = Object.fromEntries(
      response.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
    );
    expect(byPath).toMatchObject({
      name: 'INVALID_TYPE',
      communeId: 'REQUIRED',
      colour: 'UNKNOWN_FIELD',
    });
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await api.post('/cooperatives', { name: 'x'.repeat(30_000) });
    expect(response.status).toBe(413);
    expectErrorBody(response.body, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 400 INVALID_JSON for a body that is not JSON', async () => {
    const response = await api.raw('/cooperatives', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    expectErrorBody(response.body, 'INVALID_JSON');
  });

  it('answers 415 for a body that is not JSON at all', async () => {
    const response = await api.raw('/cooperatives', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    });
    expect(response.status).toBe(415);
    expectErrorBody(response.body, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400 for an id that is not a UUID, 404 for one that does not exist', async () => {
    for (const path of [
      '/zones/abc',
      '/plots/1',
      '/households/x',
      '/cooperatives/not-a-uuid',
      '/admin-units/%27',
    ]) {
      const response = await api.get(path);
      expect(response.status, path).toBe(400);
      expect(response.body.errors[0].path).toBe('id');
    }
    for (const entity of [
      'zones',
      'plots',
      'households',
      'cooperatives',
      'admin-units',
      'certifications',
    ]) {
      const response = await api.get(`/${entity}/3f0c9a52-4d1e-4b8a-9a71-2b5c1d7e8f90`);
      expect(response.status, entity).toBe(404);
      expectErrorBody(response.body, 'NOT_FOUND');
    }
  });

  it('refuses dates that do not exist, such as 2024-02-30', async () => {
    const response = await api.post('/admin-units', {
      code: '99',
      name: 'Tỉnh Thử',
      level: 'province',
      validFrom: '2024-02-30',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'validFrom' })]);
  });

  it('refuses invalid GeoJSON with the path of the fault', async () => {
    const farm = await newFarm(api);
    const cases = [
      { type: 'Point', coordinates: [106, 20] },
      { type: 'Polygon', coordinates: 'here' },
      { type: 'Polygon', coordinates: [[[106, 'north']]] },
      { type: 'Polygon', coordinates: [] },
    ];
    for (const geometry of cases) {
      const response = await api.post('/plots', plotBody(farm.household.id, geometry as never));
      expect(response.status, JSON.stringify(geometry)).toBe(400);
      expect(response.body.errors[0].path).toMatch(/^geometry/);
    }
  });

  it('refuses unknown sort keys and page sizes out of range', async () => {
    expect((await api.get('/plots?sort=password')).status).toBe(400);
    expect((await api.get('/plots?pageSize=100000')).status).toBe(400);
    expect((await api.get('/plots?page=0')).status).toBe(400);
    expect((await api.get('/plots?unknown=1')).status).toBe(400);
  });

  it('answers unknown routes with the same error body', async () => {
    const response = await api.get('/no-such-thing');
    expect(response.status).toBe(404);
    expectErrorBody(response.body, 'ROUTE_NOT_FOUND');
  });

  it('leaves nothing half-written when a zone refers to a missing commune', async () => {
    const code = `Z-HALF-${Date.now()}`;
    const response = await api.post('/zones', {
      code,
      name: 'Vùng thiếu xã',
      kind: 'organic',
      geometry: rectangle(offset([105.5, 15.5], Math.random() * 1000, 0), 200, 200),
      communeIds: ['3f0c9a52-4d1e-4b8a-9a71-2b5c1d7e8f90'],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('communeIds.0');
    const list = await api.get(`/zones?q=${code}`);
    expect(list.body.total).toBe(0);
  });
});

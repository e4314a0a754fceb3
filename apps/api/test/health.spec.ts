import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

describe('health and documentation', () => {
  it('names the database and the schema version', async () => {
    const response = await api.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      database: process.env['DATABASE_URL'] ? 'postgres' : 'embedded',
      schemaVersion: expect.stringMatching(/^\w+\d{13}$/),
    });
  });

  it('publishes an OpenAPI document with the request schemas', async () => {
    const response = await fetch(`${api.url}/api/docs-json`);
    const document = (await response.json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/plots',
        '/api/v1/zones/{id}',
        '/api/v1/admin-units/successions',
      ]),
    );
    expect(document.components.schemas['CreatePlotDto']?.properties).toHaveProperty('geometry');
    const ui = await fetch(`${api.url}/api/docs`);
    expect(ui.status).toBe(200);
  });
});

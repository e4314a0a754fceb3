import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from './support/routes.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: object }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}

let api: TestApp;
let paths: Record<string, Record<string, Operation>>;

beforeAll(async () => {
  api = await startTestApp();
  const response = await fetch(`${api.url}/api/docs-json`);
  paths = ((await response.json()) as { paths: typeof paths }).paths;
});
afterAll(() => api.close());

const operation = (method: string, path: string) =>
  paths[`/api/v1${path.replace(/:(\w+)/g, '{$1}')}`]?.[method.toLowerCase()];

describe('the OpenAPI document', () => {
  it('describes every route the API serves', () => {
    const undocumented = apiRoutes(api.app)
      .filter((r) => !operation(r.method, r.path))
      .map((r) => `${r.method} ${r.path}`);
    expect(undocumented).toEqual([]);
  });

  it('lists each operation’s path parameters', () => {
    const missing: string[] = [];
    for (const route of apiRoutes(api.app)) {
      const names = new Set(
        (operation(route.method, route.path)?.parameters ?? []).map((p) => p.name),
      );
      for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
        if (!names.has(name!)) missing.push(`${route.method} ${route.path}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists the query parameters from the same schemas the server validates with', () => {
    const plots = operation('GET', '/plots')!.parameters!.filter((p) => p.in === 'query');
    expect(plots.map((p) => p.name)).toEqual(
      expect.arrayContaining(['page', 'pageSize', 'sort', 'order', 'zoneId', 'householdId', 'q']),
    );
    expect(plots.find((p) => p.name === 'zoneId')).toMatchObject({ required: false });
    const lots = operation('GET', '/lots')!.parameters!.map((p) => p.name);
    expect(lots).toEqual(expect.arrayContaining(['status', 'productId', 'seasonId']));
    const audit = operation('GET', '/audit')!.parameters!.map((p) => p.name);
    expect(audit).toEqual(expect.arrayContaining(['entity', 'entityId', 'actorId', 'action']));
  });

  it('points each write at its request body schema', () => {
    const body = operation('POST', '/plots')!.requestBody!.content['application/json']!.schema;
    expect(body.$ref).toBe('#/components/schemas/CreatePlotDto');
  });
});

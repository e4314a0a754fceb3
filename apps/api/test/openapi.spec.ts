import { randomInt } from 'node:crypto';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportService } from '../src/registry/imports/import.service.js';
import { LogAppender } from '../src/trace/log/log-appender.service.js';
import { upload } from './support/imports.js';
import { apiRoutes, type ApiRoute } from './support/routes.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';
import {
  aggregate,
  certifiedFarm,
  contractedBuyer,
  deliver,
  harvest,
} from './support/trace-fixtures.js';

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: object }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses?: Record<string, { content?: Record<string, { schema: object }> }>;
}

let api: TestApp;
let document: { paths: Record<string, Record<string, Operation>>; components: object };
let paths: Record<string, Record<string, Operation>>;
/** The partner who captured an EPCIS event: capture jobs are read by whoever sent them. */
let partner: Client;
/** An id of a real record behind each detail route, by the route's first path segment. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApp();
  const response = await fetch(`${api.url}/api/docs-json`);
  document = (await response.json()) as typeof document;
  paths = document.paths;

  // One of everything, so every detail route has a record to answer with.
  const farm = await certifiedFarm(api, 2);
  const h = await harvest(farm, 0, 400);
  const lot = (await aggregate(farm, [{ harvestId: h.id, quantityKg: 200 }])).body[0];
  const { buyer, contractId } = await contractedBuyer(api, farm, 'Công ty Lược Đồ');
  const delivery = await deliver(farm, contractId, lot.id);
  const inspection = await api.post('/inspections', {
    kind: 'ICS',
    householdId: farm.household.id,
    plannedOn: farm.harvestDay,
    inspectedOn: farm.harvestDay,
    findings: 'Đúng quy trình',
    nonCompliances: [
      {
        plotId: farm.plotIds[1],
        severity: 'minor',
        description: 'Sổ ghi chép thiếu',
        deadline: `${farm.season.year + 1}-01-01`,
      },
    ],
  });
  await api.post('/ocop-products', {
    name: 'Gạo hữu cơ Lược Đồ',
    cooperativeId: farm.cooperative.id,
    score: 75,
    level: 'province',
    certificateNumber: `OCOP-${randomInt(1e6)}`,
    certifiedOn: '2025-01-10',
  });
  await api.post('/targets', {
    adminUnitId: api.rootUnitId,
    year: farm.season.year,
    indicator: 'organic_ha',
    targetValue: 10,
  });
  await api.post(`/households/${farm.household.id}/consents`, {
    scope: 'name_on_provenance_page',
    evidence: 'Phiếu đồng ý',
  });
  const user = await api.newUser('inspector');
  partner = farm.manager;
  const captured = await farm.manager.raw('/epcis/capture', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: '2026-01-01T08:00:00.000+07:00',
            eventTimeZoneOffset: '+07:00',
            action: 'OBSERVE',
            bizStep: 'storing',
            quantityList: [{ epcClass: `urn:huuco:lot:${lot.code}`, quantity: 10, uom: 'KGM' }],
          },
        ],
      },
    }),
  });
  ids['capture'] = captured.body.captureID;
  const imported = await upload(
    api,
    { kind: 'households', cooperativeId: farm.cooperative.id },
    Buffer.from('Chủ hộ;Số CCCD;Ngày vào HTX\nA;030123456789;01/01/2020'),
    'a.csv',
  );
  await api.app.get(ImportService).settled();
  await api.app.get(LogAppender).appendPending();
  const [logged] = await api.db.query<{ event_id: string }[]>(
    'SELECT e.event_id FROM events e JOIN log_leaves l ON l.event_seq = e.seq WHERE e.lot_ids @> ARRAY[$1]::uuid[]',
    [lot.id],
  );
  ids['event'] = encodeURIComponent(logged!.event_id);
  const certification = (await api.get(`/certifications?zoneId=${farm.zone.id}`)).body.items[0];
  for (const [segment, id] of Object.entries({
    'admin-units': api.rootUnitId,
    zones: farm.zone.id,
    cooperatives: farm.cooperative.id,
    households: farm.household.id,
    plots: farm.plotIds[0]!,
    certifications: certification.id as string,
    harvests: h.id,
    lots: lot.id as string,
    buyers: buyer.id,
    contracts: contractId,
    deliveries: delivery.id,
    inspections: inspection.body.id as string,
    users: user.id,
    imports: imported.body.id as string,
  })) {
    ids[segment] = id;
  }
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

  it('documents what every read answers, and every real answer matches it', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    formats.default(ajv);
    ajv.addSchema(document, 'doc');
    const wrong: string[] = [];
    const reads = apiRoutes(api.app).filter((r) => r.method === 'GET');
    for (const route of reads) {
      const responses = operation(route.method, route.path)?.responses ?? {};
      const ok = responses['200']?.content ?? {};
      const json = ok['application/json']?.schema;
      if (!json) {
        if (Object.keys(ok).length === 0) wrong.push(`${route.path}: no documented answer`);
        continue;
      }
      const response = await (route.path.startsWith('/epcis/capture') ? partner : api).get(
        concrete(route),
      );
      if (response.status !== 200) {
        wrong.push(`${route.path}: answered ${response.status} ${JSON.stringify(response.body)}`);
        continue;
      }
      const validate = ajv.compile({ $ref: `doc#${pointerTo(route)}` });
      if (!validate(response.body))
        wrong.push(`${route.path}: ${ajv.errorsText(validate.errors, { dataVar: 'answer' })}`);
    }
    // The map's form of the plot list: GeoJSON, under the same documented answer.
    const features = await api.get('/plots?bbox=102.2,8.2,109.9,23.9');
    const plotList = ajv.compile({ $ref: `doc#${pointerTo({ path: '/plots' } as ApiRoute)}` });
    if (!plotList(features.body)) wrong.push(`/plots?bbox: ${ajv.errorsText(plotList.errors)}`);
    expect(features.body.type).toBe('FeatureCollection');
    expect(wrong).toEqual([]);
    expect(reads.length).toBeGreaterThan(30);
  });

  it('documents a success answer for every operation: its schema, or no content (204)', () => {
    const silent = apiRoutes(api.app)
      .filter((route) => {
        const responses = operation(route.method, route.path)?.responses ?? {};
        return !Object.entries(responses).some(
          ([status, answer]) => status === '204' || (status.startsWith('2') && answer.content),
        );
      })
      .map((route) => `${route.method} ${route.path}`);
    expect(silent).toEqual([]);
  });

  it('points each write at its request body schema', () => {
    const body = operation('POST', '/plots')!.requestBody!.content['application/json']!.schema;
    expect(body.$ref).toBe('#/components/schemas/CreatePlotDto');
  });
});

/** The route with real ids, and the query a list needs to return something. */
function concrete(route: ApiRoute): string {
  const segment = route.path.split('/')[1]!;
  const path = route.path.replace(/:id/, ids[segment] ?? 'missing');
  if (route.path === '/dashboard' || route.path === '/inspections/coverage')
    return `${path}?year=2026`;
  if (route.path === '/plots/clusters') return `${path}?bbox=102.2,8.2,109.9,23.9&zoom=8`;
  if (route.path === '/log/proof/inclusion') return `${path}?event=${ids['event']}`;
  if (route.path === '/log/proof/consistency') return `${path}?from=1`;
  if (route.path === '/epcis/capture/:id') return `/epcis/capture/${ids['capture']}`;
  return path;
}

/** JSON pointer to a route's documented 200 JSON answer within the document. */
function pointerTo(route: ApiRoute): string {
  const key = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`
    .replace(/~/g, '~0')
    .replace(/\//g, '~1');
  return `/paths/${key}/get/responses/200/content/application~1json/schema`;
}

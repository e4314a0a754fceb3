import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aggregate, certifiedFarm, harvest } from './support/trace-fixtures.js';

let api: TestApp;
let address: URL;
beforeAll(async () => {
  api = await startTestApp();
  const farm = await certifiedFarm(api, 1);
  const h = await harvest(farm, 0, 300);
  const lot = (await aggregate(farm, [{ harvestId: h.id, quantityKg: 300 }])).body[0];
  address = new URL(lot.provenanceUrl);
});
afterAll(() => api.close());

const at = (path: string, init: RequestInit = {}) => fetch(`${api.url}${path}`, init);
const page = () => `${address.pathname}${address.search}`;

describe('a lot’s address, answered as a GS1 Digital Link resolver answers', () => {
  it('answers GET, HEAD and OPTIONS, from any origin, with a link to its linkset', async () => {
    const get = await at(page(), { headers: { origin: 'https://shop.example' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(get.headers.get('link')).toMatch(
      /\?linkType=all>; rel="linkset"; type="application\/linkset\+json"/,
    );
    const head = await at(page(), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const options = await at(address.pathname, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(options.headers.get('access-control-allow-methods')).toContain('HEAD');
    expect((await at(`${address.pathname}/${address.search}`)).status).toBe(200);
  });

  it('lists the lot’s links as an RFC 9264 linkset, titled in Vietnamese and English', async () => {
    const response = await at(`${address.pathname}?linkType=all`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/linkset+json');
    const { linkset } = (await response.json()) as { linkset: Record<string, any>[] };
    const context = linkset[0]!;
    expect(context['anchor']).toMatch(new RegExp(`^https?://[^/]+${address.pathname}$`));
    for (const rel of ['pip', 'traceability', 'epcis', 'certificationInfo'])
      expect(context[`https://gs1.org/voc/${rel}`], rel).toHaveLength(1);
    const pip = context['https://gs1.org/voc/pip'][0];
    expect(pip.type).toBe('text/html');
    expect(pip['title*'].map((t: { language: string }) => t.language)).toEqual(['vi', 'en']);
    const certificate = context['https://gs1.org/voc/certificationInfo'][0];
    expect(certificate.title).toMatch(/^Chứng nhận TCVN 11041-5:2018 số HC-/);
  });

  it('takes a link type: the page, its data, or a redirect to the link of that type', async () => {
    const data = await at(`${page()}&linkType=gs1:traceability`);
    expect(data.headers.get('content-type')).toContain('application/json');
    expect(((await data.json()) as { genuine: boolean }).genuine).toBe(true);
    const epcis = await at(`${page()}&linkType=gs1:epcis`, { redirect: 'manual' });
    expect(epcis.status).toBe(307);
    expect(epcis.headers.get('location')).toMatch(/\/api\/v1\/epcis\/events\?lot=/);
    const absent = await at(`${page()}&linkType=gs1:recipeInfo`);
    expect(absent.status).toBe(200);
    expect(absent.headers.get('content-type')).toContain('text/html');
  });

  it('answers a malformed address 400, never 200, and an unknown lot 404', async () => {
    const badCheckDigit = await at('/01/08936000123452/10/25M-7KQ3MZ');
    expect(badCheckDigit.status).toBe(400);
    expect(((await badCheckDigit.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe(
      'gtin',
    );
    const badLinkType = await at(`${address.pathname}?linkType=<script>`);
    expect(badLinkType.status).toBe(400);
    expect((await at('/t/NO-SUCH-LOT?linkType=all')).status).toBe(404);
  });

  it('describes itself at /.well-known/gs1resolver', async () => {
    const response = await at('/.well-known/gs1resolver');
    expect(response.status).toBe(200);
    const description = (await response.json()) as {
      resolverRoot: string;
      supportedLinkTypes: { linkType: string }[];
    };
    expect(description.supportedLinkTypes.map((l) => l.linkType)).toContain('gs1:pip');
    expect(description.resolverRoot).toMatch(/^https?:\/\//);
  });
});

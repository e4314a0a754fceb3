import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { cbvEventId } from '../src/trace/events/cbv-event-hash.js';
import { LogAppender } from '../src/trace/log/log-appender.service.js';
import { Actor } from '../src/access/auth/actor.js';
import type { DomainError } from '../src/platform/http/domain-error.js';
import { HarvestService } from '../src/trace/harvests/harvest.service.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanLog } from '../src/trace/provenance/scan-log.js';
import {
  aggregate,
  certifiedFarm,
  harvest,
  productId,
  type CertifiedFarm,
} from './support/trace-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;
let farm: CertifiedFarm;

beforeAll(async () => {
  // As behind a reverse proxy on this machine: scans then come from the addresses it names.
  api = await startTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1,::1' } });
  farm = await certifiedFarm(api);
});
afterAll(() => api.close());

/** GETs a public page the way a phone does after scanning: the full URL from the QR. */
async function scan(url: string, accept = 'text/html') {
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  const response = await fetch(`${api.url}${path}`, { headers: { accept } });
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get('content-type'),
  };
}

/** 930 kg of organic paddy in one lot, from two plots of a farm of its own. */
async function millable() {
  const f = await certifiedFarm(api, 2);
  const a = await harvest(f, 0, 450);
  const b = await harvest(f, 1, 480);
  const lot = await aggregate(f, [
    { harvestId: a.id, quantityKg: 450 },
    { harvestId: b.id, quantityKg: 480 },
  ]);
  expect(lot.status).toBe(201);
  return {
    ...(lot.body[0] as { id: string; code: string; quantityKg: number; provenanceUrl: string }),
    farm: f,
  };
}

describe('harvests', () => {
  it('stamps the plot’s organic status on the harvest date', async () => {
    const h = await harvest(farm, 0, 100);
    expect(h).toMatchObject({
      organicStatus: 'certified',
      organicStatusReason: 'CERTIFICATE_VALID',
      yieldCheck: 'ok',
    });
  });

  it('lists a household’s harvests from all its plots, and no one else’s', async () => {
    const own = await millable();
    const listed = await api.get(`/harvests?householdId=${own.farm.household.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((h: { quantityKg: number }) => h.quantityKg).sort()).toEqual([
      450, 480,
    ]);
    const other = await api.get(`/harvests?householdId=${farm.household.id}`);
    expect(other.body.items.every((h: { plotId: string }) => farm.plotIds.includes(h.plotId))).toBe(
      true,
    );
    // Another cooperative's manager asking for this household sees none of its harvests.
    const outsider = await own.farm.manager.get(`/harvests?householdId=${farm.household.id}`);
    expect(outsider.status).toBe(200);
    expect(outsider.body.items).toEqual([]);
  });

  it('asks for a reason above 6.5 t/ha for the season, and refuses above 10 t/ha', async () => {
    // 1,200 m² plot: 100 kg already recorded; 700 more make 6.7 t/ha.
    const base = {
      plotId: farm.plotIds[0],
      seasonId: farm.season.id,
      harvestedOn: farm.harvestDay,
      productId: farm.paddy,
    };
    const flagged = await farm.manager.post('/harvests', { ...base, quantityKg: 700 });
    expect(flagged.status).toBe(422);
    expect(flagged.body).toMatchObject({
      code: 'YIELD_NEEDS_OVERRIDE',
      errors: [{ path: 'overrideReason' }],
    });

    const overridden = await farm.manager.post('/harvests', {
      ...base,
      quantityKg: 700,
      overrideReason: 'Ruộng được cân lại tại HTX, có biên bản',
    });
    expect(overridden.status).toBe(201);
    expect(overridden.body).toMatchObject({
      yieldCheck: 'overridden',
      overrideReason: 'Ruộng được cân lại tại HTX, có biên bản',
    });

    const refused = await farm.manager.post('/harvests', {
      ...base,
      quantityKg: 500,
      overrideReason: 'Cân lại' + ' rồi',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('YIELD_IMPLAUSIBLE');
  });

  it('checks harvests sent at once each on its own, counting each other in the season’s yield', async () => {
    const own = await certifiedFarm(api, 2);
    const base = {
      plotId: own.plotIds[0]!,
      seasonId: own.season.id,
      harvestedOn: own.harvestDay,
      productId: own.paddy,
      overrideReason: 'Cân tại HTX, có biên bản',
    };
    // 1,200 m²: any field gives at most 10 t/ha, 1,200 kg; thirteen 90-kg harvests fit, not 14.
    const answers = await Promise.all([
      ...Array.from({ length: 16 }, () =>
        own.manager.post('/harvests', { ...base, quantityKg: 90 }),
      ),
      own.manager.post('/harvests', {
        ...base,
        quantityKg: 5,
        harvestedOn: `${own.season.year}-09-01`,
      }),
    ]);
    const codes = answers.map((a) => (a.status === 201 ? 'recorded' : a.body.code));
    expect(codes.filter((c) => c === 'recorded')).toHaveLength(13);
    expect(codes.filter((c) => c === 'YIELD_IMPLAUSIBLE')).toHaveLength(3);
    expect(codes.at(-1)).toBe('HARVEST_OUTSIDE_SEASON');
    const listed = await own.manager.get(`/harvests?plotId=${own.plotIds[0]}&pageSize=100`);
    expect(listed.body.items.map((h: { quantityKg: number }) => h.quantityKg)).toEqual(
      Array(13).fill(90),
    );
    // Each recorded harvest answered with itself, and has its own commissioning event.
    const ids = answers.filter((a) => a.status === 201).map((a) => a.body.id as string);
    expect(new Set(ids).size).toBe(13);
    const events = (await own.manager.get('/events?limit=5000')).body as {
      lotIds: string[];
      body: { bizStep: string };
    }[];
    for (const id of ids) {
      const mine = events.filter((e) => e.lotIds.includes(id));
      expect(mine.map((e) => e.body.bizStep)).toEqual(['commissioning']);
    }

    // Sent in the same instant they are written as one group: still thirteen, not sixteen.
    const harvests = api.app.get(HarvestService);
    const actor = new Actor(
      own.manager.id,
      own.manager.username,
      'coop_manager',
      own.cooperative.id,
      null,
      [],
    );
    const together = await Promise.allSettled(
      Array.from({ length: 16 }, () =>
        harvests.record(
          actor,
          { ...base, plotId: own.plotIds[1]!, quantityKg: 90, lunarDate: null },
          null,
        ),
      ),
    );
    expect(together.filter((t) => t.status === 'fulfilled')).toHaveLength(13);
    expect(
      together
        .map((t) => t.status === 'rejected' && (t.reason as DomainError).code)
        .filter(Boolean),
    ).toEqual(Array(3).fill('YIELD_IMPLAUSIBLE'));
  });

  it('refuses a date outside the season, in the future, or a product that is not harvested', async () => {
    const base = {
      plotId: farm.plotIds[1],
      seasonId: farm.season.id,
      harvestedOn: farm.harvestDay,
      productId: farm.paddy,
      quantityKg: 10,
    };
    expect(
      (await farm.manager.post('/harvests', { ...base, harvestedOn: `${farm.season.year}-09-01` }))
        .body.code,
    ).toBe('HARVEST_OUTSIDE_SEASON');
    const rice = await productId(api, 'WHITE-RICE');
    expect((await farm.manager.post('/harvests', { ...base, productId: rice })).body.code).toBe(
      'HARVEST_PRODUCT_INVALID',
    );
    const bad = await farm.manager.post('/harvests', { ...base, quantityKg: -3 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('quantityKg');
  });

  it('is not recorded by a buyer nor for another cooperative’s plot', async () => {
    const buyer = await api.newUser('district_staff');
    const body = {
      plotId: farm.plotIds[1],
      seasonId: farm.season.id,
      harvestedOn: farm.harvestDay,
      productId: farm.paddy,
      quantityKg: 10,
    };
    expect((await buyer.post('/harvests', body)).status).toBe(403);
    const other = await certifiedFarm(api, 1);
    const response = await other.manager.post('/harvests', body);
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('REFERENCE_NOT_FOUND');
  });
});

describe('lots', () => {
  it('aggregates harvests, then mills paddy into rice with its by-products, all organic', async () => {
    const paddyLot = await millable();
    expect(paddyLot).toMatchObject({
      quantityKg: 930,
      organic: true,
      status: 'open',
      process: 'aggregation',
    });

    const [rice, bran, husk] = await Promise.all(
      ['WHITE-RICE', 'BRAN', 'HUSK'].map((code) => productId(api, code)),
    );
    const milled = await paddyLot.farm.manager.post('/lots', {
      process: 'milling',
      occurredOn: paddyLot.farm.harvestDay,
      inputs: [{ lotId: paddyLot.id, quantityKg: 930 }],
      outputs: [
        { productId: rice, quantityKg: 604.5 },
        { productId: bran, quantityKg: 93 },
        { productId: husk, quantityKg: 186 },
      ],
    });
    expect(milled.status).toBe(201);
    expect(milled.body.map((l: { productCategory: string }) => l.productCategory)).toEqual([
      'white_rice',
      'bran',
      'husk',
    ]);
    expect(milled.body.every((l: { organic: boolean }) => l.organic)).toBe(true);
    expect((await api.get(`/lots/${paddyLot.id}`)).body.remainingKg).toBe(0);

    const trace = await api.get(`/lots/${milled.body[0].id}/trace`);
    expect(trace.body.upstream.inputs[0]).toMatchObject({
      kind: 'lot',
      code: paddyLot.code,
      usedKg: 930,
    });
    expect(trace.body.upstream.inputs[0].inputs.map((h: { kind: string }) => h.kind)).toEqual([
      'harvest',
      'harvest',
    ]);
    const down = await api.get(`/lots/${paddyLot.id}/trace`);
    expect(down.body.downstream).toHaveLength(3);
  });

  it('refuses a milling ratio outside 0.60–0.70 and outputs heavier than inputs', async () => {
    const paddyLot = await millable();
    const rice = await productId(api, 'WHITE-RICE');
    const tooMuch = await paddyLot.farm.manager.post('/lots', {
      process: 'milling',
      occurredOn: paddyLot.farm.harvestDay,
      inputs: [{ lotId: paddyLot.id, quantityKg: 100 }],
      outputs: [{ productId: rice, quantityKg: 75 }],
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({
      code: 'MILLING_RATIO_OUT_OF_RANGE',
      errors: [{ path: 'outputs', ratio: 0.75 }],
    });
    const heavier = await paddyLot.farm.manager.post('/lots', {
      process: 'aggregation',
      occurredOn: paddyLot.farm.harvestDay,
      inputs: [{ lotId: paddyLot.id, quantityKg: 100 }],
      outputs: [{ productId: paddyLot.farm.paddy, quantityKg: 120 }],
    });
    expect(heavier.body.code).toBe('TRANSFORMATION_INVALID');
    // Nothing was taken by the refused requests.
    expect((await api.get(`/lots/${paddyLot.id}`)).body.remainingKg).toBe(930);
  });

  it('never takes more than remains, even from parallel requests on the same harvest', async () => {
    const h = await harvest(farm, 2, 300);
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => aggregate(farm, [{ harvestId: h.id, quantityKg: 100 }])),
    );
    const made = attempts.filter((a) => a.status === 201);
    const refused = attempts.filter((a) => a.status !== 201);
    expect(made).toHaveLength(3);
    expect(refused.every((a) => a.status === 409 && a.body.code === 'INSUFFICIENT_QUANTITY')).toBe(
      true,
    );
    expect((await api.get(`/harvests/${h.id}`)).body.remainingKg).toBe(0);
  });

  it('makes lots from the same harvests listed in opposite orders, all at once, without a deadlock', async () => {
    const fresh = await certifiedFarm(api, 2);
    const first = await harvest(fresh, 0, 400);
    const second = await harvest(fresh, 1, 400);
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        aggregate(
          fresh,
          i % 2
            ? [
                { harvestId: first.id, quantityKg: 1 },
                { harvestId: second.id, quantityKg: 1 },
              ]
            : [
                { harvestId: second.id, quantityKg: 1 },
                { harvestId: first.id, quantityKg: 1 },
              ],
        ),
      ),
    );
    expect(attempts.map((a) => a.status)).toEqual(Array(30).fill(201));
    expect((await api.get(`/harvests/${first.id}`)).body.remainingKg).toBe(370);
  });

  it('is organic only if every input is', async () => {
    const other = await certifiedFarm(api, 1);
    const conventional = await other.manager.post('/plots', {
      code: `CONV-${Date.now().toString(36).toUpperCase()}`,
      householdId: other.household.id,
      geometry: (await api.get(`/plots/${other.plotIds[0]}`)).body.geometry.coordinates
        ? shifted((await api.get(`/plots/${other.plotIds[0]}`)).body.geometry, 0.001)
        : null,
      farmingSystem: 'organic_rice',
    });
    expect(conventional.status).toBe(201);
    const organic = await harvest(other, 0, 400);
    const plain = await other.manager.post('/harvests', {
      plotId: conventional.body.id,
      seasonId: other.season.id,
      harvestedOn: other.harvestDay,
      productId: other.paddy,
      quantityKg: 400,
    });
    expect(plain.body.organicStatus).toBe('not_organic');
    const mixed = await aggregate(other, [
      { harvestId: organic.id, quantityKg: 400 },
      { harvestId: plain.body.id, quantityKg: 400 },
    ]);
    expect(mixed.body[0].organic).toBe(false);
  });

  it('recalls every lot made from a recalled one, and their pages say so', async () => {
    const paddyLot = await millable();
    const rice = await productId(api, 'WHITE-RICE');
    const milled = await paddyLot.farm.manager.post('/lots', {
      process: 'milling',
      occurredOn: paddyLot.farm.harvestDay,
      inputs: [{ lotId: paddyLot.id, quantityKg: 500 }],
      outputs: [{ productId: rice, quantityKg: 325 }],
    });
    const recall = await paddyLot.farm.manager.post(`/lots/${paddyLot.id}/recall`, {
      reason: 'Phát hiện dư lượng thuốc BVTV',
    });
    expect(recall.status).toBe(201);
    expect(recall.body.recalled.map((l: { code: string }) => l.code).sort()).toEqual(
      [paddyLot.code, milled.body[0].code].sort(),
    );
    const page = await scan(milled.body[0].provenanceUrl);
    expect(page.text).toContain('LÔ HÀNG ĐÃ BỊ THU HỒI');
    expect(page.text).toContain(paddyLot.code);
    const reuse = await paddyLot.farm.manager.post('/lots', {
      process: 'milling',
      occurredOn: paddyLot.farm.harvestDay,
      inputs: [{ lotId: paddyLot.id, quantityKg: 100 }],
      outputs: [{ productId: rice, quantityKg: 65 }],
    });
    expect(reuse.body.code).toBe('LOT_NOT_USABLE');
  });
});

describe('labels and the provenance page', () => {
  it('renders the QR as SVG and PNG and a label sheet as PDF', async () => {
    const lot = await millable();
    const svg = await lot.farm.manager.get(`/lots/${lot.id}/qr.svg`);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(String(svg.body)).toContain('<svg');
    const png = await lot.farm.manager.raw(`/lots/${lot.id}/qr.png`, { method: 'GET' });
    expect(png.headers.get('content-type')).toBe('image/png');
    const pdf = await lot.farm.manager.raw(`/lots/labels.pdf?ids=${lot.id}&copies=30`, {
      method: 'GET',
    });
    expect(pdf.status).toBe(200);
    expect(String(pdf.body).startsWith('%PDF')).toBe(true);
    expect(String(pdf.body).match(/\/Type \/Page\b/g)).toHaveLength(2);
  });

  it('tells the lot’s story at the signed address, in Vietnamese and English, and as JSON', async () => {
    const lot = await millable();
    const page = await scan(lot.provenanceUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mã chính hãng');
    expect(page.text).toContain(lot.code);
    expect(page.text).toContain('HTX Thử nghiệm');
    expect(page.text).toContain('còn hiệu lực vào ngày thu hoạch');
    expect(page.text).toContain('<svg');
    expect(Buffer.byteLength(page.text)).toBeLessThan(30_000);
    // Personal data never: no ID number, no phone, no name without consent.
    expect(page.text).not.toMatch(/0912345678|Nguyễn Văn Thử|030\d{9}/);

    const english = await scan(`${lot.provenanceUrl}&lang=en`);
    expect(english.text).toContain('Genuine code');
    const json = await scan(lot.provenanceUrl, 'application/json');
    expect(JSON.parse(json.text)).toMatchObject({
      genuine: true,
      document: { lot: { code: lot.code, organic: true } },
    });
  });

  it('sends a page scanned again gzipped to a phone that takes gzip, the same page unpacked', async () => {
    const lot = await millable();
    const path = lot.provenanceUrl.replace(/^https?:\/\/[^/]+/, '');
    const get = (accept: string, encoding: string) =>
      new Promise<{ encoding?: string; vary?: string; body: Buffer }>((done, fail) => {
        const request = http.get(
          `${api.url}${path}`,
          { headers: { accept, 'accept-encoding': encoding } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              done({
                encoding: response.headers['content-encoding'],
                vary: response.headers.vary,
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        request.on('error', fail);
      });
    for (const accept of ['text/html', 'application/json']) {
      const plain = await get(accept, 'identity');
      expect(plain.encoding).toBeUndefined();
      const packed = await get(accept, 'gzip, deflate, br');
      expect(packed.encoding).toBe('gzip');
      expect(packed.vary).toContain('accept-encoding');
      expect(packed.body.length).toBeLessThan(plain.body.length * 0.7);
      expect(gunzipSync(packed.body).toString()).toBe(plain.body.toString());
    }
  });

  it('carries the digital product passport’s fields (Decree 37/2026), each filled in', async () => {
    const lot = await millable();
    const { passport } = JSON.parse(
      (await scan(lot.provenanceUrl, 'application/json')).text,
    ).document;
    expect(passport).toEqual({
      identifier: expect.stringMatching(
        /^(https:\/\/id\.gs1\.org\/01\/\d{14}\/10\/|urn:huuco:lot:)/,
      ),
      name: { vi: expect.any(String), en: expect.any(String) },
      gtin: expect.toBeOneOf([null, expect.stringMatching(/^\d{14}$/)]),
      maker: {
        name: 'HTX Thử nghiệm',
        registrationNumber: expect.any(String),
        commune: 'Xã Thử',
        province: expect.any(String),
      },
      origin: {
        country: 'VN',
        province: expect.any(String),
        commune: 'Xã Thử',
        zones: [expect.any(String)],
      },
      certificates: [
        expect.objectContaining({
          number: expect.stringMatching(/^HC-/),
          body: 'Tổ chức chứng nhận thử',
        }),
      ],
      dates: {
        harvestedFrom: lot.farm.harvestDay,
        harvestedTo: lot.farm.harvestDay,
        producedOn: expect.any(String),
      },
      trace: {
        steps: expect.any(Number),
        eventIds: expect.arrayContaining([expect.stringMatching(/^ni:\/\/\/sha-256;/)]),
      },
    });
    expect(passport.trace.steps).toBeGreaterThan(0);
  });

  it('names the household head only while consent to public display stands', async () => {
    const lot = await millable();
    const consent = await lot.farm.manager.post(`/households/${lot.farm.household.id}/consents`, {
      scope: 'name_on_provenance_page',
      evidence: 'Phiếu đồng ý ký ngày 12/3',
    });
    expect(consent.status).toBe(201);
    expect((await scan(lot.provenanceUrl)).text).toContain('Nguyễn Văn Thử');
    const revoked = await lot.farm.manager.post(
      `/households/${lot.farm.household.id}/consents/${consent.body.id}/revoke`,
      {},
    );
    expect(revoked.status).toBe(200);
    expect((await scan(lot.provenanceUrl)).text).not.toContain('Nguyễn Văn Thử');
  });

  it('warns on the page and to staff when a label is scanned from many places at once', async () => {
    const lot = await millable();
    const path = lot.provenanceUrl.replace(/^https?:\/\/[^/]+/, '');
    for (let n = 1; n <= 20; n++) {
      await fetch(`${api.url}${path}`, {
        headers: {
          'x-forwarded-for': `203.0.${n}.7`,
          'user-agent': 'Mozilla/5.0 (Linux; Android 14)',
        },
      });
    }
    await new Promise((done) => setTimeout(done, 1_500));
    const json = JSON.parse((await scan(lot.provenanceUrl, 'application/json')).text);
    expect(json.scanWarning).toBe(true);
    expect((await scan(lot.provenanceUrl)).text).toContain('quét bất thường');
    const staff = await lot.farm.manager.get(`/lots/${lot.id}`);
    expect(staff.body).toMatchObject({ scanWarning: true });
    expect(staff.body.scanCount).toBeGreaterThanOrEqual(20);
    const stored = await api.db.query('SELECT * FROM scans WHERE lot_id = $1 LIMIT 1', [lot.id]);
    expect(JSON.stringify(stored)).not.toContain('203.0.');
  });

  it('counts the networks of the hour a label was scanned from before it was scanned often', async () => {
    const lot = await millable();
    const path = lot.provenanceUrl.replace(/^https?:\/\/[^/]+/, '');
    const scanFrom = (n: number) =>
      fetch(`${api.url}${path}`, { headers: { 'x-forwarded-for': `192.0.${n}.5` } });
    // Nineteen networks, logged while the lot had too few scans to look copied…
    for (let n = 1; n <= 19; n++) await scanFrom(n);
    await api.app.get(ScanLog).flush();
    expect((await lot.farm.manager.get(`/lots/${lot.id}`)).body.scanWarning).toBe(false);
    // …then a twentieth: the nineteen count with it.
    await scanFrom(20);
    await api.app.get(ScanLog).flush();
    expect((await lot.farm.manager.get(`/lots/${lot.id}`)).body.scanWarning).toBe(true);
  });

  it('does not let scans with a made-up signature switch the warning on', async () => {
    const lot = await millable();
    const url = new URL(lot.provenanceUrl);
    const forged = `${url.pathname}?k=${url.searchParams.get('k')}&s=${'A'.repeat(url.searchParams.get('s')!.length)}`;
    for (let n = 1; n <= 25; n++) {
      const response = await fetch(`${api.url}${forged}`, {
        headers: { 'x-forwarded-for': `198.51.${n}.9`, accept: 'application/json' },
      });
      expect(((await response.json()) as { genuine: boolean }).genuine).toBe(false);
    }
    await new Promise((done) => setTimeout(done, 1_500));
    const json = JSON.parse((await scan(lot.provenanceUrl, 'application/json')).text);
    expect(json.genuine).toBe(true);
    expect(json.scanWarning).toBe(false);
  });

  it('answers an address that is not in the printed form with a clear 400', async () => {
    const response = await scan('/t/%3Cscript%3E?k=q1&s=x', 'application/json');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'code' }],
    });
  });

  it('answers an altered, truncated or invented code "not genuine"', async () => {
    const lot = await millable();
    const url = new URL(lot.provenanceUrl);
    const altered = url.searchParams.get('s')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const cases = [
      `${url.pathname}?k=${url.searchParams.get('k')}&s=${altered}`,
      `${url.pathname}?k=${url.searchParams.get('k')}&s=${url.searchParams.get('s')!.slice(0, 10)}`,
      url.pathname,
      // Another lot's code: the last character changed, never to itself.
      `/t/${lot.code.slice(0, -1)}${lot.code.endsWith('Z') ? 'Y' : 'Z'}?k=q1&s=${url.searchParams.get('s')}`,
    ];
    for (const path of cases) {
      const json = JSON.parse((await scan(path, 'application/json')).text);
      expect(json.genuine, path).toBe(false);
      const html = await scan(path);
      expect(html.text).toContain('Mã không xác thực');
      expect(html.text).not.toContain('HTX Thử nghiệm');
    }
  });
});

describe('events', () => {
  it('exports an EPCIS 2.0 document that validates against the official schema', async () => {
    const lot = await millable();
    const response = await lot.farm.manager.get(`/epcis/events?lotId=${lot.id}`);
    expect(response.status).toBe(200);
    const schema = JSON.parse(
      readFileSync(resolve(import.meta.dirname, 'standards/epcis-2.0-json-schema.json'), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS: its default export arrives wrapped.
    (formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
    const valid = ajv.validate(schema, response.body);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // Any EPCIS system hashing the exported events (CBV 2.0) finds the IDs they carry.
    const namespaces = Object.assign(
      {},
      ...response.body['@context'].filter((c: unknown) => typeof c === 'object'),
    );
    for (const event of response.body.epcisBody.eventList)
      expect(cbvEventId(event, namespaces), event.bizStep).toBe(event.eventID);
    const types = response.body.epcisBody.eventList.map(
      (e: { type: string; bizStep: string }) => `${e.type}:${e.bizStep}`,
    );
    expect(types).toEqual([
      'ObjectEvent:commissioning',
      'ObjectEvent:commissioning',
      'TransformationEvent:commissioning',
    ]);
    const harvestEvent = response.body.epcisBody.eventList[0];
    expect(harvestEvent.readPoint.id).toMatch(/^urn:huuco:plot:/);
    expect(harvestEvent.eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });

  it('keeps a correction beside the event it corrects', async () => {
    const h = await harvest(farm, 1, 200);
    const corrected = await farm.manager.post(`/harvests/${h.id}/corrections`, {
      quantityKg: 180,
      reason: 'Cân nhầm bao',
    });
    expect(corrected.status).toBe(201);
    expect(corrected.body.quantityKg).toBe(180);
    const events = (await farm.manager.get('/events?limit=5000')).body as {
      seq: number;
      correctsSeq: number | null;
      subjectIds?: string[];
      lotIds: string[];
    }[];
    const mine = events.filter((e) => e.lotIds.includes(h.id));
    expect(mine).toHaveLength(2);
    expect(mine[1]!.correctsSeq).toBe(mine[0]!.seq);
  });

  it('verifies every event recorded, against the chain or the log', async () => {
    await api.app.get(LogAppender).appendPending();
    const verdict = await api.get('/events/verify');
    expect(verdict.body).toMatchObject({ valid: true, firstBroken: null });
    expect(verdict.body.events).toBeGreaterThan(5);
  });
});

function shifted(geometry: { type: string; coordinates: number[][][] }, dLat: number) {
  return {
    ...geometry,
    coordinates: geometry.coordinates.map((ring) => ring.map(([x, y]) => [x!, y! + dLat])),
  };
}

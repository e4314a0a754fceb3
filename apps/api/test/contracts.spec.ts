import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, certifiedFarm, harvest, type CertifiedFarm } from './support/trace-fixtures.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';

let api: TestApp;
let farm: CertifiedFarm;
let buyers: { id: string; name: string; taxCode: string; user: Client }[];

const taxCode = () => String(randomInt(1_000_000_000, 9_999_999_999));

beforeAll(async () => {
  api = await startTestApp();
  farm = await certifiedFarm(api, 3);
  buyers = [];
  for (const name of ['Công ty Gạo Sạch Thử', 'Công ty Nông sản Khác']) {
    const buyer = await api.post('/buyers', {
      name,
      taxCode: taxCode(),
      province: 'Hà Nội',
      contacts: [
        { name: 'Chị Lan', role: 'Thu mua', phone: '0912000111', email: 'lan@example.vn' },
      ],
    });
    expect(buyer.status).toBe(201);
    buyers.push({ ...buyer.body, user: await api.newUser('buyer', { buyerId: buyer.body.id }) });
  }
});
afterAll(() => api.close());

/** A paddy lot of `kg` from a plot of the farm. */
async function paddyLot(kg = 500, plot = 0) {
  const h = await harvest(farm, plot, kg);
  const lot = await aggregate(farm, [{ harvestId: h.id, quantityKg: kg }]);
  return lot.body[0] as { id: string; code: string; provenanceUrl: string };
}

async function activeContract(extra: object = {}) {
  const created = await farm.manager.post('/contracts', {
    number: `HĐ-${randomInt(1e6)}/BT`,
    buyerId: buyers[0]!.id,
    cooperativeId: farm.cooperative.id,
    seasonId: farm.season.id,
    productCategory: 'paddy',
    basis: 'whole_area',
    zoneId: farm.zone.id,
    priceVndPerKg: 9_500,
    qualityTerms: 'Độ ẩm ≤ 14 %',
    ...extra,
  });
  expect(created.status).toBe(201);
  await farm.manager.post(`/contracts/${created.body.id}/status`, {
    status: 'signed',
    signedOn: farm.harvestDay,
  });
  const active = await farm.manager.post(`/contracts/${created.body.id}/status`, {
    status: 'active',
  });
  expect(active.body.status).toBe('active');
  return active.body as { id: string; number: string };
}

describe('buyers', () => {
  it('checks the tax code and shows a buyer only its own organisation', async () => {
    const bad = await api.post('/buyers', {
      name: 'Sai MST',
      taxCode: '01234',
      province: 'Hà Nội',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('taxCode');
    const seen = await buyers[0]!.user.get('/buyers');
    expect(seen.body.items.map((b: { id: string }) => b.id)).toEqual([buyers[0]!.id]);
    // Found by part of its name or tax code; another's never, even by its exact tax code.
    const byName = await api.get(`/buyers?q=${buyers[1]!.taxCode}`);
    expect(byName.body.items.map((b: { id: string }) => b.id)).toContain(buyers[1]!.id);
    const theirs = await buyers[0]!.user.get(`/buyers?q=${buyers[1]!.taxCode}`);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    expect((await api.get('/buyers?sort=taxCode')).status).toBe(400);
  });

  it('keeps a timeline of who registered and changed a buyer, for those who may read it', async () => {
    const id = buyers[0]!.id;
    expect((await api.patch(`/buyers/${id}`, { province: 'Hải Phòng' })).status).toBe(200);
    const changes = await buyers[0]!.user.get(`/buyers/${id}/changes`);
    expect(changes.status).toBe(200);
    expect(changes.body.map((c: { action: string }) => c.action)).toEqual([
      'buyer.create',
      'buyer.update',
    ]);
    expect((await buyers[0]!.user.get(`/buyers/${buyers[1]!.id}/changes`)).status).toBe(404);
    expect((await buyers[0]!.user.get(`/buyers/${buyers[1]!.id}`)).status).toBe(404);
  });
});

describe('contracts', () => {
  it('moves draft → signed → active → fulfilled, and refuses any other step', async () => {
    const created = await farm.manager.post('/contracts', {
      number: `HĐ-${randomInt(1e6)}`,
      buyerId: buyers[0]!.id,
      cooperativeId: farm.cooperative.id,
      seasonId: farm.season.id,
      productCategory: 'paddy',
      basis: 'quantity',
      contractedKg: 1_000,
      priceVndPerKg: 9_000,
    });
    expect(created.body.status).toBe('draft');
    const id = created.body.id;
    const skip = await farm.manager.post(`/contracts/${id}/status`, { status: 'active' });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({
      code: 'CONTRACT_STATUS_TRANSITION_INVALID',
      errors: [{ from: 'draft', to: 'active' }],
    });
    const unsigned = await farm.manager.post(`/contracts/${id}/status`, { status: 'signed' });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.errors[0].path).toBe('signedOn');
    for (const status of ['signed', 'active', 'fulfilled']) {
      const step = await farm.manager.post(`/contracts/${id}/status`, {
        status,
        signedOn: farm.harvestDay,
      });
      expect(step.body.status).toBe(status);
    }
    expect(
      (await farm.manager.post(`/contracts/${id}/status`, { status: 'cancelled' })).status,
    ).toBe(409);
  });

  it('says what a quantity or whole-area contract is missing', async () => {
    const response = await farm.manager.post('/contracts', {
      number: 'HĐ-THIẾU',
      buyerId: buyers[0]!.id,
      cooperativeId: farm.cooperative.id,
      seasonId: farm.season.id,
      productCategory: 'paddy',
      basis: 'whole_area',
      priceVndPerKg: 9_000,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('zoneId');
  });

  it('keeps each buyer and cooperative to its own contracts', async () => {
    const contract = await activeContract();
    expect((await buyers[0]!.user.get(`/contracts/${contract.id}`)).status).toBe(200);
    expect((await buyers[1]!.user.get(`/contracts/${contract.id}`)).status).toBe(404);
    const list = await buyers[1]!.user.get('/contracts');
    expect(list.body.items.some((c: { id: string }) => c.id === contract.id)).toBe(false);
    const other = await certifiedFarm(api, 1);
    expect((await other.manager.get(`/contracts/${contract.id}`)).status).toBe(404);
    const lot = await paddyLot(100);
    const foreign = await other.manager.post('/deliveries', {
      contractId: contract.id,
      deliveredOn: farm.harvestDay,
      destination: 'Kho Hà Nội',
      lots: [{ lotId: lot.id, quantityKg: 10 }],
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0].path).toBe('contractId');
  });

  it('finds a contract by part of its number or its buyer’s name, within the viewer’s scope', async () => {
    const contract = await activeContract();
    const digits = contract.number.match(/\d+/)![0];
    const byNumber = await farm.manager.get(`/contracts?q=${digits}`);
    expect(byNumber.body.items.map((c: { id: string }) => c.id)).toContain(contract.id);
    const byBuyer = await farm.manager.get(
      `/contracts?q=${encodeURIComponent(buyers[0]!.name.slice(0, 8))}&pageSize=500`,
    );
    expect(byBuyer.body.items.map((c: { id: string }) => c.id)).toContain(contract.id);
    expect((await farm.manager.get('/contracts?q=không-có-hợp-đồng-nào')).body.total).toBe(0);
    // Another cooperative searching the same number finds nothing of this one.
    const other = await certifiedFarm(api, 1);
    expect((await other.manager.get(`/contracts?q=${digits}`)).body.items).toEqual([]);
  });

  it('takes the signed document as PDF, JPEG or PNG checked by content, and serves it back', async () => {
    const contract = await activeContract();
    const pdf = Buffer.from('%PDF-1.4\n% hợp đồng\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const put = (body: Buffer, type: string) =>
      farm.manager.raw(`/contracts/${contract.id}/document`, {
        method: 'PUT',
        headers: { 'content-type': type, 'x-filename': encodeURIComponent('hợp đồng.pdf') },
        body,
      });
    const saved = await put(pdf, 'application/pdf');
    expect(saved.status).toBe(200);
    expect(saved.body.document).toMatchObject({
      filename: 'hợp đồng.pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
    });
    const disguised = await put(Buffer.from('MZ not a pdf at all'), 'application/pdf');
    expect(disguised.status).toBe(415);
    expect(disguised.body.code).toBe('DOCUMENT_TYPE_INVALID');
    expect((await put(Buffer.from('plain'), 'text/plain')).status).toBe(415);
    const back = await buyers[0]!.user.raw(`/contracts/${contract.id}/document`, { method: 'GET' });
    expect(back.headers.get('content-type')).toBe('application/pdf');
    expect(String(back.body)).toContain('%PDF-1.4');
  });
});

describe('deliveries', () => {
  it('ships lots against a whole-area contract; the buyer confirms and the page names the buyer', async () => {
    const contract = await activeContract();
    const lot = await paddyLot(400, 1);
    const delivery = await farm.manager.post('/deliveries', {
      contractId: contract.id,
      deliveredOn: farm.harvestDay,
      destination: 'Kho Công ty, Long Biên, Hà Nội',
      lots: [{ lotId: lot.id, quantityKg: 400 }],
    });
    expect(delivery.status).toBe(201);
    expect(delivery.body).toMatchObject({
      status: 'shipped',
      quantityKg: 400,
      overContract: false,
    });
    expect((await api.get(`/lots/${lot.id}`)).body).toMatchObject({
      remainingKg: 0,
      status: 'shipped',
    });

    const page = async () =>
      JSON.parse(
        await (
          await fetch(
            `${api.url}${new URL(lot.provenanceUrl).pathname}${new URL(lot.provenanceUrl).search}`,
            { headers: { accept: 'application/json' } },
          )
        ).text(),
      );
    expect((await page()).document.delivery).toBeNull();

    expect(
      (
        await buyers[1]!.user.post(`/deliveries/${delivery.body.id}/receive`, {
          receivedOn: farm.harvestDay,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await farm.manager.post(`/deliveries/${delivery.body.id}/receive`, {
          receivedOn: farm.harvestDay,
        })
      ).status,
    ).toBe(403);
    const received = await buyers[0]!.user.post(`/deliveries/${delivery.body.id}/receive`, {
      receivedOn: farm.harvestDay,
    });
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({ status: 'received', receivedOn: farm.harvestDay });
    expect(
      (
        await buyers[0]!.user.post(`/deliveries/${delivery.body.id}/receive`, {
          receivedOn: farm.harvestDay,
        })
      ).body.code,
    ).toBe('DELIVERY_ALREADY_RECEIVED');
    expect((await page()).document.delivery).toMatchObject({
      buyer: 'Công ty Gạo Sạch Thử',
      contract: contract.number,
    });

    const epcis = await buyers[0]!.user.get(`/epcis/events?lotId=${lot.id}`);
    const steps = epcis.body.epcisBody.eventList.map((e: { bizStep: string }) => e.bizStep);
    expect(steps).toEqual(['commissioning', 'commissioning', 'shipping', 'receiving']);
    const shipping = epcis.body.epcisBody.eventList[2];
    expect(shipping.bizTransactionList[0].bizTransaction).toContain(
      encodeURIComponent(contract.number),
    );
    const schema = JSON.parse(
      readFileSync(resolve(import.meta.dirname, 'standards/epcis-2.0-json-schema.json'), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true, strict: false });
    (formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
    ajv.validate(schema, epcis.body);
    expect(ajv.errors ?? []).toEqual([]);

    const fulfilment = await api.get(`/contracts/${contract.id}`);
    expect(fulfilment.body.fulfilment).toMatchObject({
      deliveredKg: 400,
      receivedKg: 400,
      deliveredValueVnd: 3_800_000,
    });
    expect(fulfilment.body.fulfilment.expectedKg).toBeGreaterThan(0);
  });

  it('refuses more than the contract quantity', async () => {
    const contract = await activeContract({ basis: 'quantity', contractedKg: 400, zoneId: null });
    const lot = await paddyLot(450, 2);
    const first = await farm.manager.post('/deliveries', {
      contractId: contract.id,
      deliveredOn: farm.harvestDay,
      destination: 'Kho',
      lots: [{ lotId: lot.id, quantityKg: 300 }],
    });
    expect(first.status).toBe(201);
    const over = await farm.manager.post('/deliveries', {
      contractId: contract.id,
      deliveredOn: farm.harvestDay,
      destination: 'Kho',
      lots: [{ lotId: lot.id, quantityKg: 150 }],
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({
      code: 'DELIVERY_EXCEEDS_CONTRACT',
      errors: [{ remainingKg: 100 }],
    });
    expect((await api.get(`/lots/${lot.id}`)).body.remainingKg).toBe(150);
  });

  it('never ships more than remains of a lot, even from parallel requests', async () => {
    const contract = await activeContract({
      basis: 'quantity',
      contractedKg: 100_000,
      zoneId: null,
    });
    const lot = await paddyLot(500, 0);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () =>
        farm.manager.post('/deliveries', {
          contractId: contract.id,
          deliveredOn: farm.harvestDay,
          destination: 'Kho',
          lots: [{ lotId: lot.id, quantityKg: 150 }],
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === 201)).toHaveLength(3);
    expect(
      attempts
        .filter((a) => a.status === 409)
        .every((a) => a.body.code === 'INSUFFICIENT_QUANTITY'),
    ).toBe(true);
    expect((await api.get(`/lots/${lot.id}`)).body.remainingKg).toBe(50);
  });

  it('sums fulfilment per cooperative and season, and the share of organic area under contract', async () => {
    const rows = await api.get(`/contracts/fulfilment?seasonId=${farm.season.id}`);
    const mine = rows.body.find(
      (r: { cooperativeId: string }) => r.cooperativeId === farm.cooperative.id,
    );
    expect(mine.contracts).toBeGreaterThan(2);
    expect(mine.deliveredKg).toBeGreaterThanOrEqual(400 + 300 + 450);
    expect(Number.isInteger(mine.deliveredValueVnd)).toBe(true);
    // Coverage counts the area certified today.
    await api.post('/certifications', {
      zoneId: farm.zone.id,
      guaranteeType: 'PGS',
      standard: 'TCVN 11041-5:2018',
      body: 'Nhóm PGS thử',
      certificateNumber: `PGS-${randomInt(1e9)}`,
      validFrom: '2025-01-01',
      validTo: '2030-12-31',
      scope: 'zone',
    });
    const coverage = await farm.manager.get('/contracts/coverage');
    expect(coverage.body.organicAreaM2).toBeGreaterThan(3_000);
    expect(coverage.body.contractedAreaM2).toBe(coverage.body.organicAreaM2);
    expect(coverage.body.share).toBe(1);
  });
});

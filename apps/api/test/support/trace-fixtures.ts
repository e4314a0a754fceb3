import { randomInt } from 'node:crypto';
import { newFarm, offset, plotBody, rectangle } from './factories.js';
import type { Client, TestApp } from './test-app.js';

const SEASON_NAMES = ['spring', 'summer_autumn', 'main', 'winter'] as const;

/**
 * A season of its own: tests share the server database, and (year, name) is unique. Years
 * 2000–2019, before the records tests compare against (OCOP certificates of 2025, households
 * joining in 2020), under every name: 80 to draw from. Each spans 15 January – 15 July, so a
 * farm's harvest day (20 May) falls inside whichever is drawn.
 */
export async function newSeason(api: TestApp) {
  for (let attempt = 0; attempt < 500; attempt++) {
    const year = randomInt(2000, 2020);
    const name = SEASON_NAMES[randomInt(0, SEASON_NAMES.length)]!;
    const response = await api.post('/seasons', {
      year,
      name,
      startsOn: `${year}-01-15`,
      endsOn: `${year}-07-15`,
    });
    if (response.status === 201) return response.body as { id: string; year: number };
    if (response.body.code !== 'SEASON_TAKEN')
      throw new Error(`season: ${JSON.stringify(response.body)}`);
  }
  throw new Error('season: every past season is taken in this database');
}

export async function productId(api: Client, code: string): Promise<string> {
  const products = (await api.get('/products')).body as { id: string; code: string }[];
  return products.find((p) => p.code === code)!.id;
}

/**
 * A farm whose zone is certified for the season, with `plots` plots of 40 × 30 m (1,200 m²)
 * converted long before it, and a cooperative manager to record and build lots.
 */
export async function certifiedFarm(api: TestApp, plots = 3) {
  const farm = await newFarm(api);
  const season = await newSeason(api);
  const certificate = await api.post('/certifications', {
    zoneId: farm.zone.id,
    guaranteeType: 'TCVN_THIRD_PARTY',
    standard: 'TCVN 11041-5:2018',
    body: 'Tổ chức chứng nhận thử',
    certificateNumber: `HC-${randomInt(0, 2 ** 40).toString(36)}`,
    validFrom: `${season.year - 1}-06-01`,
    validTo: `${season.year + 1}-05-31`,
    scope: 'zone',
  });
  if (certificate.status !== 201)
    throw new Error(`certificate: ${JSON.stringify(certificate.body)}`);
  const manager = await api.newUser('coop_manager', { cooperativeId: farm.cooperative.id });
  const plotIds: string[] = [];
  for (let n = 0; n < plots; n++) {
    const plot = await manager.post(
      '/plots',
      plotBody(farm.household.id, rectangle(offset(farm.origin, 20 + n * 45, 20), 40, 30), {
        zoneId: farm.zone.id,
        conversionStartedOn: `${season.year - 3}-01-01`,
      }),
    );
    if (plot.status !== 201) throw new Error(`plot: ${JSON.stringify(plot.body)}`);
    plotIds.push(plot.body.id);
  }
  const paddy = await productId(api, 'PADDY');
  return { ...farm, season, manager, plotIds, paddy, harvestDay: `${season.year}-05-20` };
}

export type CertifiedFarm = Awaited<ReturnType<typeof certifiedFarm>>;

/** 1,200 m² at 4.3 t/ha: about 516 kg, what organic rice on rươi fields gives. */
export async function harvest(
  farm: CertifiedFarm,
  plotIndex = 0,
  quantityKg = 500,
  extra: object = {},
) {
  const response = await farm.manager.post('/harvests', {
    plotId: farm.plotIds[plotIndex],
    seasonId: farm.season.id,
    harvestedOn: farm.harvestDay,
    productId: farm.paddy,
    quantityKg,
    ...extra,
  });
  if (response.status !== 201) throw new Error(`harvest: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; quantityKg: number; organicStatus: string };
}

export async function aggregate(
  farm: CertifiedFarm,
  inputs: { harvestId: string; quantityKg: number }[],
) {
  const total = inputs.reduce((sum, i) => sum + i.quantityKg, 0);
  return farm.manager.post('/lots', {
    process: 'aggregation',
    occurredOn: farm.harvestDay,
    inputs,
    outputs: [{ productId: farm.paddy, quantityKg: total }],
  });
}

/** A buyer, with an account of its own, under an active quantity contract with the farm's cooperative. */
export async function contractedBuyer(api: TestApp, farm: CertifiedFarm, name = 'Công ty Thử') {
  const buyer = await api.post('/buyers', {
    name,
    taxCode: String(randomInt(1_000_000_000, 9_999_999_999)),
    province: 'Hà Nội',
  });
  if (buyer.status !== 201) throw new Error(`buyer: ${JSON.stringify(buyer.body)}`);
  const user = await api.newUser('buyer', { buyerId: buyer.body.id });
  const contract = await farm.manager.post('/contracts', {
    number: `HĐ-${randomInt(1e9)}`,
    buyerId: buyer.body.id,
    cooperativeId: farm.cooperative.id,
    seasonId: farm.season.id,
    productCategory: 'paddy',
    basis: 'quantity',
    contractedKg: 1_000,
    priceVndPerKg: 9_000,
  });
  await farm.manager.post(`/contracts/${contract.body.id}/status`, {
    status: 'signed',
    signedOn: farm.harvestDay,
  });
  await farm.manager.post(`/contracts/${contract.body.id}/status`, { status: 'active' });
  return {
    buyer: buyer.body as { id: string; name: string },
    user,
    contractId: contract.body.id as string,
  };
}

/** Ships `quantityKg` of the lot against the contract, today. */
export async function deliver(
  farm: CertifiedFarm,
  contractId: string,
  lotId: string,
  quantityKg = 50,
) {
  const delivery = await farm.manager.post('/deliveries', {
    contractId,
    deliveredOn: new Date().toISOString().slice(0, 10),
    destination: 'Kho Hà Nội',
    lots: [{ lotId, quantityKg }],
  });
  if (delivery.status !== 201) throw new Error(`delivery: ${JSON.stringify(delivery.body)}`);
  return delivery.body as { id: string };
}

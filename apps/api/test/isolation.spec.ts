import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newCommune,
  newCooperative,
  newHousehold,
  newZone,
  plotBody,
  randomSpot,
  rectangle,
  uniqueDate,
} from './support/factories.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';
import { newSeason, productId } from './support/trace-fixtures.js';

/**
 * Two districts, each with a cooperative and a buyer of its own, and a third buyer competing
 * for the first cooperative's rice. Each actor is asked for everything that belongs to the
 * others: every answer is 404, or the record is absent from the list.
 */
let api: TestApp;
type User = Client & { id: string; username: string };
const w = {} as {
  seasonId: string;
  seasonDay: string;
  paddy: string;
  districts: Record<'A' | 'B', string>;
  coops: Record<'A' | 'B', string>;
  households: Record<'A' | 'B', string>;
  zones: Record<'A' | 'B', string>;
  certifications: Record<'A' | 'B', string>;
  plots: Record<'A' | 'B', string>;
  harvests: Record<'A' | 'B' | 'shared' | 'never', string>;
  lots: Record<'A' | 'B' | 'shared' | 'never', { id: string; code: string }>;
  buyers: Record<'A' | 'B' | 'C', string>;
  contracts: Record<'A' | 'B' | 'C', { id: string; number: string }>;
  deliveries: Record<'A' | 'B' | 'C', string>;
  admins: Record<'A' | 'B', User>;
  staff: Record<'A' | 'B', User>;
  managers: Record<'A' | 'B', User>;
  buyerUsers: Record<'A' | 'B' | 'C', User>;
};

const taxCode = () => String(randomInt(1_000_000_000, 9_999_999_999));
const ids = (items: { id: string }[]) => items.map((item) => item.id);

beforeAll(async () => {
  api = await startTestApp();
  const season = await newSeason(api);
  w.seasonId = season.id;
  w.seasonDay = (await api.get('/seasons')).body.find(
    (s: { id: string }) => s.id === season.id,
  ).startsOn;
  w.paddy = await productId(api, 'PADDY');

  const district = async (name: string) =>
    (
      await api.post('/admin-units', {
        code: String(randomInt(100, 900)),
        name,
        level: 'district',
        parentId: api.rootUnitId,
        validFrom: uniqueDate(),
      })
    ).body.id as string;
  w.districts = { A: await district('Huyện Một'), B: await district('Huyện Hai') };
  w.coops = {} as typeof w.coops;
  w.households = {} as typeof w.households;
  w.zones = {} as typeof w.zones;
  w.certifications = {} as typeof w.certifications;
  w.plots = {} as typeof w.plots;
  w.admins = {} as typeof w.admins;
  w.staff = {} as typeof w.staff;
  w.managers = {} as typeof w.managers;
  for (const side of ['A', 'B'] as const) {
    const commune = (await newCommune(api, `Xã ${side}`, w.districts[side])).id;
    w.coops[side] = (await newCooperative(api, commune)).id;
    const household = (await newHousehold(api, commune, w.coops[side])).id;
    w.households[side] = household;
    w.zones[side] = (await newZone(api, commune, rectangle(randomSpot(), 300, 300))).id;
    w.certifications[side] = (
      await api.post('/certifications', {
        zoneId: w.zones[side],
        guaranteeType: 'PGS',
        standard: 'PGS',
        body: 'PGS Thử',
        certificateNumber: `PGS-${randomInt(1e9)}`,
        validFrom: '2024-01-01',
        validTo: '2026-12-31',
        scope: 'zone',
      })
    ).body.id;
    w.plots[side] = (
      await api.post('/plots', plotBody(household, rectangle(randomSpot(), 60, 50)))
    ).body.id;
    w.admins[side] = await api.newUser('district_admin', { adminUnitIds: [w.districts[side]] });
    w.staff[side] = await api.newUser('district_staff', { adminUnitIds: [w.districts[side]] });
    w.managers[side] = await api.newUser('coop_manager', { cooperativeId: w.coops[side] });
  }

  // Each district registers its own buyers; C competes with A for cooperative A's rice.
  const buyer = async (admin: User, name: string) => {
    const created = await admin.post('/buyers', { name, taxCode: taxCode(), province: 'Hà Nội' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  w.buyers = {
    A: await buyer(w.admins.A, 'Công ty Một'),
    B: await buyer(w.admins.B, 'Công ty Hai'),
    C: await buyer(w.admins.A, 'Công ty Ba'),
  };
  w.buyerUsers = {
    A: await api.newUser('buyer', { buyerId: w.buyers.A }),
    B: await api.newUser('buyer', { buyerId: w.buyers.B }),
    C: await api.newUser('buyer', { buyerId: w.buyers.C }),
  };

  const harvest = async (side: 'A' | 'B') => {
    const made = await w.managers[side].post('/harvests', {
      plotId: w.plots[side],
      seasonId: w.seasonId,
      harvestedOn: w.seasonDay,
      productId: w.paddy,
      quantityKg: 200,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id as string;
  };
  const lot = async (side: 'A' | 'B', harvestId: string, kg: number) => {
    const made = await w.managers[side].post('/lots', {
      process: 'aggregation',
      occurredOn: new Date().toISOString().slice(0, 10),
      inputs: [{ harvestId, quantityKg: kg }],
      outputs: [{ productId: w.paddy, quantityKg: kg }],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return { id: made.body[0].id as string, code: made.body[0].code as string };
  };
  w.harvests = {
    A: await harvest('A'),
    B: await harvest('B'),
    shared: await harvest('A'),
    never: await harvest('A'),
  };
  w.lots = {
    A: await lot('A', w.harvests.A, 50),
    B: await lot('B', w.harvests.B, 50),
    shared: await lot('A', w.harvests.shared, 50),
    never: await lot('A', w.harvests.never, 50),
  };

  const contract = async (side: 'A' | 'B', buyerId: string) => {
    const manager = w.managers[side];
    const created = await manager.post('/contracts', {
      number: `HĐ-${randomInt(1e6)}`,
      buyerId,
      cooperativeId: w.coops[side],
      seasonId: w.seasonId,
      productCategory: 'paddy',
      basis: 'quantity',
      contractedKg: 1_000,
      priceVndPerKg: 9_000,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await manager.post(`/contracts/${created.body.id}/status`, {
      status: 'signed',
      signedOn: w.seasonDay,
    });
    await manager.post(`/contracts/${created.body.id}/status`, { status: 'active' });
    return { id: created.body.id as string, number: created.body.number as string };
  };
  w.contracts = {
    A: await contract('A', w.buyers.A),
    B: await contract('B', w.buyers.B),
    C: await contract('A', w.buyers.C),
  };
  const deliver = async (side: 'A' | 'B', contractId: string, lotId: string, kg: number) => {
    const made = await w.managers[side].post('/deliveries', {
      contractId,
      deliveredOn: new Date().toISOString().slice(0, 10),
      destination: 'Kho Hà Nội',
      lots: [{ lotId, quantityKg: kg }],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id as string;
  };
  w.deliveries = {
    A: await deliver('A', w.contracts.A.id, w.lots.A.id, 20),
    B: await deliver('B', w.contracts.B.id, w.lots.B.id, 20),
    C: await deliver('A', w.contracts.C.id, w.lots.shared.id, 20),
  };
  // The shared lot also goes to A: A sees the lot, but never C's shipment of it.
  await deliver('A', w.contracts.A.id, w.lots.shared.id, 10);
});
afterAll(() => api.close());

describe('a buyer sees its own business only', () => {
  it('lists and opens only the lots delivered to it', async () => {
    const buyer = w.buyerUsers.A;
    const listed = ids((await buyer.get('/lots?pageSize=500')).body.items);
    expect(listed.sort()).toEqual([w.lots.A.id, w.lots.shared.id].sort());
    expect((await buyer.get(`/lots/${w.lots.A.id}`)).status).toBe(200);
    expect((await buyer.get(`/lots/${w.lots.A.id}/trace`)).status).toBe(200);
    for (const other of [w.lots.B, w.lots.never]) {
      expect((await buyer.get(`/lots/${other.id}`)).status).toBe(404);
      expect((await buyer.get(`/lots/${other.id}/trace`)).status).toBe(404);
      expect((await buyer.get(`/lots/${other.id}/qr.svg`)).status).toBe(404);
      expect((await buyer.get(`/lots/labels.pdf?ids=${other.id}`)).status).toBe(404);
      expect((await buyer.get(`/epcis/events?lotId=${other.id}`)).status).toBe(404);
    }
    const b = ids((await w.buyerUsers.B.get('/lots?pageSize=500')).body.items);
    expect(b).toEqual([w.lots.B.id]);
  });

  it('reads the events of its lots’ trace, never another buyer’s shipment or another lot', async () => {
    const events = (await w.buyerUsers.A.get('/events?limit=5000')).body as {
      lotIds: string[];
      body: { bizTransactionList?: { bizTransaction: string }[] };
    }[];
    const reach = new Set([w.lots.A.id, w.lots.shared.id, w.harvests.A, w.harvests.shared]);
    expect(events.length).toBeGreaterThanOrEqual(4);
    for (const event of events) {
      expect(
        event.lotIds.every((id) => reach.has(id)),
        JSON.stringify(event.lotIds),
      ).toBe(true);
      for (const t of event.body.bizTransactionList ?? []) {
        expect(t.bizTransaction).not.toContain(encodeURIComponent(w.contracts.C.number));
      }
    }
    const epcis = await w.buyerUsers.A.get(`/epcis/events?lotId=${w.lots.shared.id}`);
    expect(epcis.status).toBe(200);
    const text = JSON.stringify(epcis.body);
    expect(text).not.toContain(encodeURIComponent(w.contracts.C.number));
    // C, for its part, sees its own shipment of the shared lot.
    const c = await w.buyerUsers.C.get(`/epcis/events?lotId=${w.lots.shared.id}`);
    expect(JSON.stringify(c.body)).toContain(encodeURIComponent(w.contracts.C.number));
  });

  it('sees only the plots its lots came from, and none of the registry’s people', async () => {
    const buyer = w.buyerUsers.A;
    const plots = ids((await buyer.get('/plots?pageSize=500')).body.items);
    expect(plots).toEqual([w.plots.A]);
    expect((await buyer.get(`/plots/${w.plots.B}`)).status).toBe(404);
    expect((await w.buyerUsers.B.get(`/plots/${w.plots.A}`)).status).toBe(404);
    expect((await buyer.get('/households')).status).toBe(403);
    expect((await buyer.get('/harvests')).status).toBe(403);
  });

  it('exports only its own rows', async () => {
    const lots = (await w.buyerUsers.A.get('/exports/lots.csv')).body as string;
    expect(lots).toContain(w.lots.A.code);
    expect(lots).not.toContain(w.lots.B.code);
    expect(lots).not.toContain(w.lots.never.code);
    const contracts = (await w.buyerUsers.A.get('/exports/contracts.csv')).body as string;
    expect(contracts).toContain(w.contracts.A.number);
    expect(contracts).not.toContain(w.contracts.B.number);
    expect(contracts).not.toContain(w.contracts.C.number);
  });

  it('reads its own contracts, deliveries and organisation, and 404 for any other', async () => {
    const buyer = w.buyerUsers.A;
    expect(ids((await buyer.get('/contracts?pageSize=100')).body.items)).toEqual([
      w.contracts.A.id,
    ]);
    expect((await buyer.get(`/contracts/${w.contracts.C.id}`)).status).toBe(404);
    expect((await buyer.get(`/contracts/${w.contracts.B.id}`)).status).toBe(404);
    const deliveries = ids((await buyer.get('/deliveries?pageSize=100')).body.items);
    expect(deliveries).toContain(w.deliveries.A);
    expect(deliveries).not.toContain(w.deliveries.C);
    expect((await buyer.get(`/deliveries/${w.deliveries.C}`)).status).toBe(404);
    expect(ids((await buyer.get('/buyers')).body.items)).toEqual([w.buyers.A]);
    expect((await buyer.get(`/buyers/${w.buyers.C}`)).status).toBe(404);
  });
});

describe('each district keeps to its own', () => {
  it('answers 404 for the other district’s lots, contracts, deliveries and buyers', async () => {
    for (const [mine, theirs] of [
      ['A', 'B'],
      ['B', 'A'],
    ] as const) {
      for (const user of [w.admins[mine], w.staff[mine]]) {
        expect((await user.get(`/lots/${w.lots[theirs].id}`)).status).toBe(404);
        expect((await user.get(`/contracts/${w.contracts[theirs].id}`)).status).toBe(404);
        expect((await user.get(`/deliveries/${w.deliveries[theirs]}`)).status).toBe(404);
        expect((await user.get(`/buyers/${w.buyers[theirs]}`)).status).toBe(404);
        expect(ids((await user.get('/buyers?pageSize=500')).body.items)).not.toContain(
          w.buyers[theirs],
        );
        expect(ids((await user.get('/lots?pageSize=500')).body.items)).not.toContain(
          w.lots[theirs].id,
        );
      }
    }
  });

  it('answers 404 to the other district and cooperative on the dated-history and household writes', async () => {
    const change = { effectiveOn: '2025-01-01', reason: 'Thử ngoài phạm vi' };
    for (const [mine, theirs] of [
      ['A', 'B'],
      ['B', 'A'],
    ] as const) {
      const admin = w.admins[mine];
      const staff = w.staff[mine];
      expect(
        (
          await staff.post(`/zones/${w.zones[theirs]}/status-changes`, {
            status: 'in_conversion',
            ...change,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await staff.post(`/certifications/${w.certifications[theirs]}/status-changes`, {
            status: 'suspended',
            documentRef: 'QĐ 1',
            ...change,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await admin.post(`/cooperatives/${w.coops[theirs]}/status-changes`, {
            status: 'inactive',
            ...change,
          })
        ).status,
      ).toBe(404);
      for (const user of [admin, w.managers[mine]]) {
        expect(
          (await user.patch(`/households/${w.households[theirs]}`, { village: 'Thôn X' })).status,
        ).toBe(404);
        expect(
          (
            await user.post(`/households/${w.households[theirs]}/leave`, {
              leftOn: '2024-01-01',
              reason: 'Thử',
            })
          ).status,
        ).toBe(404);
      }
    }
    // Nothing was written: the histories are empty and the households as they were.
    for (const side of ['A', 'B'] as const) {
      expect((await api.get(`/zones/${w.zones[side]}/status-changes`)).body).toEqual([]);
      expect(
        (await api.get(`/certifications/${w.certifications[side]}/status-changes`)).body,
      ).toEqual([]);
      expect((await api.get(`/cooperatives/${w.coops[side]}/status-changes`)).body).toEqual([]);
      expect((await api.get(`/households/${w.households[side]}`)).body).toMatchObject({
        leftOn: null,
      });
    }
  });

  it('lets only the districts that own a buyer manage its accounts', async () => {
    const foreign = w.buyerUsers.B;
    expect((await w.admins.A.get(`/users/${foreign.id}`)).status).toBe(404);
    const reset = await w.admins.A.patch(`/users/${foreign.id}`, {
      password: 'a quite different passphrase',
    });
    expect(reset.status).toBe(404);
    const created = await w.admins.A.post('/users', {
      username: `buyer.${randomInt(1e6)}`,
      displayName: 'Người mua lạ',
      password: 'a quite different passphrase',
      role: 'buyer',
      buyerId: w.buyers.B,
    });
    expect(created.status).toBe(422);
    expect(created.body.errors[0].path).toBe('buyerId');
    const listed = ids((await w.admins.A.get('/users?pageSize=200')).body.items);
    expect(listed).toContain(w.buyerUsers.A.id);
    expect(listed).toContain(w.buyerUsers.C.id);
    expect(listed).not.toContain(foreign.id);
    // B's administrator manages B's buyer, and neither of A's.
    expect((await w.admins.B.get(`/users/${foreign.id}`)).status).toBe(200);
    expect((await w.admins.B.get(`/users/${w.buyerUsers.C.id}`)).status).toBe(404);
  });

  it('scopes the audit trail to the reader’s units', async () => {
    const trail = async (admin: User) =>
      (await admin.get('/audit?pageSize=200')).body.items as {
        entityId: string | null;
        actorId: string | null;
      }[];
    const a = await trail(w.admins.A);
    const aEntities = new Set(a.map((e) => e.entityId));
    expect(aEntities.has(w.lots.A.id)).toBe(true);
    expect(aEntities.has(w.lots.B.id)).toBe(false);
    expect(aEntities.has(w.contracts.B.id)).toBe(false);
    expect(aEntities.has(w.buyers.B)).toBe(false);
    expect(a.some((e) => e.actorId === w.managers.B.id)).toBe(false);
    const b = await trail(w.admins.B);
    expect(b.some((e) => e.entityId === w.lots.B.id)).toBe(true);
    expect(b.some((e) => e.entityId === w.lots.A.id || e.actorId === w.managers.A.id)).toBe(false);
  });
});

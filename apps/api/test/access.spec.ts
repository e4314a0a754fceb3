import { Writable } from 'node:stream';
import type { Role } from '@huuco/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newCommune,
  newCooperative,
  newHousehold,
  newZone,
  plotBody,
  randomSpot,
  rectangle,
  uniqueCode,
  uniqueDate,
} from './support/factories.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';
import { newSeason, productId } from './support/trace-fixtures.js';

const logLines: string[] = [];
let api: TestApp;

/** Two districts of one province; each role is given the first (or its cooperative). */
const world = {} as {
  districtA: string;
  communeA: string;
  communeB: string;
  coopA: string;
  coopB: string;
  householdA: string;
  householdB: string;
  plotA: string;
  plotB: string;
  zoneA: string;
  buyerId: string;
  seasonId: string;
  paddy: string;
  harvestA: string;
  harvestB: string;
  lotA: string;
  lotB: string;
  managerB: Client;
  users: Record<Role | 'anonymous', Client>;
};

const ID_A = '030987654321';
const PHONE_A = '0987000111';

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  api = await startTestApp({ env: { LOG_LEVEL: 'trace' }, logStream });
  const district = (name: string) =>
    api.post('/admin-units', {
      code: String(100 + Math.floor(Math.random() * 800)),
      name,
      level: 'district',
      parentId: api.rootUnitId,
      validFrom: uniqueDate(),
    });
  world.districtA = (await district('Huyện A')).body.id;
  const districtB = (await district('Huyện B')).body.id;
  world.communeA = (await newCommune(api, 'Xã A', world.districtA)).id;
  world.communeB = (await newCommune(api, 'Xã B', districtB)).id;
  world.coopA = (await newCooperative(api, world.communeA)).id;
  world.coopB = (await newCooperative(api, world.communeB)).id;
  const householdA = await api.post('/households', {
    headName: 'Nguyễn Văn A',
    idNumber: ID_A,
    phone: PHONE_A,
    communeId: world.communeA,
    cooperativeId: world.coopA,
    joinedOn: '2020-01-01',
  });
  world.householdA = householdA.body.id;
  world.householdB = (await newHousehold(api, world.communeB, world.coopB)).id;
  const origin = randomSpot();
  world.zoneA = (await newZone(api, world.communeA, rectangle(origin, 400, 400))).id;
  world.plotA = (
    await api.post('/plots', plotBody(world.householdA, rectangle(origin, 40, 30)))
  ).body.id;
  world.plotB = (
    await api.post('/plots', plotBody(world.householdB, rectangle(randomSpot(), 40, 30)))
  ).body.id;
  const buyer = await api.post('/buyers', {
    name: 'Công ty Thử',
    taxCode: String(Math.floor(1e9 + Math.random() * 8e9)),
    province: 'Hà Nội',
  });
  world.buyerId = buyer.body.id;
  const districtUnits = { adminUnitIds: [world.districtA] };
  world.users = {
    district_admin: await api.newUser('district_admin', districtUnits),
    district_staff: await api.newUser('district_staff', districtUnits),
    inspector: await api.newUser('inspector', districtUnits),
    coop_manager: await api.newUser('coop_manager', { cooperativeId: world.coopA }),
    coop_member: await api.newUser('coop_member', { cooperativeId: world.coopA }),
    buyer: await api.newUser('buyer', { buyerId: world.buyerId }),
    anonymous: api.as(null),
  };

  world.seasonId = (await newSeason(api)).id;
  const season = (await api.get('/seasons')).body.find(
    (x: { id: string }) => x.id === world.seasonId,
  );
  world.paddy = await productId(api, 'PADDY');
  world.managerB = await api.newUser('coop_manager', { cooperativeId: world.coopB });
  const harvestOf = async (manager: Client, plotId: string) => {
    const response = await manager.post('/harvests', {
      plotId,
      seasonId: world.seasonId,
      harvestedOn: season.startsOn,
      productId: world.paddy,
      quantityKg: 300,
    });
    if (response.status !== 201) throw new Error(`harvest: ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  };
  world.harvestA = await harvestOf(world.users.coop_manager, world.plotA);
  world.harvestB = await harvestOf(world.managerB, world.plotB);
  world.lotA = await lotFrom(world.users.coop_manager, world.harvestA);
  world.lotB = await lotFrom(world.managerB, world.harvestB);
});

/** A 1-kg lot from a harvest, made by its cooperative's manager. */
async function lotFrom(manager: Client, harvestId: string): Promise<string> {
  const response = await manager.post('/lots', {
    process: 'aggregation',
    occurredOn: new Date().toISOString().slice(0, 10),
    inputs: [{ harvestId, quantityKg: 1 }],
    outputs: [{ productId: world.paddy, quantityKg: 1 }],
  });
  if (response.status !== 201) throw new Error(`lot: ${JSON.stringify(response.body)}`);
  return response.body[0].id as string;
}
afterAll(() => api.close());

type Expectation = Record<Role | 'anonymous', number>;
const roles: (Role | 'anonymous')[] = [
  'district_admin',
  'district_staff',
  'inspector',
  'coop_manager',
  'coop_member',
  'buyer',
  'anonymous',
];

/** [what, request, expected status per role] — allowed, 403, or 404 out of scope. */
const matrix: [string, (c: Client) => Promise<{ status: number }>, Expectation][] = [
  [
    'list zones',
    (c) => c.get('/zones'),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 200,
      buyer: 200,
      anonymous: 401,
    },
  ],
  [
    'create a zone in scope',
    (c) =>
      c.post('/zones', {
        code: uniqueCode('Z'),
        name: 'Vùng',
        kind: 'organic',
        geometry: rectangle(randomSpot(), 200, 200),
        communeIds: [world.communeA],
      }),
    {
      district_admin: 201,
      district_staff: 201,
      inspector: 403,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'create a zone out of scope',
    (c) =>
      c.post('/zones', {
        code: uniqueCode('Z'),
        name: 'Vùng',
        kind: 'organic',
        geometry: rectangle(randomSpot(), 200, 200),
        communeIds: [world.communeB],
      }),
    {
      district_admin: 422,
      district_staff: 422,
      inspector: 403,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'update a zone',
    (c) => c.patch(`/zones/${world.zoneA}`, { name: 'Vùng A' }),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 403,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'list cooperatives',
    (c) => c.get('/cooperatives'),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 200,
      buyer: 200,
      anonymous: 401,
    },
  ],
  [
    'create a cooperative',
    (c) =>
      c.post('/cooperatives', {
        name: 'HTX Mới',
        registrationNumber: uniqueCode('R'),
        communeId: world.communeA,
      }),
    {
      district_admin: 201,
      district_staff: 403,
      inspector: 403,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'certify a zone',
    (c) =>
      c.post('/certifications', {
        zoneId: world.zoneA,
        guaranteeType: 'PGS',
        standard: 'PGS',
        body: 'PGS Thử',
        certificateNumber: uniqueCode('C'),
        validFrom: '2024-01-01',
        validTo: '2026-12-31',
        scope: 'zone',
      }),
    {
      district_admin: 201,
      district_staff: 201,
      inspector: 403,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'read a household in scope',
    (c) => c.get(`/households/${world.householdA}`),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'read a household out of scope',
    (c) => c.get(`/households/${world.householdB}`),
    {
      district_admin: 404,
      district_staff: 404,
      inspector: 404,
      coop_manager: 404,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'register a household',
    (c) =>
      c.post('/households', {
        headName: 'Hộ Mới',
        idNumber: `0301${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
        communeId: world.communeA,
        cooperativeId: world.coopA,
        joinedOn: '2021-01-01',
      }),
    {
      district_admin: 201,
      district_staff: 403,
      inspector: 403,
      coop_manager: 201,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'register a household in another cooperative',
    (c) =>
      c.post('/households', {
        headName: 'Hộ Khác',
        idNumber: `0302${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
        communeId: world.communeB,
        cooperativeId: world.coopB,
        joinedOn: '2021-01-01',
      }),
    {
      district_admin: 422,
      district_staff: 403,
      inspector: 403,
      coop_manager: 422,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'reveal an ID number in scope',
    (c) =>
      c.post(`/households/${world.householdA}/reveal-id`, {
        reason: 'Đối chiếu hồ sơ cấp chứng nhận',
      }),
    {
      district_admin: 200,
      district_staff: 403,
      inspector: 403,
      coop_manager: 200,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'reveal an ID number out of scope',
    (c) =>
      c.post(`/households/${world.householdB}/reveal-id`, {
        reason: 'Đối chiếu hồ sơ cấp chứng nhận',
      }),
    {
      district_admin: 404,
      district_staff: 403,
      inspector: 403,
      coop_manager: 404,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'read a plot in scope',
    (c) => c.get(`/plots/${world.plotA}`),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 200,
      buyer: 404,
      anonymous: 401,
    },
  ],
  [
    'read a plot out of scope',
    (c) => c.get(`/plots/${world.plotB}`),
    {
      district_admin: 404,
      district_staff: 404,
      inspector: 404,
      coop_manager: 404,
      coop_member: 404,
      buyer: 404,
      anonymous: 401,
    },
  ],
  [
    'edit a plot in scope',
    (c) => c.patch(`/plots/${world.plotA}`, { farmingSystem: 'rice_ruoi_cay' }),
    {
      district_admin: 200,
      district_staff: 403,
      inspector: 403,
      coop_manager: 200,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'edit a plot out of scope',
    (c) => c.patch(`/plots/${world.plotB}`, { farmingSystem: 'rice_ruoi_cay' }),
    {
      district_admin: 404,
      district_staff: 403,
      inspector: 403,
      coop_manager: 404,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'read the audit trail',
    (c) => c.get('/audit'),
    {
      district_admin: 200,
      district_staff: 403,
      inspector: 403,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'manage users',
    (c) => c.get('/users'),
    {
      district_admin: 200,
      district_staff: 403,
      inspector: 403,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'health',
    (c) => c.get('/health'),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 200,
      buyer: 200,
      anonymous: 200,
    },
  ],
  [
    'read a harvest in scope',
    (c) => c.get(`/harvests/${world.harvestA}`),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 200,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'read a harvest out of scope',
    (c) => c.get(`/harvests/${world.harvestB}`),
    {
      district_admin: 404,
      district_staff: 404,
      inspector: 404,
      coop_manager: 404,
      coop_member: 404,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'correct another cooperative’s harvest',
    (c) =>
      c.post(`/harvests/${world.harvestB}/corrections`, { quantityKg: 290, reason: 'Cân lại bao' }),
    {
      district_admin: 403,
      district_staff: 403,
      inspector: 403,
      coop_manager: 404,
      coop_member: 404,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'make a lot from a harvest in scope',
    (c) =>
      c.post('/lots', {
        process: 'aggregation',
        occurredOn: new Date().toISOString().slice(0, 10),
        inputs: [{ harvestId: world.harvestA, quantityKg: 1 }],
        outputs: [{ productId: world.paddy, quantityKg: 1 }],
      }),
    {
      district_admin: 403,
      district_staff: 403,
      inspector: 403,
      coop_manager: 201,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'make a lot from another cooperative’s harvest',
    (c) =>
      c.post('/lots', {
        process: 'aggregation',
        occurredOn: new Date().toISOString().slice(0, 10),
        inputs: [{ harvestId: world.harvestB, quantityKg: 1 }],
        outputs: [{ productId: world.paddy, quantityKg: 1 }],
      }),
    {
      district_admin: 403,
      district_staff: 403,
      inspector: 403,
      coop_manager: 422,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'read a lot in scope',
    (c) => c.get(`/lots/${world.lotA}/trace`),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 200,
      buyer: 404,
      anonymous: 401,
    },
  ],
  [
    'read a lot out of scope',
    (c) => c.get(`/lots/${world.lotB}`),
    {
      district_admin: 404,
      district_staff: 404,
      inspector: 404,
      coop_manager: 404,
      coop_member: 404,
      buyer: 404,
      anonymous: 401,
    },
  ],
  [
    'print labels of a lot out of scope',
    (c) => c.get(`/lots/labels.pdf?ids=${world.lotB}`),
    {
      district_admin: 404,
      district_staff: 404,
      inspector: 404,
      coop_manager: 404,
      coop_member: 404,
      buyer: 404,
      anonymous: 401,
    },
  ],
  [
    'recall a lot in scope',
    async (c) =>
      c.post(`/lots/${await lotFrom(world.users.coop_manager, world.harvestA)}/recall`, {
        reason: 'Kiểm tra dư lượng',
      }),
    {
      district_admin: 201,
      district_staff: 201,
      inspector: 403,
      coop_manager: 201,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'seal another cooperative’s lot',
    (c) => c.post(`/lots/${world.lotB}/seal`, {}),
    {
      district_admin: 403,
      district_staff: 403,
      inspector: 403,
      coop_manager: 404,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'export a lot’s EPCIS events',
    (c) => c.get(`/epcis/events?lotId=${world.lotA}`),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 403,
      buyer: 404,
      anonymous: 401,
    },
  ],
  [
    'verify the event chain',
    (c) => c.get('/events/verify'),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'create a season',
    (c) =>
      c.post('/seasons', {
        year: 1990,
        name: 'winter',
        startsOn: '1990-01-01',
        endsOn: '1989-01-01',
      }),
    {
      district_admin: 400,
      district_staff: 400,
      inspector: 403,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'list contracts',
    (c) => c.get('/contracts'),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 403,
      coop_manager: 200,
      coop_member: 403,
      buyer: 200,
      anonymous: 401,
    },
  ],
  [
    'read the dashboard',
    (c) => c.get('/dashboard?year=2026'),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'plan an inspection in scope',
    (c) =>
      c.post('/inspections', {
        kind: 'ICS',
        householdId: world.householdA,
        plannedOn: '2026-01-10',
      }),
    {
      district_admin: 201,
      district_staff: 201,
      inspector: 201,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'plan an inspection out of scope',
    (c) =>
      c.post('/inspections', {
        kind: 'ICS',
        householdId: world.householdB,
        plannedOn: '2026-01-10',
      }),
    {
      district_admin: 422,
      district_staff: 422,
      inspector: 422,
      coop_manager: 403,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
  [
    'export the households list',
    (c) => c.get('/exports/households.csv'),
    {
      district_admin: 200,
      district_staff: 200,
      inspector: 200,
      coop_manager: 200,
      coop_member: 403,
      buyer: 403,
      anonymous: 401,
    },
  ],
];

describe('the authorisation matrix', () => {
  for (const [what, request, expected] of matrix) {
    it(`${what}: ${roles.map((r) => `${r} ${expected[r]}`).join(', ')}`, async () => {
      const actual: Partial<Expectation> = {};
      for (const role of roles) actual[role] = (await request(world.users[role])).status;
      expect(actual).toEqual(expected);
    });
  }
});

describe('lists hold only what is in scope', () => {
  it('shows each cooperative role its own households and plots only', async () => {
    const households = await world.users.coop_manager.get<{ items: { id: string }[] }>(
      '/households?pageSize=500',
    );
    expect(households.body.items.map((h) => h.id)).toContain(world.householdA);
    expect(households.body.items.map((h) => h.id)).not.toContain(world.householdB);
    const plots = await world.users.coop_member.get<{ items: { id: string }[] }>(
      '/plots?pageSize=500',
    );
    expect(plots.body.items.map((p) => p.id)).toEqual([world.plotA]);
  });
});

describe('personal data', () => {
  it('shows the phone number only to the household’s cooperative and district staff', async () => {
    for (const role of ['district_admin', 'district_staff', 'coop_manager'] as const) {
      expect(
        (await world.users[role].get(`/households/${world.householdA}`)).body.phone,
        role,
      ).toBe(PHONE_A);
    }
    const inspector = await world.users.inspector.get(`/households/${world.householdA}`);
    expect(inspector.body.phone).toBeNull();
    expect(inspector.body.phoneMasked).toBe('098****111');
  });

  it('never shows the ID number unless revealed for a reason, which is audited', async () => {
    for (const role of roles) {
      const response = await world.users[role].get(`/households/${world.householdA}`);
      expect(JSON.stringify(response.body), role).not.toContain(ID_A);
    }
    const refused = await world.users.coop_manager.post(
      `/households/${world.householdA}/reveal-id`,
      { reason: 'vì' },
    );
    expect(refused.status).toBe(400);
    const revealed = await world.users.coop_manager.post(
      `/households/${world.householdA}/reveal-id`,
      {
        reason: 'Kiểm tra trùng hộ khi kết nạp',
      },
    );
    expect(revealed.body.idNumber).toBe(ID_A);
    const audit = await api.get(
      `/audit?entityId=${world.householdA}&action=household.reveal_id&order=desc`,
    );
    expect(audit.body.items[0]).toMatchObject({
      actorUsername: (world.users.coop_manager as { username?: string }).username,
      details: { reason: 'Kiểm tra trùng hộ khi kết nạp' },
    });
  });

  it('records consent to public display with who and when, and lets it be revoked', async () => {
    const given = await world.users.coop_manager.post(`/households/${world.householdA}/consents`, {
      scope: 'name_on_provenance_page',
      evidence: 'Phiếu đồng ý ký ngày 12/03/2026',
    });
    expect(given.status).toBe(201);
    expect((await api.get(`/households/${world.householdA}`)).body.consentPublicDisplay).toBe(true);
    const revoked = await world.users.coop_manager.post(
      `/households/${world.householdA}/consents/${given.body.id}/revoke`,
      {},
    );
    expect(revoked.body).toMatchObject({
      revokedBy: expect.any(String),
      revokedAt: expect.any(String),
    });
    expect((await api.get(`/households/${world.householdA}`)).body.consentPublicDisplay).toBe(
      false,
    );
    const history = await api.get(`/households/${world.householdA}/consents`);
    expect(history.body).toHaveLength(1);

    // Consent given at registration: the household is shown, and the consent is on record.
    const registered = await api.post('/households', {
      headName: 'Đồng Ý Ngay',
      idNumber: `036${String(Date.now()).slice(-9)}`,
      communeId: world.communeA,
      cooperativeId: world.coopA,
      joinedOn: '2020-01-01',
      consentPublicDisplay: true,
    });
    expect(registered.body.consentPublicDisplay).toBe(true);
    const recorded = await api.get(`/households/${registered.body.id}/consents`);
    expect(recorded.body).toEqual([
      expect.objectContaining({ evidence: 'recorded at registration', revokedAt: null }),
    ]);
  });

  it('keeps ID and phone numbers out of the logs, even for failed writes', async () => {
    await api.post('/households', {
      headName: 'Trùng',
      idNumber: ID_A,
      phone: PHONE_A,
      communeId: world.communeA,
      cooperativeId: world.coopA,
      joinedOn: '2020-01-01',
    });
    await api.post('/households', { headName: 'Sai', idNumber: `${ID_A}9`, phone: PHONE_A });
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(1_000);
    expect(logs).not.toContain(ID_A);
    expect(logs).not.toContain(PHONE_A);
  });
});

describe('every write is audited', () => {
  it('records actor, action, entity and digests of before and after', async () => {
    const before = await api.get(`/audit?entityId=${world.plotA}`);
    await world.users.coop_manager.patch(`/plots/${world.plotA}`, {
      farmingSystem: 'organic_rice',
    });
    const after = await api.get(`/audit?entityId=${world.plotA}&order=desc`);
    expect(after.body.total).toBe(before.body.total + 1);
    expect(after.body.items[0]).toMatchObject({
      action: 'plot.update',
      entity: 'plot',
      beforeDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      afterDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(after.body.items[0].beforeDigest).not.toBe(after.body.items[0].afterDigest);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCommune, newCooperative, newHousehold, uniqueCode } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

async function unit(body: object) {
  const response = await api.post('/admin-units', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string };
}

describe('administrative units through the 2025 reform', () => {
  it('merges three communes into a new one that reuses a code, and keeps old records valid at their date', async () => {
    const code = String(10_000 + Math.floor(Math.random() * 89_999));
    // The test administrator's province plays Hải Dương; the new Hải Phòng succeeds it.
    const newProvince = await unit({
      code: '31',
      name: 'Thành phố Hải Phòng',
      level: 'province',
      validFrom: '2025-07-01',
    });
    const district = await unit({
      code: '294',
      name: 'Huyện Tứ Kỳ',
      level: 'district',
      parentId: api.rootUnitId,
      validFrom: '1997-01-02',
    });
    const communes = [];
    for (const [name, c] of [
      ['Xã An Thanh', String(Number(code) + 1)],
      ['Xã Văn Tố', String(Number(code) + 2)],
      ['Xã Chí Minh', code],
    ]) {
      communes.push(
        await unit({
          code: c,
          name,
          level: 'commune',
          parentId: district.id,
          validFrom: '1997-01-03',
        }),
      );
    }
    const provinces = await api.post('/admin-units/successions', {
      kind: 'merge',
      effectiveOn: '2025-07-01',
      legalBasis: 'Nghị quyết 202/2025/QH15',
      predecessorIds: [api.rootUnitId],
      successorIds: [newProvince.id],
    });
    expect(provinces.status).toBe(201);
    // The successor province is now within the administrator's reach.
    const merged = await unit({
      code,
      name: 'Xã Chí Minh',
      level: 'commune',
      parentId: newProvince.id,
      validFrom: '2025-07-01',
      legalBasis: 'Nghị quyết 1669/NQ-UBTVQH15',
    });

    const succession = await api.post('/admin-units/successions', {
      kind: 'merge',
      effectiveOn: '2025-07-01',
      legalBasis: 'Nghị quyết 1669/NQ-UBTVQH15',
      predecessorIds: communes.map((c) => c.id),
      successorIds: [merged.id],
    });
    expect(succession.status).toBe(201);

    const mergedNow = await api.get(`/admin-units/${merged.id}`);
    expect(
      mergedNow.body.predecessors.map((p: { unit: { name: string } }) => p.unit.name).sort(),
    ).toEqual(['Xã An Thanh', 'Xã Chí Minh', 'Xã Văn Tố']);
    const anThanh = await api.get(`/admin-units/${communes[0]!.id}`);
    expect(anThanh.body).toMatchObject({
      validTo: '2025-07-01',
      successors: [{ kind: 'merge', unit: { id: merged.id } }],
    });

    const before = await api.get(`/admin-units?code=${code}&level=commune&validOn=2024-05-01`);
    expect(before.body.items.map((u: { id: string }) => u.id)).toEqual([communes[2]!.id]);
    const after = await api.get(`/admin-units?code=${code}&level=commune&validOn=2025-08-01`);
    expect(after.body.items.map((u: { id: string }) => u.id)).toEqual([merged.id]);
  });

  it('refuses a succession whose successor begins on another date', async () => {
    const a = await newCommune(api, 'Xã A');
    const b = await newCommune(api, 'Xã B');
    const response = await api.post('/admin-units/successions', {
      kind: 'rename',
      effectiveOn: '2025-07-01',
      legalBasis: 'thử',
      predecessorIds: [a.id],
      successorIds: [b.id],
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'ADMIN_UNIT_SUCCESSION_INVALID',
      errors: [{ path: 'successorIds.0' }],
    });
    expect((await api.get(`/admin-units/${a.id}`)).body.validTo).toBeNull();
  });

  it('refuses a commune under a commune', async () => {
    const commune = await newCommune(api);
    const response = await api.post('/admin-units', {
      code: '12345',
      name: 'Xã con',
      level: 'commune',
      parentId: commune.id,
      validFrom: '2000-01-01',
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('ADMIN_UNIT_PARENT_INVALID');
  });
});

describe('cooperatives and households', () => {
  it('lists, filters, sorts and pages', async () => {
    const commune = await newCommune(api);
    for (const name of ['HTX Chè', 'HTX Bưởi', 'HTX Ổi']) {
      await api.post('/cooperatives', {
        name,
        registrationNumber: uniqueCode('R'),
        communeId: commune.id,
      });
    }
    const first = await api.get(
      `/cooperatives?communeId=${commune.id}&sort=name&order=desc&pageSize=2`,
    );
    expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(['HTX Ổi', 'HTX Chè']);
    const second = await api.get(
      `/cooperatives?communeId=${commune.id}&sort=name&order=desc&pageSize=2&page=2`,
    );
    expect(second.body.items.map((c: { name: string }) => c.name)).toEqual(['HTX Bưởi']);
  });

  it('stores the ID number encrypted and only ever shows it masked', async () => {
    const commune = await newCommune(api);
    const cooperative = await newCooperative(api, commune.id);
    const idNumber = '030123456189';
    const household = await newHousehold(api, commune.id, cooperative.id, idNumber);
    expect(household.idNumberMasked).toBe('030******189');

    const responses = [
      await api.get(`/households/${household.id}`),
      await api.get(`/households?cooperativeId=${cooperative.id}`),
    ];
    for (const response of responses) {
      expect(JSON.stringify(response.body)).not.toContain(idNumber);
    }
    const [stored] = await api.db.query('SELECT * FROM households WHERE id = $1', [household.id]);
    expect(JSON.stringify(stored)).not.toContain(idNumber);
  });

  it('refuses the same ID number twice, and new members for an inactive cooperative', async () => {
    const commune = await newCommune(api);
    const cooperative = await newCooperative(api, commune.id);
    const household = await newHousehold(api, commune.id, cooperative.id);
    void household;
    const idNumber = '042987654321';
    await newHousehold(api, commune.id, cooperative.id, idNumber);
    const again = await api.post('/households', {
      headName: 'Trần Thị Thử',
      idNumber,
      communeId: commune.id,
      cooperativeId: cooperative.id,
      joinedOn: '2021-01-01',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'HOUSEHOLD_ID_NUMBER_TAKEN',
      errors: [{ path: 'idNumber' }],
    });
    expect(JSON.stringify(again.body)).not.toContain(idNumber);

    const inactive = await newCooperative(api, commune.id, 'inactive');
    const refused = await api.post('/households', {
      headName: 'Lê Văn Thử',
      idNumber: '042000000001',
      communeId: commune.id,
      cooperativeId: inactive.id,
      joinedOn: '2021-01-01',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('COOPERATIVE_INACTIVE');
  });
});

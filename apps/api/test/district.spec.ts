import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newCommune,
  newCooperative,
  newHousehold,
  plotBody,
  randomSpot,
  rectangle,
  uniqueDate,
} from './support/factories.js';
import {
  aggregate,
  certifiedFarm,
  harvest,
  newSeason,
  productId,
  type CertifiedFarm,
} from './support/trace-fixtures.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';

let api: TestApp;
let farm: CertifiedFarm;
let inspector: Client;
let year: number;

beforeAll(async () => {
  api = await startTestApp();
  farm = await certifiedFarm(api, 3);
  year = farm.season.year;
  inspector = await api.newUser('inspector');
});
afterAll(() => api.close());

const day = (md: string) => `${year}-${md}`;
const statusOn = async (plot: number, on: string) =>
  (await api.get(`/plots/${farm.plotIds[plot]}/status?on=${on}`)).body as {
    status: string;
    reason: string;
  };

describe('inspections', () => {
  it('suspends a plot while a major non-compliance is open, for harvests and lots too, and restores it when closed', async () => {
    const inspection = await inspector.post('/inspections', {
      kind: 'ICS',
      householdId: farm.household.id,
      plotId: farm.plotIds[0],
      plannedOn: day('05-10'),
      inspectedOn: day('05-10'),
      findings: 'Phát hiện bao phân bón hoá học trên bờ thửa',
      nonCompliances: [
        {
          plotId: farm.plotIds[0],
          severity: 'major',
          description: 'Sử dụng phân bón hoá học',
          sanction: 'Đình chỉ chứng nhận thửa',
          deadline: day('06-10'),
        },
      ],
    });
    expect(inspection.status).toBe(201);
    expect(await statusOn(0, day('05-09'))).toMatchObject({ status: 'certified' });
    expect(await statusOn(0, day('05-20'))).toMatchObject({
      status: 'suspended',
      reason: 'OPEN_MAJOR_NON_COMPLIANCE',
    });
    expect(await statusOn(1, day('05-20'))).toMatchObject({ status: 'certified' });

    const during = await harvest(farm, 0, 300);
    expect(during.organicStatus).toBe('suspended');
    const clean = await harvest(farm, 1, 300);
    const mixed = await aggregate(farm, [
      { harvestId: during.id, quantityKg: 300 },
      { harvestId: clean.id, quantityKg: 300 },
    ]);
    expect(mixed.body[0].organic).toBe(false);

    const nonCompliance = inspection.body.nonCompliances[0];
    const closed = await inspector.post(`/non-compliances/${nonCompliance.id}/close`, {
      closedOn: day('05-25'),
      reason: 'Đã kiểm tra lại, hộ cam kết không tái phạm',
    });
    expect(closed.status).toBe(201);
    expect(closed.body.nonCompliances[0].closedOn).toBe(day('05-25'));
    // The history stands: suspended on the 20th, certified from the 25th.
    expect(await statusOn(0, day('05-20'))).toMatchObject({ status: 'suspended' });
    expect(await statusOn(0, day('05-26'))).toMatchObject({ status: 'certified' });
    expect(
      (
        await inspector.post(`/non-compliances/${nonCompliance.id}/close`, {
          closedOn: day('05-26'),
          reason: 'Lần nữa',
        })
      ).status,
    ).toBe(409);
  });

  it('is not for cooperatives or buyers to record', async () => {
    const body = { kind: 'PGS', householdId: farm.household.id, plannedOn: day('06-01') };
    expect((await farm.manager.post('/inspections', body)).status).toBe(403);
    expect(
      (await inspector.post('/inspections', { ...body, findings: 'Có kết quả nhưng thiếu ngày' }))
        .status,
    ).toBe(400);
  });

  it('finds inspections by household, plot code or findings, sorted as asked, within the cooperative only', async () => {
    const found = await inspector.get(`/inspections?q=${encodeURIComponent('bao phân bón')}`);
    expect(found.status).toBe(200);
    expect(found.body.items.length).toBeGreaterThanOrEqual(1);
    expect(
      found.body.items.every((i: { findings: string }) => /bao phân bón/.test(i.findings)),
    ).toBe(true);
    const { code } = (await api.get(`/plots/${farm.plotIds[0]}`)).body as { code: string };
    const byPlot = await inspector.get(
      `/inspections?q=${encodeURIComponent(code)}&sort=household&order=asc`,
    );
    expect(byPlot.body.items.map((i: { plotCode: string }) => i.plotCode)).toContain(code);
    const mine = await farm.manager.get(`/inspections?q=${encodeURIComponent('bao phân bón')}`);
    expect(mine.body.total).toBeGreaterThanOrEqual(1);
    const other = await certifiedFarm(api, 1);
    const theirs = await other.manager.get(`/inspections?q=${encodeURIComponent('bao phân bón')}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body.total).toBe(0);
    expect((await inspector.get('/inspections?sort=nothing')).status).toBe(400);
  });

  it('reports the share of households inspected in the year', async () => {
    const coverage = await api.get(`/inspections/coverage?year=${year}`);
    expect(coverage.status).toBe(200);
    expect(coverage.body.notInspected.some((h: { id: string }) => h.id === farm.household.id)).toBe(
      false,
    );
    expect(coverage.body.inspected).toBeGreaterThanOrEqual(1);
  });
});

describe('OCOP products', () => {
  it('takes the stars from the score and shows them on lots only while the certificate is valid', async () => {
    const expired = await api.post('/ocop-products', {
      name: 'Gạo hữu cơ thử',
      cooperativeId: farm.cooperative.id,
      productId: farm.paddy,
      score: 72,
      level: 'province',
      certificateNumber: `OCOP-${randomInt(1e9)}`,
      certifiedOn: '2020-01-15',
    });
    expect(expired.body).toMatchObject({ stars: 4, validTo: '2023-01-15', valid: false });
    const lot = (
      await aggregate(farm, [{ harvestId: (await harvest(farm, 2, 200)).id, quantityKg: 200 }])
    ).body[0];
    const page = async () => {
      const url = new URL(lot.provenanceUrl);
      return (await fetch(`${api.url}${url.pathname}${url.search}`)).text();
    };
    expect(await page()).not.toContain('★');
    const valid = await api.post('/ocop-products', {
      name: 'Gạo hữu cơ thử',
      cooperativeId: farm.cooperative.id,
      productId: farm.paddy,
      score: 55,
      level: 'district',
      certificateNumber: `OCOP-${randomInt(1e9)}`,
      certifiedOn: '2025-06-01',
    });
    expect(valid.body).toMatchObject({ stars: 3, validTo: '2028-06-01', valid: true });
    expect(await page()).toContain('★★★');

    // The list: a page, searched by certificate number, the cooperative's own only.
    const number = valid.body.certificateNumber as string;
    const found = await farm.manager.get(`/ocop-products?q=${number}`);
    expect(found.body).toMatchObject({ total: 1, items: [{ id: valid.body.id }] });
    const other = await certifiedFarm(api, 1);
    expect((await other.manager.get(`/ocop-products?q=${number}`)).body.total).toBe(0);
    const byScore = await api.get('/ocop-products?sort=score&order=asc&pageSize=500');
    const scores = byScore.body.items.map((o: { score: number }) => o.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
  });
});

describe('targets', () => {
  it('computes actuals from the records and says vượt / đạt / chưa đạt', async () => {
    const target = (indicator: string, targetValue: number) =>
      api.post('/targets', { adminUnitId: farm.commune.id, year, indicator, targetValue });
    const area = await target('organic_ha', 0.3);
    expect(area.status).toBe(201);
    // Three certified plots of about 1,200 m² at the end of the year.
    expect(area.body.actual).toBeCloseTo(0.36, 2);
    expect(area.body.progress).toBe('exceeded');
    const tonnes = await target('tonnes_harvested', 5);
    const harvested = (
      await api.get(`/harvests?cooperativeId=${farm.cooperative.id}&pageSize=500`)
    ).body.items.reduce((sum: number, h: { quantityKg: number }) => sum + h.quantityKg, 0);
    expect(tonnes.body.actual).toBeCloseTo(harvested / 1000, 2);
    expect(tonnes.body.progress).toBe('not_met');
    const ocop = await target('ocop_3_stars', 1);
    expect(ocop.body).toMatchObject({ actual: 0, progress: 'not_met' });
    const households = await target('households', 1);
    // The farm's household joined in 2020, after the year counted.
    expect(households.body).toMatchObject({
      actual: year >= 2020 ? 1 : 0,
      progress: year >= 2020 ? 'met' : 'not_met',
    });
    expect((await target('households', 2)).body.code).toBe('TARGET_TAKEN');
    expect((await target('contract_share', 1.5)).status).toBe(400);

    const dashboard = await api.get(`/dashboard?adminUnitId=${farm.commune.id}&year=${year}`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.targets).toHaveLength(4);
    expect(dashboard.body.zones[0]).toMatchObject({ id: farm.zone.id });
  });

  it('keeps a district-era target correct after the district is abolished and its communes merged', async () => {
    const district = await api.post('/admin-units', {
      code: String(randomInt(100, 999)),
      name: 'Huyện Cũ',
      level: 'district',
      parentId: api.rootUnitId,
      validFrom: uniqueDate(),
    });
    const commune = await newCommune(api, 'Xã Cũ', district.body.id);
    const cooperative = await newCooperative(api, commune.id);
    const household = await newHousehold(api, commune.id, cooperative.id);
    const manager = await api.newUser('coop_manager', { cooperativeId: cooperative.id });
    const plot = await manager.post(
      '/plots',
      plotBody(household.id, rectangle(randomSpot(), 40, 30)),
    );
    const season = await newSeason(api);
    const recorded = await manager.post('/harvests', {
      plotId: plot.body.id,
      seasonId: season.id,
      harvestedOn: `${season.year}-05-01`,
      productId: await productId(api, 'PADDY'),
      quantityKg: 450,
    });
    expect(recorded.status).toBe(201);
    const target = await api.post('/targets', {
      adminUnitId: district.body.id,
      year: season.year,
      indicator: 'tonnes_harvested',
      targetValue: 0.4,
    });
    expect(target.body).toMatchObject({ actual: 0.45, progress: 'exceeded' });

    // 1 July 2025: the commune merges into a new one, the district is abolished.
    const merged = await api.post('/admin-units', {
      code: String(randomInt(10_000, 99_999)),
      name: 'Xã Mới',
      level: 'commune',
      parentId: api.rootUnitId,
      validFrom: '2025-07-01',
    });
    expect(merged.status).toBe(201);
    for (const body of [
      { kind: 'merge', predecessorIds: [commune.id], successorIds: [merged.body.id] },
      { kind: 'abolish', predecessorIds: [district.body.id], successorIds: [] },
    ]) {
      const succession = await api.post('/admin-units/successions', {
        ...body,
        effectiveOn: '2025-07-01',
        legalBasis: 'Nghị quyết 1669/NQ-UBTVQH15',
      });
      expect(succession.status, JSON.stringify(succession.body)).toBe(201);
    }
    const after = await api.get(`/targets?adminUnitId=${district.body.id}&year=${season.year}`);
    expect(after.body).toEqual([
      expect.objectContaining({ adminUnitName: 'Huyện Cũ', actual: 0.45, progress: 'exceeded' }),
    ]);
  });

  it('exports the table as CSV and XLSX with Vietnamese headers', async () => {
    const csv = await fetch(`${api.url}/api/v1/exports/targets.csv?year=${year}`, {
      headers: { authorization: `Bearer ${api.adminToken}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const raw = Buffer.from(await csv.arrayBuffer());
    // A byte-order mark, so Excel reads the Vietnamese letters as UTF-8.
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8');
    expect(text).toContain('Đơn vị,Năm,Chỉ tiêu,Kế hoạch,Thực hiện');
    expect(text).toContain('Diện tích hữu cơ (ha)');
    const xlsx = await fetch(`${api.url}/api/v1/exports/harvests.xlsx`, {
      headers: { authorization: `Bearer ${api.adminToken}` },
    });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect((await api.get('/exports/passwords.csv')).status).toBe(400);
  });
});

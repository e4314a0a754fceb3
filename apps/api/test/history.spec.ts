import { todayIso } from '@huuco/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvenanceBuilder } from '../src/trace/provenance/provenance.builder.js';
import { offset, plotBody, rectangle } from './support/factories.js';
import { apiRoutes } from './support/routes.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aggregate, certifiedFarm, harvest, type CertifiedFarm } from './support/trace-fixtures.js';

/**
 * The registry's past stays as it was: a zone suspended today, a certificate withdrawn from a
 * date, a cooperative gone inactive change what follows, never what came before.
 */
let api: TestApp;

beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

const statusOn = async (farm: CertifiedFarm, date: string, plot = 0) =>
  (await api.get(`/plots/${farm.plotIds[plot]}/status?on=${date}`)).body as {
    status: string;
    reason: string;
  };

async function certificateOf(farm: CertifiedFarm): Promise<string> {
  const list = await api.get(`/certifications?zoneId=${farm.zone.id}`);
  return list.body.items[0].id as string;
}

describe('a zone’s status history', () => {
  it('suspends from today on, and leaves every earlier date and year as it was', async () => {
    const farm = await certifiedFarm(api, 1);
    const past = farm.harvestDay;
    const target = await api.post('/targets', {
      adminUnitId: farm.commune.id,
      year: farm.season.year,
      indicator: 'organic_ha',
      targetValue: 0.1,
    });
    expect(target.status).toBe(201);
    const before = target.body.actual as number;
    expect(before).toBeGreaterThan(0);
    expect((await statusOn(farm, past)).status).toBe('certified');
    for (const [status, year] of [
      ['in_conversion', farm.season.year - 3],
      ['certified', farm.season.year - 1],
    ] as const) {
      const step = await api.post(`/zones/${farm.zone.id}/status-changes`, {
        status,
        effectiveOn: `${year}-01-01`,
        reason: 'Quyết định công nhận',
      });
      expect(step.status).toBe(201);
    }

    const suspended = await api.post(`/zones/${farm.zone.id}/status-changes`, {
      status: 'suspended',
      effectiveOn: todayIso(),
      reason: 'Phát hiện dư lượng thuốc bảo vệ thực vật',
    });
    expect(suspended.status).toBe(201);

    expect((await statusOn(farm, past)).status).toBe('certified');
    expect(await statusOn(farm, todayIso())).toMatchObject({
      status: 'suspended',
      reason: 'ZONE_SUSPENDED',
    });
    const targets = await api.get(
      `/targets?adminUnitId=${farm.commune.id}&year=${farm.season.year}`,
    );
    expect(targets.body[0].actual).toBe(before);
    expect((await api.get(`/zones/${farm.zone.id}`)).body.status).toBe('suspended');
    const history = await api.get(`/zones/${farm.zone.id}/status-changes`);
    expect(history.body).toHaveLength(3);
    expect(history.body[2]).toEqual(
      expect.objectContaining({
        status: 'suspended',
        effectiveOn: todayIso(),
        reason: 'Phát hiện dư lượng thuốc bảo vệ thực vật',
        recordedBy: expect.any(String),
      }),
    );
  });

  it('refuses a change dated before the last one, one in the future, and a skipped step', async () => {
    const farm = await certifiedFarm(api, 1);
    const change = (status: string, effectiveOn: string) =>
      api.post(`/zones/${farm.zone.id}/status-changes`, { status, effectiveOn, reason: 'Thử' });
    expect((await change('in_conversion', '2021-03-01')).status).toBe(201);
    const earlier = await change('certified', '2021-02-01');
    expect(earlier.status).toBe(409);
    expect(earlier.body).toMatchObject({
      code: 'STATUS_CHANGE_OUT_OF_ORDER',
      errors: [{ path: 'effectiveOn', lastEffectiveOn: '2021-03-01' }],
    });
    const future = await change('certified', '2999-01-01');
    expect(future.status).toBe(400);
    expect(future.body.errors[0].path).toBe('effectiveOn');
    const skip = await change('planned', '2021-04-01');
    expect(skip.body).toMatchObject({
      code: 'ZONE_STATUS_TRANSITION_INVALID',
      errors: [{ path: 'status', from: 'in_conversion', to: 'planned' }],
    });
  });

  it('is never edited: the database refuses to rewrite or delete a recorded change', async () => {
    const farm = await certifiedFarm(api, 1);
    await api.post(`/zones/${farm.zone.id}/status-changes`, {
      status: 'in_conversion',
      effectiveOn: '2021-03-01',
      reason: 'Thử',
    });
    await expect(
      api.db.query(
        `UPDATE zone_status_changes SET effective_on = '2001-01-01' WHERE zone_id = $1`,
        [farm.zone.id],
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      api.db.query('DELETE FROM zone_status_changes WHERE zone_id = $1', [farm.zone.id]),
    ).rejects.toThrow(/append-only/);
  });
});

describe('a certification body’s decisions', () => {
  it('withdraws a certificate from a date: later dates are no longer organic, earlier ones are', async () => {
    const farm = await certifiedFarm(api, 1);
    const id = await certificateOf(farm);
    const from = `${farm.season.year}-06-01`;
    const withdrawn = await api.post(`/certifications/${id}/status-changes`, {
      status: 'withdrawn',
      effectiveOn: from,
      reason: 'Vi phạm quy trình sản xuất hữu cơ',
      documentRef: 'QĐ 12/2026/TH-CN',
    });
    expect(withdrawn.status).toBe(201);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', documentRef: 'QĐ 12/2026/TH-CN' });
    expect((await statusOn(farm, farm.harvestDay)).status).toBe('certified');
    expect(await statusOn(farm, `${farm.season.year}-06-02`)).toMatchObject({
      status: 'not_organic',
      reason: 'CERTIFICATE_WITHDRAWN',
    });
    expect((await api.get(`/certifications/${id}`)).body.standing).toBe('withdrawn');
    const again = await api.post(`/certifications/${id}/status-changes`, {
      status: 'reinstated',
      effectiveOn: `${farm.season.year}-09-01`,
      reason: 'Khiếu nại',
      documentRef: 'QĐ 13',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CERTIFICATE_DECISION_INVALID');
  });

  it('suspends and reinstates: the plot is suspended only in between', async () => {
    const farm = await certifiedFarm(api, 1);
    const id = await certificateOf(farm);
    const decide = (status: string, effectiveOn: string) =>
      api.post(`/certifications/${id}/status-changes`, {
        status,
        effectiveOn,
        reason: 'Đánh giá giám sát',
        documentRef: 'Biên bản 7',
      });
    expect((await decide('suspended', `${farm.season.year}-03-01`)).status).toBe(201);
    expect((await decide('reinstated', `${farm.season.year}-04-01`)).status).toBe(201);
    expect(await statusOn(farm, `${farm.season.year}-03-15`)).toMatchObject({
      status: 'suspended',
      reason: 'CERTIFICATE_SUSPENDED',
    });
    expect((await statusOn(farm, farm.harvestDay)).status).toBe('certified');
    const listed = await api.get(`/certifications/${id}/status-changes`);
    expect(listed.body.map((d: { status: string }) => d.status)).toEqual([
      'suspended',
      'reinstated',
    ]);
  });
});

describe('a cooperative’s activity', () => {
  it('goes inactive from a date, with the reason, and takes no new households', async () => {
    const farm = await certifiedFarm(api, 1);
    const changed = await api.post(`/cooperatives/${farm.cooperative.id}/status-changes`, {
      status: 'inactive',
      effectiveOn: '2025-01-01',
      reason: 'Giải thể theo nghị quyết đại hội thành viên',
    });
    expect(changed.status).toBe(201);
    expect((await api.get(`/cooperatives/${farm.cooperative.id}`)).body.status).toBe('inactive');
    const history = await api.get(`/cooperatives/${farm.cooperative.id}/status-changes`);
    expect(history.body).toEqual([
      expect.objectContaining({ status: 'inactive', effectiveOn: '2025-01-01' }),
    ]);
    const household = await api.post('/households', {
      headName: 'Trần Văn Mới',
      idNumber: '030123450987',
      communeId: farm.commune.id,
      cooperativeId: farm.cooperative.id,
      joinedOn: '2025-02-01',
    });
    expect(household.status).toBe(422);
    expect(household.body.code).toBe('COOPERATIVE_INACTIVE');
    const twice = await api.post(`/cooperatives/${farm.cooperative.id}/status-changes`, {
      status: 'inactive',
      effectiveOn: '2025-06-01',
      reason: 'Lần nữa',
    });
    expect(twice.body.code).toBe('COOPERATIVE_STATUS_TRANSITION_INVALID');
  });
});

describe('a household’s membership and contacts', () => {
  it('is edited for name, phone and village, and leaves from a date after which nothing is recorded for it', async () => {
    const farm = await certifiedFarm(api, 1);
    const edited = await api.patch(`/households/${farm.household.id}`, {
      phone: '0987654321',
      village: 'Thôn Đông',
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ phone: '0987654321', village: 'Thôn Đông', leftOn: null });
    expect((await api.patch(`/households/${farm.household.id}`, {})).status).toBe(400);
    const audit = await api.get(`/audit?entity=household&entityId=${farm.household.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('household.update');
    expect(JSON.stringify(audit.body)).not.toContain('0987654321');

    // A member since 2000, so it can leave in the middle of a (2000–2019) test season.
    const member = await api.post('/households', {
      headName: 'Lê Thị Rời',
      idNumber: `030${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
      communeId: farm.commune.id,
      cooperativeId: farm.cooperative.id,
      joinedOn: '2000-01-01',
    });
    const plot = await farm.manager.post(
      '/plots',
      plotBody(member.body.id, rectangle(offset(farm.origin, 300, 300), 40, 30), {
        zoneId: farm.zone.id,
      }),
    );
    expect(plot.status, JSON.stringify(plot.body)).toBe(201);
    const leftOn = `${farm.season.year}-06-01`;
    const left = await api.post(`/households/${member.body.id}/leave`, {
      leftOn,
      reason: 'Chuyển đi nơi khác',
    });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    expect(left.body).toMatchObject({ leftOn, leftReason: 'Chuyển đi nơi khác' });
    const again = await api.post(`/households/${member.body.id}/leave`, {
      leftOn,
      reason: 'Lần nữa',
    });
    expect(again.body).toMatchObject({ code: 'HOUSEHOLD_LEFT', errors: [{ path: 'leftOn' }] });
    const early = await api.post(`/households/${farm.household.id}/leave`, {
      leftOn: '2019-01-01',
      reason: 'Trước khi vào',
    });
    expect(early.body.errors[0].path).toBe('leftOn');

    const record = (harvestedOn: string) =>
      farm.manager.post('/harvests', {
        plotId: plot.body.id,
        seasonId: farm.season.id,
        harvestedOn,
        productId: farm.paddy,
        quantityKg: 100,
      });
    expect((await record(farm.harvestDay)).status).toBe(201);
    const after = await record(`${farm.season.year}-06-10`);
    expect(after.status).toBe(422);
    expect(after.body).toMatchObject({ code: 'HOUSEHOLD_LEFT', errors: [{ path: 'plotId' }] });
  });

  it('takes a harvest from before a cooperative went inactive, sent late from the field', async () => {
    const farm = await certifiedFarm(api, 1);
    await api.post(`/cooperatives/${farm.cooperative.id}/status-changes`, {
      status: 'inactive',
      effectiveOn: `${farm.season.year}-06-01`,
      reason: 'Tạm ngừng hoạt động',
    });
    const record = (harvestedOn: string) =>
      farm.manager.post('/harvests', {
        plotId: farm.plotIds[0],
        seasonId: farm.season.id,
        harvestedOn,
        productId: farm.paddy,
        quantityKg: 100,
      });
    expect((await record(farm.harvestDay)).status).toBe(201);
    expect((await record(`${farm.season.year}-06-20`)).body.code).toBe('COOPERATIVE_INACTIVE');
  });
});

describe('an edit', () => {
  it('changes only the fields it names', async () => {
    const farm = await certifiedFarm(api, 1);
    const zone = await api.patch(`/zones/${farm.zone.id}`, {
      targetAreaHa: 20,
      products: ['Lúa hữu cơ'],
    });
    expect(zone.body.targetArea.ha).toBe(20);
    const renamed = await api.patch(`/zones/${farm.zone.id}`, { name: 'Vùng Chỉ Đổi Tên' });
    expect(renamed.body).toMatchObject({
      name: 'Vùng Chỉ Đổi Tên',
      targetArea: { ha: 20 },
      products: ['Lúa hữu cơ'],
    });
    const buyer = await api.post('/buyers', {
      name: 'Công ty Giữ Nguyên',
      taxCode: String(1_000_000_000 + Math.floor(Math.random() * 8e9)),
      province: 'Hà Nội',
      address: 'Số 1 Tràng Tiền',
      contacts: [{ name: 'Chị Hoa', role: 'Thu mua', phone: null, email: null }],
    });
    const edited = await api.patch(`/buyers/${buyer.body.id}`, { name: 'Công ty Đã Đổi Tên' });
    expect(edited.body).toMatchObject({
      address: 'Số 1 Tràng Tiền',
      contacts: [expect.objectContaining({ name: 'Chị Hoa' })],
    });
    const cooperative = await api.patch(`/cooperatives/${farm.cooperative.id}`, {
      address: 'Thôn Bắc',
    });
    const again = await api.patch(`/cooperatives/${farm.cooperative.id}`, {
      name: 'HTX Vẫn Địa Chỉ',
    });
    expect(cooperative.body.address).toBe('Thôn Bắc');
    expect(again.body.address).toBe('Thôn Bắc');
  });
});

describe('pages that never go stale', () => {
  it('shows a renamed cooperative and zone on every existing page at once', async () => {
    const farm = await certifiedFarm(api, 1);
    const h = await harvest(farm, 0, 300);
    const lot = (await aggregate(farm, [{ harvestId: h.id, quantityKg: 300 }])).body[0];
    const page = async () => {
      const url = new URL(lot.provenanceUrl);
      return (await fetch(`${api.url}${url.pathname}${url.search}`)).text();
    };
    expect(await page()).toContain('HTX Thử nghiệm');
    expect(
      (await api.patch(`/cooperatives/${farm.cooperative.id}`, { name: 'HTX Đổi Tên Mới' })).status,
    ).toBe(200);
    expect((await api.patch(`/zones/${farm.zone.id}`, { name: 'Vùng Đổi Tên Mới' })).status).toBe(
      200,
    );
    const after = await page();
    expect(after).toContain('HTX Đổi Tên Mới');
    expect(after).toContain('Vùng Đổi Tên Mới');
    expect(after).not.toContain('HTX Thử nghiệm');
  });
});

describe('the page tells today’s story too', () => {
  it('keeps a lot organic as harvested and says the zone has been suspended since', async () => {
    const farm = await certifiedFarm(api, 1);
    const h = await harvest(farm, 0, 200);
    const lot = (await aggregate(farm, [{ harvestId: h.id, quantityKg: 200 }])).body[0];
    for (const [status, effectiveOn] of [
      ['in_conversion', `${farm.season.year - 3}-01-01`],
      ['certified', `${farm.season.year - 1}-01-01`],
      ['suspended', todayIso()],
    ] as const) {
      await api.post(`/zones/${farm.zone.id}/status-changes`, {
        status,
        effectiveOn,
        reason: status === 'suspended' ? 'Nước tưới nhiễm bẩn' : 'Quyết định',
      });
    }
    const url = new URL(lot.provenanceUrl);
    const html = await (await fetch(`${api.url}${url.pathname}${url.search}`)).text();
    expect(html).toContain('bị đình chỉ: Nước tưới nhiễm bẩn');
    const json = JSON.parse(
      await (
        await fetch(`${api.url}${url.pathname}${url.search}`, {
          headers: { accept: 'application/json' },
        })
      ).text(),
    );
    expect(json.document.lot.organic).toBe(true);
    expect(json.document.notices).toEqual([
      expect.objectContaining({ kind: 'zone_suspended', since: todayIso() }),
    ]);
  });
});

describe('retroactive findings', () => {
  it('re-stamps the harvests a withdrawal reaches back to, and their lots and pages say so', async () => {
    const farm = await certifiedFarm(api, 2);
    const early = await harvest(farm, 0, 200, { harvestedOn: `${farm.season.year}-03-10` });
    const late = await harvest(farm, 1, 200);
    const earlyLot = (await aggregate(farm, [{ harvestId: early.id, quantityKg: 200 }])).body[0];
    const lateLot = (await aggregate(farm, [{ harvestId: late.id, quantityKg: 200 }])).body[0];
    const mixed = (
      await farm.manager.post('/lots', {
        process: 'aggregation',
        occurredOn: farm.harvestDay,
        inputs: [
          { lotId: earlyLot.id, quantityKg: 50 },
          { lotId: lateLot.id, quantityKg: 50 },
        ],
        outputs: [{ productId: farm.paddy, quantityKg: 100 }],
      })
    ).body[0];
    expect([earlyLot.organic, lateLot.organic, mixed.organic]).toEqual([true, true, true]);

    const id = await certificateOf(farm);
    const withdrawn = await api.post(`/certifications/${id}/status-changes`, {
      status: 'withdrawn',
      effectiveOn: `${farm.season.year}-04-01`,
      reason: 'Vi phạm quy trình',
      documentRef: 'QĐ 99',
    });
    expect(withdrawn.status).toBe(201);

    expect((await api.get(`/harvests/${early.id}`)).body.organicStatus).toBe('certified');
    expect((await api.get(`/harvests/${late.id}`)).body).toMatchObject({
      organicStatus: 'not_organic',
      organicStatusReason: 'CERTIFICATE_WITHDRAWN',
    });
    expect((await api.get(`/lots/${earlyLot.id}`)).body.organic).toBe(true);
    expect((await api.get(`/lots/${lateLot.id}`)).body.organic).toBe(false);
    expect((await api.get(`/lots/${mixed.id}`)).body.organic).toBe(false);
    const url = new URL(lateLot.provenanceUrl);
    const json = JSON.parse(
      await (
        await fetch(`${api.url}${url.pathname}${url.search}`, {
          headers: { accept: 'application/json' },
        })
      ).text(),
    );
    expect(json.document.lot.organic).toBe(false);
    const events = await api.get(`/events?lotId=${lateLot.id}`);
    const correction = events.body.find(
      (e: { lotIds: string[]; correctsSeq: number | null }) =>
        e.lotIds.includes(late.id) && e.correctsSeq !== null,
    );
    expect(correction.why).toMatch(/withdrawn/);
  });

  it('suspends the harvests made since a major non-compliance that is found to have started earlier', async () => {
    const farm = await certifiedFarm(api, 1);
    const made = await harvest(farm, 0, 200);
    expect(made.organicStatus).toBe('certified');
    const inspection = await api.post('/inspections', {
      kind: 'ICS',
      householdId: farm.household.id,
      plannedOn: `${farm.season.year}-05-01`,
      inspectedOn: `${farm.season.year}-05-01`,
      findings: 'Phát hiện dùng phân bón hoá học từ đầu tháng 5',
      nonCompliances: [
        {
          plotId: farm.plotIds[0],
          severity: 'major',
          description: 'Dùng phân bón hoá học',
          deadline: `${farm.season.year}-08-01`,
        },
      ],
    });
    expect(inspection.status, JSON.stringify(inspection.body)).toBe(201);
    expect((await api.get(`/harvests/${made.id}`)).body).toMatchObject({
      organicStatus: 'suspended',
      organicStatusReason: 'OPEN_MAJOR_NON_COMPLIANCE',
    });
  });
});

describe('one write path for what others read', () => {
  it('leaves no stored page different from one rebuilt from scratch after the registry’s writes', async () => {
    const farm = await certifiedFarm(api, 2);
    const first = await harvest(farm, 0, 200);
    const second = await harvest(farm, 1, 200);
    const lots = [
      (await aggregate(farm, [{ harvestId: first.id, quantityKg: 200 }])).body[0],
      (await aggregate(farm, [{ harvestId: second.id, quantityKg: 100 }])).body[0],
    ];
    const certification = await certificateOf(farm);
    const writes: [string, () => Promise<{ status: number }>][] = [
      [
        'rename the cooperative',
        () => api.patch(`/cooperatives/${farm.cooperative.id}`, { name: 'HTX Một Đường Ghi' }),
      ],
      [
        'rename the zone',
        () => api.patch(`/zones/${farm.zone.id}`, { name: 'Vùng Một Đường Ghi' }),
      ],
      [
        'suspend the certificate',
        () =>
          api.post(`/certifications/${certification}/status-changes`, {
            status: 'suspended',
            effectiveOn: `${farm.season.year}-05-01`,
            reason: 'Giám sát',
            documentRef: 'BB 1',
          }),
      ],
      [
        'edit the household',
        () => api.patch(`/households/${farm.household.id}`, { headName: 'Nguyễn Văn Đổi' }),
      ],
      [
        'record consent',
        () =>
          api.post(`/households/${farm.household.id}/consents`, {
            scope: 'name_on_provenance_page',
            evidence: 'Phiếu đồng ý',
          }),
      ],
      [
        'record a major non-compliance',
        () =>
          api.post('/inspections', {
            kind: 'ICS',
            householdId: farm.household.id,
            plannedOn: `${farm.season.year}-05-10`,
            inspectedOn: `${farm.season.year}-05-10`,
            findings: 'Vi phạm',
            nonCompliances: [
              {
                plotId: farm.plotIds[0],
                severity: 'major',
                description: 'Dùng thuốc cỏ',
                deadline: `${farm.season.year}-09-01`,
              },
            ],
          }),
      ],
      [
        'certify, then suspend the zone',
        async () => {
          for (const [status, effectiveOn] of [
            ['in_conversion', `${farm.season.year - 3}-01-01`],
            ['certified', `${farm.season.year - 1}-01-01`],
          ]) {
            await api.post(`/zones/${farm.zone.id}/status-changes`, {
              status,
              effectiveOn,
              reason: 'Công nhận',
            });
          }
          return api.post(`/zones/${farm.zone.id}/status-changes`, {
            status: 'suspended',
            effectiveOn: todayIso(),
            reason: 'Đình chỉ',
          });
        },
      ],
      [
        'move a plot out of the zone',
        () => api.patch(`/plots/${farm.plotIds[1]}`, { zoneId: null }),
      ],
    ];
    const builder = api.app.get(ProvenanceBuilder);
    for (const [what, write] of writes) {
      const response = await write();
      expect(response.status, what).toBeLessThan(300);
      for (const lot of lots) {
        const [stored] = await api.db.query<{ document: unknown }[]>(
          'SELECT document FROM lot_provenance WHERE lot_id = $1',
          [lot.id],
        );
        let fresh: unknown;
        await api.db
          .transaction(async (manager) => {
            fresh = await builder.rebuild(manager, lot.id);
            throw new Error('rolled back: only compared');
          })
          .catch(() => undefined);
        // Everything but the time it was built.
        const { updatedAt: _stored, ...storedContent } = stored!.document as Record<
          string,
          unknown
        >;
        const { updatedAt: _fresh, ...freshContent } = JSON.parse(JSON.stringify(fresh)) as Record<
          string,
          unknown
        >;
        expect(storedContent, `${what}: lot ${lot.code}`).toEqual(freshContent);
      }
    }
  });
});

describe('every write, by what it does to stored pages', () => {
  /**
   * Each write operation of the API says how the pages it can change are kept current: through
   * the registry events (checked above after each kind), rebuilt by the writer itself, or not at
   * all because no stored page shows what it writes. A new write must be placed here.
   */
  const EFFECTS: Record<string, string> = {
    'PATCH /cooperatives/:id': 'event',
    'POST /cooperatives/:id/status-changes': 'event',
    'PATCH /zones/:id': 'event',
    'POST /zones/:id/status-changes': 'event',
    'POST /certifications': 'event',
    'POST /certifications/:id/status-changes': 'event',
    'PATCH /households/:id': 'event',
    'POST /households/:id/leave': 'event',
    'POST /households/:id/consents': 'event',
    'POST /households/:id/consents/:consentId/revoke': 'event',
    'PATCH /plots/:id': 'event',
    'POST /inspections': 'event',
    'POST /inspections/:id/record': 'event',
    'POST /non-compliances/:id/close': 'event',
    'PATCH /buyers/:id': 'event',
    'POST /lots': 'writer',
    'POST /lots/:id/seal': 'writer',
    'POST /lots/:id/recall': 'writer',
    'POST /deliveries': 'writer',
    'POST /deliveries/:id/receive': 'writer',
    'POST /ocop-products': 'writer',
    'POST /harvests': 'none: a harvest is on no page until a lot is made from it',
    'POST /harvests/:id/corrections': 'none: only a harvest nothing was made from is corrected',
    'POST /plots': 'none: a new plot has no harvests',
    'POST /plots/import': 'none: new plots have no harvests',
    'POST /zones': 'none: a new zone has no plots',
    'POST /cooperatives': 'none: a new cooperative has no lots',
    'POST /households': 'none: a new household has no plots',
    'POST /households/:id/reveal-id': 'none: reads, and ID numbers are never on a page',
    'POST /admin-units': 'none: a new unit holds no cooperative yet',
    'POST /admin-units/successions':
      'none: pages keep the commune valid when the lot was made (rule of the 2025 reform)',
    'POST /buyers': 'none: a new buyer has received nothing',
    'POST /contracts': 'none: pages name a contract only once a delivery against it is received',
    'POST /contracts/:id/status': 'none: pages show the contract number, not its status',
    'PUT /contracts/:id/document': 'none: the signed copy is on no page',
    'POST /seasons': 'none: a new season has no harvests',
    'POST /products': 'none: a new product has no lots',
    'POST /targets': 'none: targets are on no page',
    'POST /users': 'none: accounts are on no page',
    'PATCH /users/:id': 'none: accounts are on no page',
    'DELETE /users/:id': 'none: accounts are on no page',
    'POST /auth/login': 'none: sessions',
    'POST /auth/refresh': 'none: sessions',
    'POST /auth/logout': 'none: sessions',
  };

  it('places every write operation', () => {
    const writes = apiRoutes(api.app)
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(writes).toEqual(Object.keys(EFFECTS).sort());
  });

  it('renames a buyer on the page of every lot it received, at once', async () => {
    const farm = await certifiedFarm(api, 1);
    const h = await harvest(farm, 0, 200);
    const lot = (await aggregate(farm, [{ harvestId: h.id, quantityKg: 200 }])).body[0];
    const buyer = await api.post('/buyers', {
      name: 'Công ty Tên Cũ',
      taxCode: String(1_000_000_000 + Math.floor(Math.random() * 8e9)),
      province: 'Hà Nội',
    });
    const buyerUser = await api.newUser('buyer', { buyerId: buyer.body.id });
    const contract = await farm.manager.post('/contracts', {
      number: `HĐ-${Date.now()}`,
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
    const today = todayIso();
    const delivery = await farm.manager.post('/deliveries', {
      contractId: contract.body.id,
      deliveredOn: today,
      destination: 'Kho Hà Nội',
      lots: [{ lotId: lot.id, quantityKg: 50 }],
    });
    expect(
      (await buyerUser.post(`/deliveries/${delivery.body.id}/receive`, { receivedOn: today }))
        .status,
    ).toBe(201);
    const url = new URL(lot.provenanceUrl);
    const page = async () => (await fetch(`${api.url}${url.pathname}${url.search}`)).text();
    expect(await page()).toContain('Công ty Tên Cũ');
    await api.patch(`/buyers/${buyer.body.id}`, { name: 'Công ty Tên Mới' });
    const after = await page();
    expect(after).toContain('Công ty Tên Mới');
    expect(after).not.toContain('Công ty Tên Cũ');
  });
});

import { randomInt } from 'node:crypto';
import { todayIso } from '@huuco/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvenanceBuilder } from '../src/trace/provenance/provenance.builder.js';
import { offset, plotBody, rectangle } from './support/factories.js';
import { upload } from './support/imports.js';
import { startTestApp, TEST_WITNESS, type TestApp } from './support/test-app.js';
import { LogAppender } from '../src/trace/log/log-appender.service.js';
import { ImportService } from '../src/registry/imports/import.service.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { cosignatureLine } from '../../log-verifier/verify-log.mjs';
import {
  aggregate,
  certifiedFarm,
  contractedBuyer,
  deliver,
  harvest,
  type CertifiedFarm,
} from './support/trace-fixtures.js';

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

  it('keeps the certificate as the body issued it, checked by content, and shows it to the registry’s readers', async () => {
    const farm = await certifiedFarm(api, 1);
    const id = await certificateOf(farm);
    const pdf = Buffer.from(
      '%PDF-1.4\n% giấy chứng nhận\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n',
    );
    const put = (body: Buffer, type: string, as: Pick<TestApp, 'raw'> = api) =>
      as.raw(`/certifications/${id}/document`, {
        method: 'PUT',
        headers: { 'content-type': type, 'x-filename': encodeURIComponent('chứng nhận.pdf') },
        body,
      });
    expect((await api.get(`/certifications/${id}`)).body.document).toBeNull();
    const saved = await put(pdf, 'application/pdf');
    expect(saved.status).toBe(200);
    expect(saved.body.document).toMatchObject({
      filename: 'chứng nhận.pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
    });
    const disguised = await put(Buffer.from('MZ not a pdf'), 'application/pdf');
    expect(disguised.status).toBe(415);
    expect(disguised.body.code).toBe('DOCUMENT_TYPE_INVALID');
    // A cooperative reads the registry but does not certify its own zone.
    expect((await put(pdf, 'application/pdf', farm.manager)).status).toBe(403);
    // District staff of another district do not find the certificate to attach to.
    const elsewhere = await api.post('/admin-units', {
      code: String(randomInt(10_000, 99_999)),
      name: 'Huyện Khác',
      level: 'district',
      parentId: api.rootUnitId,
      validFrom: '2001-01-01',
    });
    const stranger = await api.newUser('district_staff', { adminUnitIds: [elsewhere.body.id] });
    const refused = await put(pdf, 'application/pdf', stranger);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('NOT_FOUND');
    const back = await farm.manager.raw(`/certifications/${id}/document`, { method: 'GET' });
    expect(back.headers.get('content-type')).toBe('application/pdf');
    expect(String(back.body)).toContain('giấy chứng nhận');
    const audit = await api.db.query(
      `SELECT details FROM audit_log WHERE action = 'certification.document' AND entity_id = $1`,
      [id],
    );
    expect(audit[0].details.sha256).toMatch(/^[0-9a-f]{64}$/);
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

  it('has a code unique within its cooperative, given or the next free one', async () => {
    const farm = await certifiedFarm(api, 1);
    const register = (extra: object = {}) =>
      api.post('/households', {
        headName: 'Phạm Văn Mã',
        idNumber: `034${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
        communeId: farm.commune.id,
        cooperativeId: farm.cooperative.id,
        joinedOn: '2020-03-01',
        ...extra,
      });
    const first = await register();
    const second = await register();
    expect([first.body.code, second.body.code]).toEqual(['H0002', 'H0003']);
    const given = await register({ code: 'AT-17' });
    expect(given.body.code).toBe('AT-17');
    const taken = await register({ code: 'AT-17' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'HOUSEHOLD_CODE_TAKEN', errors: [{ path: 'code' }] });
    // Another cooperative's household may carry the same code.
    const other = await certifiedFarm(api, 1);
    const elsewhere = await api.post('/households', {
      code: 'AT-17',
      headName: 'Đỗ Thị Khác',
      idNumber: `035${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
      communeId: other.commune.id,
      cooperativeId: other.cooperative.id,
      joinedOn: '2020-03-01',
    });
    expect(elsewhere.status).toBe(201);
    const found = await api.get(`/households?cooperativeId=${farm.cooperative.id}&q=AT-17`);
    expect(found.body.items.map((h: { id: string }) => h.id)).toEqual([given.body.id]);
    const renamed = await api.patch(`/households/${second.body.id}`, { code: 'AT-18' });
    expect(renamed.body.code).toBe('AT-18');
    expect((await api.patch(`/households/${second.body.id}`, { code: 'AT-17' })).status).toBe(409);
    expect((await register({ code: 'có dấu cách' })).body.errors[0].path).toBe('code');
  });

  it('keeps every version of a household’s name, contacts and membership', async () => {
    const farm = await certifiedFarm(api, 1);
    const id = farm.household.id;
    await api.patch(`/households/${id}`, { phone: '0987654321', village: 'Thôn Đông' });
    await api.patch(`/households/${id}`, { headName: 'Nguyễn Văn Mới', code: 'MOI-1' });
    await api.post(`/households/${id}/leave`, { leftOn: todayIso(), reason: 'Chuyển đi' });
    const revisions = await farm.manager.get(`/households/${id}/revisions`);
    expect(revisions.status).toBe(200);
    expect(revisions.body).toEqual([
      expect.objectContaining({ revision: 1, headName: 'Nguyễn Văn Thử', phone: '0912345678' }),
      expect.objectContaining({ revision: 2, phone: '0987654321', village: 'Thôn Đông' }),
      expect.objectContaining({
        revision: 3,
        headName: 'Nguyễn Văn Mới',
        code: 'MOI-1',
        leftOn: null,
      }),
      expect.objectContaining({ revision: 4, leftOn: todayIso(), leftReason: 'Chuyển đi' }),
    ]);
    expect(revisions.body[1].recordedBy).toMatch(/^admin\./);
    expect(revisions.body[0].code).toMatch(/^H\d{4}$/);
    // An inspector sees that the phone changed, not the numbers.
    const inspector = await api.newUser('inspector', { adminUnitIds: [farm.commune.id] });
    const seen = await inspector.get(`/households/${id}/revisions`);
    expect(seen.body.map((r: { phone: string | null }) => r.phone)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(seen.body[1].phoneMasked).not.toContain('987654');
    await expect(
      api.db.query(`UPDATE household_revisions SET phone = NULL WHERE household_id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
    const other = await certifiedFarm(api, 1);
    expect((await other.manager.get(`/households/${id}/revisions`)).status).toBe(404);
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

describe('a plot’s retirement', () => {
  it('keeps the plot and its harvests, records no harvest from that day, and frees its land', async () => {
    const farm = await certifiedFarm(api, 2);
    await harvest(farm, 0, 200);
    const plotId = farm.plotIds[0]!;
    const retire = (body: object) => farm.manager.post(`/plots/${plotId}/retire`, body);
    const early = await retire({
      retiredOn: `${farm.season.year}-05-01`,
      reason: 'Chuyển đổi đất',
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      code: 'PLOT_HAS_LATER_HARVESTS',
      errors: [{ path: 'retiredOn', lastHarvestOn: farm.harvestDay }],
    });
    const retiredOn = `${farm.season.year}-06-01`;
    const retired = await retire({ retiredOn, reason: 'Chuyển đổi đất' });
    expect(retired.status).toBe(201);
    expect(retired.body).toMatchObject({ retiredOn, retiredReason: 'Chuyển đổi đất', revision: 2 });
    expect((await retire({ retiredOn, reason: 'Lần nữa' })).body.code).toBe('PLOT_RETIRED');

    const revisions = await farm.manager.get(`/plots/${plotId}/revisions`);
    expect(revisions.body.map((r: { retiredOn: string | null }) => r.retiredOn)).toEqual([
      null,
      retiredOn,
    ]);
    const late = await farm.manager.post('/harvests', {
      plotId,
      seasonId: farm.season.id,
      harvestedOn: `${farm.season.year}-06-10`,
      productId: farm.paddy,
      quantityKg: 100,
    });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'PLOT_RETIRED',
      errors: [{ path: 'plotId', retiredOn }],
    });
    // A harvest from before the retirement, sent late from the field, is still taken.
    const before = await farm.manager.post('/harvests', {
      plotId,
      seasonId: farm.season.id,
      harvestedOn: `${farm.season.year}-05-25`,
      productId: farm.paddy,
      quantityKg: 100,
    });
    expect(before.status).toBe(201);
    expect((await farm.manager.patch(`/plots/${plotId}`, { zoneId: null })).body.code).toBe(
      'PLOT_RETIRED',
    );

    // Off today's map and lists of plots still farmed; the same land takes a new outline.
    const bbox = [
      farm.origin[0] - 0.01,
      farm.origin[1] - 0.01,
      farm.origin[0] + 0.01,
      farm.origin[1] + 0.01,
    ];
    const map = await farm.manager.get(`/plots?bbox=${bbox.join(',')}&zoneId=${farm.zone.id}`);
    expect(map.body.features.map((f: { id: string }) => f.id)).toEqual([farm.plotIds[1]]);
    const farmed = await farm.manager.get(`/plots?householdId=${farm.household.id}&retired=false`);
    expect(farmed.body.items.map((p: { id: string }) => p.id)).toEqual([farm.plotIds[1]]);
    const outline = (await farm.manager.get(`/plots/${plotId}`)).body.geometry;
    const successor = await farm.manager.post(
      '/plots',
      plotBody(farm.household.id, outline, { zoneId: farm.zone.id }),
    );
    expect(successor.status).toBe(201);
  });

  it('is the cooperative’s own to decide: another one gets 404 and nothing changes', async () => {
    const farm = await certifiedFarm(api, 1);
    const other = await certifiedFarm(api, 1);
    const response = await other.manager.post(`/plots/${farm.plotIds[0]}/retire`, {
      retiredOn: todayIso(),
      reason: 'Không phải của mình',
    });
    expect(response.status).toBe(404);
    expect((await farm.manager.get(`/plots/${farm.plotIds[0]}`)).body.retiredOn).toBeNull();
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
  /**
   * Every write operation of the OpenAPI document, run once on a farm whose lots have stored
   * pages; after each, every stored page of the farm's cooperative must equal one rebuilt from
   * scratch. A write that changes what a page shows and forgets to refresh it fails here, and a
   * new write operation must be added to the walk.
   */
  it('leaves no stored page different from one rebuilt from scratch after any write', async () => {
    const w = await walkWorld();
    const documented = await documentedWrites();
    expect(Object.keys(WALK).sort()).toEqual(documented);
    const builder = api.app.get(ProvenanceBuilder);
    for (const [operation, write] of Object.entries(WALK)) {
      const response = await write(w);
      expect(response.status, `${operation}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
      let stored: { lot_id: string; code: string; document: object }[] = [];
      const fresh = new Map<string, unknown>();
      await api.db
        .transaction(async (manager) => {
          // No log batch (another test file's, on a shared database) lands in between.
          await manager.query('SELECT pg_advisory_xact_lock(7236103)');
          stored = await manager.query(
            `SELECT lp.lot_id, lp.code, lp.document FROM lot_provenance lp JOIN lots l ON l.id = lp.lot_id
              WHERE l.cooperative_id = $1 ORDER BY lp.code`,
            [w.farm.cooperative.id],
          );
          for (const page of stored)
            fresh.set(page.lot_id, await builder.rebuild(manager, page.lot_id));
          throw new Error('rolled back: only compared');
        })
        .catch(() => undefined);
      expect(stored.length, operation).toBeGreaterThanOrEqual(2);
      for (const page of stored) {
        expect(withoutBuildTime(page.document), `${operation}: lot ${page.code}`).toEqual(
          withoutBuildTime(JSON.parse(JSON.stringify(fresh.get(page.lot_id)))),
        );
      }
    }
  });
});

/** Everything but the time it was built. */
function withoutBuildTime(document: object): object {
  const { updatedAt: _updatedAt, ...content } = document as Record<string, unknown>;
  return content;
}

async function documentedWrites(): Promise<string[]> {
  const document = (await (await fetch(`${api.url}/api/docs-json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths)
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map(
          (method) =>
            `${method.toUpperCase()} ${path.replace(/^\/api\/v1/, '').replace(/\{(\w+)\}/g, ':$1')}`,
        ),
    )
    .sort();
}

/** A farm with two lots on stored pages, a buyer under contract, and what the walk creates. */
async function walkWorld() {
  const farm = await certifiedFarm(api, 4);
  const first = await harvest(farm, 0, 200);
  const second = await harvest(farm, 1, 200);
  const lots = [
    (await aggregate(farm, [{ harvestId: first.id, quantityKg: 200 }])).body[0],
    (await aggregate(farm, [{ harvestId: second.id, quantityKg: 200 }])).body[0],
  ] as { id: string; code: string }[];
  return {
    farm,
    lots,
    certification: await certificateOf(farm),
    ids: {} as Record<string, string>,
    buyerUser: null as null | Awaited<ReturnType<TestApp['newUser']>>,
  };
}
type World = Awaited<ReturnType<typeof walkWorld>>;
type Write = (w: World) => Promise<{ status: number; body: unknown }>;

const strongPassword = () => `Ruộng lúa rươi mùa ${randomInt(1e9)} chín vàng`;

/** In the order they can run: each may use what an earlier one made (`w.ids`). */
const WALK: Record<string, Write> = {
  'POST /auth/login': async (w) => {
    const session = await api.login(w.farm.manager.username);
    w.ids['refresh'] = session.body.refreshToken;
    return session;
  },
  'POST /auth/refresh': async (w) => {
    const session = await api.post('/auth/refresh', { refreshToken: w.ids['refresh'] });
    w.ids['refresh'] = (session.body as { refreshToken: string }).refreshToken;
    return session;
  },
  'POST /auth/logout': (w) => api.post('/auth/logout', { refreshToken: w.ids['refresh'] }),
  'POST /admin-units': async (w) => {
    const unit = await api.post('/admin-units', {
      code: String(randomInt(10_000, 99_999)),
      name: 'Xã Trước Cải Cách',
      level: 'commune',
      parentId: api.rootUnitId,
      validFrom: '2001-01-01',
    });
    w.ids['commune'] = unit.body.id;
    return unit;
  },
  'POST /admin-units/successions': async (w) => {
    const successor = await api.post('/admin-units', {
      code: String(randomInt(10_000, 99_999)),
      name: 'Xã Sau Cải Cách',
      level: 'commune',
      parentId: api.rootUnitId,
      validFrom: '2025-07-01',
    });
    return api.post('/admin-units/successions', {
      kind: 'rename',
      effectiveOn: '2025-07-01',
      legalBasis: 'Nghị quyết thử',
      predecessorIds: [w.ids['commune']],
      successorIds: [successor.body.id],
    });
  },
  'POST /zones': (w) =>
    api.post('/zones', {
      code: `Z-${randomInt(1e9)}`,
      name: 'Vùng mới',
      kind: 'organic',
      geometry: rectangle(offset(w.farm.origin, 2_000, 2_000), 300, 300),
      communeIds: [w.farm.commune.id],
    }),
  'PATCH /zones/:id': (w) => api.patch(`/zones/${w.farm.zone.id}`, { name: 'Vùng Đổi Tên' }),
  'POST /zones/:id/status-changes': async (w) => {
    await api.post(`/zones/${w.farm.zone.id}/status-changes`, {
      status: 'in_conversion',
      effectiveOn: `${w.farm.season.year - 3}-01-01`,
      reason: 'Chuyển đổi',
    });
    return api.post(`/zones/${w.farm.zone.id}/status-changes`, {
      status: 'certified',
      effectiveOn: `${w.farm.season.year - 1}-01-01`,
      reason: 'Công nhận',
    });
  },
  'POST /certifications': (w) =>
    api.post('/certifications', {
      zoneId: w.farm.zone.id,
      guaranteeType: 'PGS',
      standard: 'TCVN 11041-2:2017',
      body: 'Nhóm PGS thử',
      certificateNumber: `PGS-${randomInt(1e9)}`,
      validFrom: `${w.farm.season.year}-01-01`,
      validTo: `${w.farm.season.year + 2}-12-31`,
      scope: 'zone',
    }),
  'PUT /certifications/:id/document': (w) =>
    api.raw(`/certifications/${w.certification}/document`, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', 'x-filename': 'chung-nhan.pdf' },
      body: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    }),
  'POST /certifications/:id/status-changes': (w) =>
    api.post(`/certifications/${w.certification}/status-changes`, {
      status: 'suspended',
      effectiveOn: `${w.farm.season.year}-05-01`,
      reason: 'Giám sát',
      documentRef: 'BB 1',
    }),
  'POST /cooperatives': (w) =>
    api.post('/cooperatives', {
      name: 'HTX Mới',
      registrationNumber: `HTX-${randomInt(1e9)}`,
      communeId: w.farm.commune.id,
      status: 'active',
    }),
  'PATCH /cooperatives/:id': (w) =>
    api.patch(`/cooperatives/${w.farm.cooperative.id}`, { name: 'HTX Đổi Tên' }),
  'POST /households': async (w) => {
    const household = await api.post('/households', {
      headName: 'Trần Thị Mới',
      idNumber: `031${String(randomInt(0, 1e9)).padStart(9, '0')}`,
      phone: '0987654321',
      communeId: w.farm.commune.id,
      cooperativeId: w.farm.cooperative.id,
      joinedOn: '2020-03-01',
    });
    w.ids['household'] = household.body.id;
    return household;
  },
  // A sheet that renames the farm's household: its commit must refresh the pages naming it.
  'POST /imports': async (w) => {
    const revealed = await api.post(`/households/${w.farm.household.id}/reveal-id`, {
      reason: 'Đối chiếu danh sách nhập',
    });
    const job = await upload(
      api,
      { kind: 'households', cooperativeId: w.farm.cooperative.id },
      Buffer.from(
        `Chủ hộ;Số CCCD;Ngày vào HTX\nNguyễn Văn Nhập;${revealed.body.idNumber};01/01/2020`,
      ),
      'ds.csv',
    );
    w.ids['import'] = job.body.id;
    await api.app.get(ImportService).settled();
    return job;
  },
  'PATCH /imports/:id': async (w) => {
    const job = await api.patch(`/imports/${w.ids['import']}`, { mapping: { phone: null } });
    await api.app.get(ImportService).settled();
    return job;
  },
  'POST /imports/:id/commit': (w) => api.post(`/imports/${w.ids['import']}/commit`, {}),
  'PATCH /households/:id': (w) =>
    api.patch(`/households/${w.farm.household.id}`, { headName: 'Nguyễn Văn Đổi' }),
  'POST /households/:id/consents': async (w) => {
    const consent = await api.post(`/households/${w.farm.household.id}/consents`, {
      scope: 'name_on_provenance_page',
      evidence: 'Phiếu đồng ý',
    });
    w.ids['consent'] = consent.body.id;
    return consent;
  },
  'POST /households/:id/consents/:consentId/revoke': (w) =>
    api.post(`/households/${w.farm.household.id}/consents/${w.ids['consent']}/revoke`, {}),
  'POST /households/:id/reveal-id': (w) =>
    w.farm.manager.post(`/households/${w.farm.household.id}/reveal-id`, {
      reason: 'Đối chiếu hồ sơ',
    }),
  'POST /plots': (w) =>
    w.farm.manager.post(
      '/plots',
      plotBody(w.ids['household']!, rectangle(offset(w.farm.origin, 20, 200), 40, 30), {
        zoneId: w.farm.zone.id,
      }),
    ),
  'POST /plots/import': (w) =>
    w.farm.manager.post('/plots/import', {
      plots: [plotBody(w.ids['household']!, rectangle(offset(w.farm.origin, 20, 260), 40, 30))],
    }),
  'PATCH /plots/:id': (w) => api.patch(`/plots/${w.farm.plotIds[1]}`, { zoneId: null }),
  'POST /seasons': () => newSeasonResponse(),
  'POST /products': () =>
    api.post('/products', {
      code: `GAO-${randomInt(1e9)}`,
      nameVi: 'Gạo thử',
      nameEn: 'Test rice',
      category: 'white_rice',
      gtin: null,
      packSizeKg: 5,
    }),
  'POST /harvests': async (w) => {
    const recorded = await w.farm.manager.post('/harvests', {
      plotId: w.farm.plotIds[2],
      seasonId: w.farm.season.id,
      harvestedOn: w.farm.harvestDay,
      productId: w.farm.paddy,
      quantityKg: 300,
    });
    w.ids['harvest'] = recorded.body.id;
    return recorded;
  },
  'POST /harvests/:id/corrections': (w) =>
    w.farm.manager.post(`/harvests/${w.ids['harvest']}/corrections`, {
      quantityKg: 250,
      reason: 'Cân lại',
    }),
  'POST /lots': async (w) => {
    const made = await aggregate(w.farm, [{ harvestId: w.ids['harvest']!, quantityKg: 250 }]);
    w.ids['lot'] = made.body[0].id;
    return made;
  },
  'POST /lots/:id/seal': (w) => w.farm.manager.post(`/lots/${w.ids['lot']}/seal`, {}),
  'POST /buyers': async (w) => {
    const buyer = await api.post('/buyers', {
      name: 'Công ty Đi Bộ',
      taxCode: String(randomInt(1_000_000_000, 9_999_999_999)),
      province: 'Hà Nội',
    });
    w.ids['buyer'] = buyer.body.id;
    w.buyerUser = await api.newUser('buyer', { buyerId: buyer.body.id });
    return buyer;
  },
  'POST /contracts': async (w) => {
    const contract = await w.farm.manager.post('/contracts', {
      number: `HĐ-${randomInt(1e9)}`,
      buyerId: w.ids['buyer'],
      cooperativeId: w.farm.cooperative.id,
      seasonId: w.farm.season.id,
      productCategory: 'paddy',
      basis: 'quantity',
      contractedKg: 1_000,
      priceVndPerKg: 9_000,
    });
    w.ids['contract'] = contract.body.id;
    return contract;
  },
  'POST /contracts/:id/status': async (w) => {
    await w.farm.manager.post(`/contracts/${w.ids['contract']}/status`, {
      status: 'signed',
      signedOn: w.farm.harvestDay,
    });
    return w.farm.manager.post(`/contracts/${w.ids['contract']}/status`, { status: 'active' });
  },
  'PUT /contracts/:id/document': (w) =>
    w.farm.manager.raw(`/contracts/${w.ids['contract']}/document`, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', 'x-filename': 'hop-dong.pdf' },
      body: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    }),
  'POST /deliveries': async (w) => {
    const delivery = await w.farm.manager.post('/deliveries', {
      contractId: w.ids['contract'],
      deliveredOn: todayIso(),
      destination: 'Kho Hà Nội',
      lots: [{ lotId: w.lots[0]!.id, quantityKg: 50 }],
    });
    w.ids['delivery'] = delivery.body.id;
    return delivery;
  },
  'POST /deliveries/:id/receive': (w) =>
    w.buyerUser!.post(`/deliveries/${w.ids['delivery']}/receive`, { receivedOn: todayIso() }),
  'POST /epcis/capture': (w) =>
    w.buyerUser!.raw('/epcis/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify(partnerDocument(w.lots[0]!.code, `${todayIso()}T09:00:00.000+07:00`)),
    }),
  'POST /epcis/events': (w) =>
    w.buyerUser!.post(
      '/epcis/events',
      partnerDocument(w.lots[0]!.code, `${todayIso()}T10:00:00.000+07:00`).epcisBody.eventList[0],
    ),
  'POST /log/cosignatures': async () => {
    await api.app.get(LogAppender).appendPending();
    const note = await (await fetch(`${api.url}/api/v1/log/checkpoint`)).text();
    return api.post('/log/cosignatures', {
      treeSize: Number(note.split('\n')[1]),
      signature: cosignatureLine(note, TEST_WITNESS.name, TEST_WITNESS.seed),
    });
  },
  // Renamed once it has received a lot, so its name is on a page.
  'PATCH /buyers/:id': (w) => api.patch(`/buyers/${w.ids['buyer']}`, { name: 'Công ty Đổi Tên' }),
  'POST /ocop-products': (w) =>
    api.post('/ocop-products', {
      name: 'Thóc hữu cơ',
      cooperativeId: w.farm.cooperative.id,
      productId: w.farm.paddy,
      score: 75,
      level: 'province',
      certificateNumber: `OCOP-${randomInt(1e9)}`,
      certifiedOn: `${w.farm.season.year}-03-01`,
    }),
  'POST /inspections': async (w) => {
    const found = await api.post('/inspections', {
      kind: 'ICS',
      householdId: w.farm.household.id,
      plannedOn: `${w.farm.season.year}-05-10`,
      inspectedOn: `${w.farm.season.year}-05-10`,
      findings: 'Vi phạm',
      nonCompliances: [
        {
          plotId: w.farm.plotIds[0],
          severity: 'major',
          description: 'Dùng thuốc cỏ',
          deadline: `${w.farm.season.year}-09-01`,
        },
      ],
    });
    w.ids['nonCompliance'] = found.body.nonCompliances[0].id;
    const planned = await api.post('/inspections', {
      kind: 'PGS',
      householdId: w.farm.household.id,
      plannedOn: todayIso(),
      inspectedOn: null,
      findings: null,
      nonCompliances: [],
    });
    w.ids['planned'] = planned.body.id;
    return found;
  },
  'POST /inspections/:id/record': (w) =>
    api.post(`/inspections/${w.ids['planned']}/record`, {
      inspectedOn: todayIso(),
      findings: 'Đạt',
      nonCompliances: [],
    }),
  'POST /non-compliances/:id/close': (w) =>
    api.post(`/non-compliances/${w.ids['nonCompliance']}/close`, {
      closedOn: `${w.farm.season.year}-06-01`,
      reason: 'Đã khắc phục',
    }),
  'POST /targets': (w) =>
    api.post('/targets', {
      adminUnitId: w.farm.commune.id,
      year: w.farm.season.year,
      indicator: 'organic_ha',
      targetValue: 1,
    }),
  'POST /users': async (w) => {
    const user = await api.post('/users', {
      username: `ktv-${randomInt(1e9)}`,
      displayName: 'Kỹ thuật viên',
      password: strongPassword(),
      role: 'coop_member',
      cooperativeId: w.farm.cooperative.id,
    });
    w.ids['user'] = user.body.id;
    return user;
  },
  'PATCH /users/:id': (w) => api.patch(`/users/${w.ids['user']}`, { displayName: 'KTV Đổi Tên' }),
  'DELETE /users/:id': (w) => api.delete(`/users/${w.ids['user']}`),
  'POST /lots/:id/recall': (w) =>
    w.farm.manager.post(`/lots/${w.lots[1]!.id}/recall`, { reason: 'Nghi nhiễm' }),
  'POST /plots/:id/retire': (w) =>
    w.farm.manager.post(`/plots/${w.farm.plotIds[3]}/retire`, {
      retiredOn: todayIso(),
      reason: 'Làm đường',
    }),
  'POST /households/:id/leave': (w) =>
    api.post(`/households/${w.farm.household.id}/leave`, {
      leftOn: todayIso(),
      reason: 'Chuyển nghề',
    }),
  'POST /cooperatives/:id/status-changes': (w) =>
    api.post(`/cooperatives/${w.farm.cooperative.id}/status-changes`, {
      status: 'inactive',
      effectiveOn: todayIso(),
      reason: 'Giải thể',
    }),
};

/** A buyer's receiving of a lot, as another EPCIS system would send it. */
function partnerDocument(lotCode: string, eventTime: string) {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      eventList: [
        {
          type: 'ObjectEvent',
          eventTime,
          eventTimeZoneOffset: '+07:00',
          action: 'OBSERVE',
          bizStep: 'receiving',
          disposition: 'in_progress',
          quantityList: [{ epcClass: `urn:huuco:lot:${lotCode}`, quantity: 50, uom: 'KGM' }],
        },
      ],
    },
  };
}

/** A season far ahead, away from the past ones the other tests draw from. */
async function newSeasonResponse() {
  for (let attempt = 0; attempt < 200; attempt++) {
    const year = randomInt(2040, 2100);
    const response = await api.post('/seasons', {
      year,
      name: 'winter',
      startsOn: `${year}-10-01`,
      endsOn: `${year}-12-31`,
    });
    if (response.status === 201 || response.body.code !== 'SEASON_TAKEN') return response;
  }
  throw new Error('season: every future winter season is taken');
}

describe('pages kept current by their writers', () => {
  it('renames a buyer on the page of every lot it received, at once', async () => {
    const farm = await certifiedFarm(api, 1);
    const h = await harvest(farm, 0, 200);
    const lot = (await aggregate(farm, [{ harvestId: h.id, quantityKg: 200 }])).body[0];
    const {
      buyer,
      user: buyerUser,
      contractId,
    } = await contractedBuyer(api, farm, 'Công ty Tên Cũ');
    const today = todayIso();
    const delivery = await deliver(farm, contractId, lot.id);
    expect(
      (await buyerUser.post(`/deliveries/${delivery.id}/receive`, { receivedOn: today })).status,
    ).toBe(201);
    const url = new URL(lot.provenanceUrl);
    const page = async () => (await fetch(`${api.url}${url.pathname}${url.search}`)).text();
    expect(await page()).toContain('Công ty Tên Cũ');
    await api.patch(`/buyers/${buyer.id}`, { name: 'Công ty Tên Mới' });
    const after = await page();
    expect(after).toContain('Công ty Tên Mới');
    expect(after).not.toContain('Công ty Tên Cũ');
  });
});

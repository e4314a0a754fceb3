import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, session, square } from './support/api.js';
import { launch, logIn, offlinePage } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('a zone suspended today', () => {
  it('shows on the map as suspended, leaves 2023 on the dashboard as it was, and is told on the lot’s page', async () => {
    // A certified zone of its own beside the demo's, with a plot, a harvest and a lot.
    const admin = await session('admin.tuky');
    const manager = await session('htx.anthanh');
    const demoZones = await api<{
      items: { geometry: { coordinates: number[][][] }; communes: { id: string }[] }[];
    }>(admin, '/zones?pageSize=5');
    const [lng, lat] = demoZones.items[0]!.geometry.coordinates[0]![0]!;
    const x = lng! - 0.03;
    const y = lat! - 0.02;
    const name = `Vùng thử đình chỉ ${Date.now().toString(36)}`;
    const zone = await api<{ id: string }>(admin, '/zones', {
      code: `Z-DC-${Date.now().toString(36).toUpperCase()}`,
      name,
      kind: 'organic',
      communeIds: demoZones.items[0]!.communes.map((c) => c.id),
      geometry: square(x, y, 0.004),
    });
    await api(admin, '/certifications', {
      zoneId: zone.id,
      guaranteeType: 'TCVN_THIRD_PARTY',
      standard: 'TCVN 11041-5:2018',
      body: 'Tổ chức chứng nhận thử',
      certificateNumber: `HC-DC-${Date.now().toString(36)}`,
      validFrom: '2024-01-01',
      validTo: '2027-12-31',
      scope: 'zone',
    });
    const households = await api<{ items: { id: string }[] }>(manager, '/households?pageSize=1');
    const plotCode = `DC-${Date.now().toString(36).toUpperCase()}`;
    const plot = await api<{ id: string }>(manager, '/plots', {
      code: plotCode,
      householdId: households.items[0]!.id,
      zoneId: zone.id,
      farmingSystem: 'organic_rice',
      conversionStartedOn: '2020-01-01',
      geometry: square(x + 0.001, y + 0.001, 0.0005),
    });
    const today = new Date().toISOString().slice(0, 10);
    const seasons = await api<{ id: string; startsOn: string; endsOn: string }[]>(
      manager,
      '/seasons',
    );
    const season =
      seasons.find((s) => s.startsOn <= today && today <= s.endsOn) ??
      seasons.filter((s) => s.endsOn <= today).sort((a, b) => (a.endsOn < b.endsOn ? 1 : -1))[0]!;
    const harvestedOn = season.endsOn < today ? season.endsOn : today;
    const products = await api<{ id: string; code: string }[]>(manager, '/products');
    const paddy = products.find((p) => p.code === 'PADDY')!.id;
    const harvest = await api<{ id: string }>(manager, '/harvests', {
      plotId: plot.id,
      seasonId: season.id,
      harvestedOn,
      productId: paddy,
      quantityKg: 80,
    });
    const [lot] = await api<{ provenanceUrl: string }[]>(manager, '/lots', {
      process: 'aggregation',
      occurredOn: harvestedOn,
      inputs: [{ harvestId: harvest.id, quantityKg: 80 }],
      outputs: [{ productId: paddy, quantityKg: 80 }],
    });
    for (const [status, effectiveOn] of [
      ['in_conversion', '2020-01-01'],
      ['certified', '2024-01-01'],
      ['suspended', today],
    ]) {
      await api(admin, `/zones/${zone.id}/status-changes`, {
        status,
        effectiveOn,
        reason: status === 'suspended' ? 'Nguồn nước tưới bị nhiễm bẩn' : 'Quyết định công nhận',
      });
    }

    // The map: the plot found by its code is suspended today.
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    await page.getByRole('searchbox').fill(plotCode);
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('button', { name: `Thửa ruộng ${plotCode}` }).click();
    const panel = page.getByRole('complementary', { name: 'Thửa ruộng' });
    await expect.poll(() => panel.textContent()).toContain(`Thửa ruộng ${plotCode}`);
    await expect.poll(() => panel.textContent()).toContain('Tạm đình chỉ');

    // The dashboard: 2023 as it was.
    await page.goto(`${baseUrl}/app/dashboard`);
    await page.getByLabel('Năm').selectOption('2023');
    const area = page.locator('.card').filter({ hasText: 'Diện tích hữu cơ (ha)' });
    await expect.poll(() => area.textContent()).toContain('Vượt chỉ tiêu');
    expect(await area.textContent()).toMatch(/chỉ tiêu 50/);

    // The lot's page: organic as harvested, and today's suspension told with its reason.
    const phone = await offlinePage(browser, 360, 740);
    await phone.goto(`${baseUrl}${lot!.provenanceUrl.replace(/^https?:\/\/[^/]+/, '')}`);
    await expect.poll(() => phone.locator('body').textContent()).toContain('Mã chính hãng');
    const text = (await phone.locator('body').textContent())!;
    expect(text).toContain(`vùng ${name} bị đình chỉ: Nguồn nước tưới bị nhiễm bẩn`);
  });
});

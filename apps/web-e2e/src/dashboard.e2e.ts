import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ARTIFACTS, launch, logIn, offlinePage } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('the district dashboard', () => {
  it('shows 2023 targets with live progress, the zones by progress, and exports the report', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky', '/app/dashboard');
    await page.getByLabel('Năm').selectOption('2023');
    const area = page.locator('.card').filter({ hasText: 'Diện tích hữu cơ (ha)' });
    await expect.poll(() => area.textContent()).toContain('Vượt chỉ tiêu');
    expect(await area.textContent()).toMatch(/chỉ tiêu 50/);
    expect(await area.getAttribute('href')).toBe('/app');
    const households = page.locator('.card').filter({ hasText: 'Số hộ tham gia' });
    expect(await households.textContent()).toContain('Chưa đạt');
    // The demo's two zones, and any a browser test before this one has added.
    await expect
      .poll(async () =>
        Number((await page.locator('.contract-map').getAttribute('data-zones')) ?? 0),
      )
      .toBeGreaterThanOrEqual(2);
    expect(await page.locator('.choropleth-legend').textContent()).toContain('An Thanh');
    expect(await page.locator('table').last().textContent()).toContain('hết hiệu lực');
    await page.screenshot({ path: resolve(ARTIFACTS, 'dashboard.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Tải Excel' }).first().click(),
    ]);
    expect(download.suggestedFilename()).toBe('huuco-targets.xlsx');
  });

  it('shows an open major non-compliance, and the plot suspended on the map panel', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'kiemtra.tuky', '/app/inspections');
    await expect.poll(() => page.locator('.nc-open').count()).toBe(1);
    expect(await page.locator('.nc-open').textContent()).toContain('Nặng');
    expect(await page.locator('.card-figure').textContent()).toMatch(/\d+ %/);

    // Plan an inspection, then record what it found.
    await page.getByLabel('Hộ', { exact: true }).fill('Trần');
    await page.getByRole('listbox').getByRole('option').first().click();
    await page.getByLabel('Chỉ lên kế hoạch, chưa kiểm tra').check();
    await page.locator('form').getByRole('button', { name: 'Ghi kết quả' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Đã ghi kết quả kiểm tra');
    // A planned inspection opens as its own record, where its findings are recorded.
    await page
      .getByRole('row')
      .filter({ hasText: '(kế hoạch)' })
      .first()
      .getByRole('link')
      .first()
      .click();
    await page.waitForURL(/\/app\/inspections\/[0-9a-f-]{36}$/);
    const record = page.url();
    await page.getByLabel('Kết quả').fill('Đạt yêu cầu');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('Đạt yêu cầu');
    expect(await page.getByRole('heading', { name: 'Ghi kết quả' }).count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('kiemtra.tuky');

    // The open major non-compliance is closed through a form; a reason too short is refused in words.
    await page.goto(`${baseUrl}/app/inspections?q=${encodeURIComponent('hoá học')}`);
    await page
      .locator('.nc-open')
      .first()
      .locator('xpath=ancestor::tr')
      .getByRole('link')
      .first()
      .click();
    await page.waitForURL(
      (url) => url.href !== record && /inspections\/[0-9a-f-]{36}$/.test(url.href),
    );
    await page.getByRole('button', { name: 'Đóng vi phạm' }).click();
    await page.getByLabel('Đã khắc phục thế nào?').fill('ok');
    await page.getByRole('button', { name: 'Lưu' }).click();
    // The close form's own limit (3), not another form's that shares the field's name.
    await expect
      .poll(() => page.locator('.field-error').textContent())
      .toBe('Ghi lý do, ít nhất 3 ký tự.');
    await page.screenshot({ path: resolve(ARTIFACTS, 'inspection-record.png'), fullPage: true });
    expect(await page.locator('.nc-open').count()).toBe(1);
  });

  it('an inspector records an inspection with a non-compliance on a phone in English; a field at fault is shown beside it, in words', async () => {
    const page = await offlinePage(browser, 360, 740);
    await page.addInitScript(() => localStorage.setItem('huuco.language', 'en'));
    await logIn(page, baseUrl, 'kiemtra.tuky', '/app/inspections');
    await page.getByLabel('Household', { exact: true }).fill('Trần');
    await page.getByRole('listbox').getByRole('option').first().click();
    await page.getByLabel('Findings').fill('Plastic waste on the plot bund');
    await page.getByRole('button', { name: 'Add a non-compliance' }).click();
    await page.getByLabel('What was found').fill('ab');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    const row = page.locator('fieldset.nc-row');
    await expect.poll(() => row.locator('.field-error').count()).toBe(1);
    expect(await row.locator('.field-error').textContent()).toMatch(/3/);
    expect(await row.getByLabel('What was found').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );

    await page.getByLabel('What was found').fill('Plastic waste left on the bund');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Inspection recorded');
    await page.goto(`${baseUrl}/app/inspections?q=${encodeURIComponent('Plastic waste on')}`);
    await expect
      .poll(() => page.getByRole('table').textContent())
      .toContain('Plastic waste left on the bund');
  });
});

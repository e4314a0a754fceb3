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

describe('contracts in the browser', () => {
  it('a buyer sees its contract and the plots it covers, confirms a delivery, and the lot’s page then names the buyer', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'buyer.hanoi', '/app/contracts');
    await page.getByRole('button', { name: '02/2025/HĐBT-AT' }).click();
    await expect
      .poll(
        async () => Number((await page.locator('.contract-map').getAttribute('data-plots')) ?? 0),
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(100);
    const waiting = page.locator('.deliveries > li').filter({ hasText: 'chờ xác nhận' });
    const lotLink = waiting.getByRole('link').first();
    const href = (await lotLink.getAttribute('href'))!;
    await page.screenshot({ path: resolve(ARTIFACTS, 'contract-buyer.png'), fullPage: true });
    await waiting.getByRole('button', { name: 'Xác nhận đã nhận' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Đã xác nhận nhận hàng');
    await expect
      .poll(() => page.locator('.deliveries > li').filter({ hasText: 'chờ xác nhận' }).count())
      .toBe(0);

    const phone = await offlinePage(browser, 360, 740);
    await phone.goto(`${baseUrl}${href.replace(/^https?:\/\/[^/]+/, '')}`);
    const text = (await phone.locator('body').textContent())!;
    expect(text).toContain('Mã chính hãng');
    expect(text).toContain('Công ty CP Nông sản Sạch Hà Nội');
    expect(text).toContain('02/2025/HĐBT-AT');
  });

  it('a cooperative manager drafts a whole-area contract and signs it', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'htx.anthanh', '/app/contracts');
    await page.getByRole('button', { name: 'Hợp đồng mới' }).click();
    await page.getByLabel('Số hợp đồng').fill('07/2026/HĐBT-AT');
    await page
      .getByLabel('Doanh nghiệp')
      .selectOption({ label: 'Công ty CP Nông sản Sạch Hà Nội (minh hoạ)' });
    await page.getByLabel('Vụ').selectOption({ label: 'Vụ mùa 2026' });
    await page
      .getByLabel('Vùng sản xuất')
      .selectOption({ label: 'Vùng lúa hữu cơ trên đất rươi An Thanh' });
    await page.getByLabel('Đơn giá (₫/kg)').fill('34000');
    await page.getByRole('button', { name: 'Lưu bản dự thảo' }).click();
    await expect
      .poll(() => page.locator('.trace-view h2').textContent())
      .toContain('07/2026/HĐBT-AT');
    expect(await page.locator('.trace-view').textContent()).toContain('Dự thảo');
    await page.getByRole('button', { name: 'Đã ký' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Đã ký');
    await page.getByLabel('Tải lên bản ký (PDF, JPEG, PNG)').setInputFiles({
      name: 'hop-dong-07.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    });
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Đã lưu bản ký hop-dong-07.pdf');
    await expect.poll(() => page.getByRole('button', { name: 'hop-dong-07.pdf' }).count()).toBe(1);
  });

  it('a cooperative manager delivers a lot against the whole-area contract', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'htx.anthanh', '/app/contracts');
    await page.getByRole('button', { name: '02/2025/HĐBT-AT' }).click();
    await page.getByRole('button', { name: 'Giao hàng' }).click();
    const lot = page
      .locator('.trace-form label')
      .filter({ hasText: /25M-\w{6}/ })
      .first();
    const left = Number(
      (await lot.textContent())!.match(/còn ([\d.]+) kg/)![1]!.replace(/\./g, ''),
    );
    await lot.getByRole('textbox').fill(String(left));
    await page.getByLabel('Nơi nhận').fill('Kho Long Biên, Hà Nội');
    await page.getByRole('button', { name: 'Ghi giao hàng' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Đã ghi lần giao hàng');
    await expect
      .poll(() => page.locator('.deliveries > li').first().textContent())
      .toContain('Kho Long Biên');
  });

  it('district staff see the share of organic area under contract and fulfilment by cooperative', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky', '/app/contracts');
    await expect.poll(() => page.locator('.card-figure').textContent()).toMatch(/\d+(,\d)? %/);
    const row = page
      .getByRole('row')
      .filter({ hasText: 'Vụ xuân 2025' })
      .filter({ hasText: 'An Thanh' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/₫/);
  });
});

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

describe('from harvest to label', () => {
  it('a cooperative manager records a harvest on a phone, makes a lot, prints its labels, and the QR page tells its story', async () => {
    const page = await offlinePage(browser, 360, 740);
    await logIn(page, baseUrl, 'htx.anthanh', '/app/harvests');

    // A rươi catch this autumn, on a phone.
    await page.getByLabel('Thửa').fill('AT-000');
    await page.getByRole('listbox').getByRole('option').first().click();
    const plotCode = await page.getByLabel('Thửa').inputValue();
    await page.getByLabel('Sản phẩm').selectOption({ label: 'Rươi' });
    await page.getByLabel('Ngày thu').fill('2026-11-10');
    await page.getByLabel('Khối lượng (kg)').fill('42,5');
    await page.getByLabel('Ngày âm lịch (không bắt buộc)').fill('20/9');
    await page.getByRole('button', { name: 'Ghi thu hoạch' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain(`42,5 kg từ thửa ${plotCode}`);

    // Gathered into a lot.
    await page.goto(`${baseUrl}/app/lots`);
    await page.getByRole('button', { name: 'Gom thu hoạch thành lô' }).click();
    await page.getByRole('checkbox', { name: new RegExp(`${plotCode}.*42,5 kg`) }).check();
    await page.getByRole('button', { name: 'Tạo lô' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(/Đã tạo lô \d\dA-\w{6}/);
    const code = (await page.getByRole('status').textContent())!.match(/\d\dA-\w{6}/)![0];

    // Found again by its code, as any list is searched.
    await page.getByRole('searchbox').fill(code);
    await page.getByRole('button', { name: 'Tìm' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);

    // Labels: an A4 PDF with the lot's signed QR.
    const row = page.getByRole('row').filter({ hasText: code });
    const [pdf] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/lots/labels.pdf')),
      row.getByRole('button', { name: 'In nhãn' }).click(),
    ]);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // The trace view gives the address the QR carries; a phone opening it sees the lot's story.
    await row.getByRole('button', { name: code }).click();
    const href = await page
      .getByRole('link', { name: 'Mở trang truy xuất công khai' })
      .getAttribute('href');
    const publicPath = href!.replace(/^https?:\/\/[^/]+/, '');
    // The open trace is in the address: a reload opens it again.
    expect(page.url()).toMatch(/[?&]lot=[0-9a-f-]{36}/);
    await page.reload();
    await page.getByRole('link', { name: 'Mở trang truy xuất công khai' }).waitFor();
    await page.screenshot({ path: resolve(ARTIFACTS, 'lot-record-phone.png'), fullPage: true });
    const phone = await offlinePage(browser, 360, 740);
    await phone.goto(`${baseUrl}${publicPath}`);
    await expect.poll(() => phone.locator('body').textContent()).toContain('Mã chính hãng');
    const text = (await phone.locator('body').textContent())!;
    expect(text).toContain(code);
    expect(text).toContain(plotCode);
    expect(text).toContain('Rươi');
    expect(text).toContain('âm lịch 20/9');
    await phone.screenshot({ path: resolve(ARTIFACTS, 'provenance-phone.png'), fullPage: true });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );

    // An altered signature is answered "not genuine".
    // (The first character is swapped for one it is not, whichever it was.)
    await phone.goto(
      `${baseUrl}${publicPath.replace(/s=(.)/, (_, first: string) => `s=${first === 'A' ? 'B' : 'A'}`)}`,
    );
    await expect.poll(() => phone.locator('body').textContent()).toContain('Mã không xác thực');
  });
});

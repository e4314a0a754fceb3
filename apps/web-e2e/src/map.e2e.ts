import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ARTIFACTS, launch, logIn, offlinePage, openMenu } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('the zone map', () => {
  it('shows the demo zones and their plots, coloured by status, without map tiles', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky');
    await expect.poll(() => page.getByText('Dữ liệu minh hoạ').count()).toBe(1);
    await page.getByText('Vùng lúa hữu cơ trên đất rươi An Thanh').first().waitFor();
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    const shown = Number((await page.getByRole('status').textContent())?.match(/\d+/)?.[0]);
    expect(shown).toBeGreaterThan(500);
    await page.screenshot({ path: resolve(ARTIFACTS, 'map.png') });
  });

  it('opens a plot’s panel on click, with its area in ha and sào and its status reason', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    const map = page.getByTestId('map');
    const box = (await map.boundingBox())!;
    const panel = page.getByRole('complementary', { name: 'Thửa ruộng' });
    // A click can land on a bank between plots: try a few spots, as a person would.
    for (const [dx, dy] of [
      [40, 30],
      [-60, 10],
      [10, -50],
      [90, 80],
    ]) {
      await page.mouse.click(box.x + box.width / 2 + dx!, box.y + box.height / 2 + dy!);
      if (
        await panel.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    await panel.waitFor();
    await expect.poll(() => panel.textContent()).toMatch(/Thửa ruộng (AT|QT)-\d{4}/);
    const text = (await panel.textContent())!;
    expect(text).toMatch(/ha · [\d,]+ sào/);
    expect(text).toMatch(/Đã chứng nhận|Đang chuyển đổi/);
    await page.screenshot({ path: resolve(ARTIFACTS, 'plot-panel.png') });
  });

  it('switches to English and back', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'admin.tuky');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Demo data — not real figures.').waitFor();
    await page.getByText('Certified').first().waitFor();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByText('Đã chứng nhận').first().waitFor();
  });

  it('lists the registry, including the inactive Thới Bình cooperative, on a 360-px phone', async () => {
    const page = await offlinePage(browser, 360, 740);
    await logIn(page, baseUrl, 'buyer.hanoi', '/app/registry');
    await openMenu(page);
    await page.getByRole('link', { name: 'Sổ đăng ký' }).click();
    await page.getByText('HTX Thủy sản Tân Lộc').waitFor();
    const row = page.getByRole('row', { name: /HTX Thủy sản Tân Lộc/ });
    await expect.poll(() => row.textContent()).toContain('Ngừng hoạt động');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await page.screenshot({ path: resolve(ARTIFACTS, 'registry-phone.png'), fullPage: true });
  });

  it('finds a plot by its code and flies to it', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    await page.getByRole('searchbox').fill('QT-0005');
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('button', { name: 'Thửa ruộng QT-0005' }).click();
    const panel = page.getByRole('complementary', { name: 'Thửa ruộng' });
    await expect.poll(() => panel.textContent()).toContain('Thửa ruộng QT-0005');
    await expect.poll(() => panel.textContent()).toContain('Đang chuyển đổi');
  });

  it('shows counts instead of polygons when zoomed out', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'admin.tuky');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    await page.locator('.leaflet-control-zoom-out').click();
    await page.waitForTimeout(400);
    await page.locator('.leaflet-control-zoom-out').click();
    await page.getByText(/thửa trong khung nhìn — phóng to để xem từng thửa/).waitFor();
    await page.screenshot({ path: resolve(ARTIFACTS, 'map-zoomed-out.png') });
  });

  it('filters the plots by organic status and by cooperative', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    const shown = async () =>
      Number((await page.getByRole('status').first().textContent())?.match(/\d+/)?.[0]);
    const all = await shown();
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.getByLabel('Tình trạng hữu cơ').selectOption({ label: 'Đang chuyển đổi' });
    await expect.poll(shown).toBeLessThan(all / 2);
    await expect.poll(shown).toBeGreaterThan(0);
    await page.getByLabel('Tình trạng hữu cơ').selectOption({ label: 'Tất cả' });
    await page.getByLabel('Hợp tác xã').selectOption({ label: 'HTX Nông nghiệp Quang Trung' });
    await expect.poll(shown).toBe(0);
  });
});

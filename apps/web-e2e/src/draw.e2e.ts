import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ARTIFACTS, drawSquare, launch, logIn, offlinePage } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

describe('drawing a plot', () => {
  it('tells a cooperative manager in words why an overlapping plot is refused', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'htx.anthanh');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    const box = (await page.getByTestId('map').boundingBox())!;
    await drawSquare(page, box.x + box.width / 2 - 30, box.y + box.height / 2 - 30, 60);
    const form = page.getByRole('complementary', { name: 'Thửa mới' });
    await form.waitFor();
    expect(await form.textContent()).toMatch(/Diện tích: [\d,]+ ha · [\d,]+ sào/);
    await page.getByLabel('Mã thửa', { exact: true }).fill('AT-9001');
    await page.getByRole('button', { name: 'Lưu thửa' }).click();
    const alert = page.getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toMatch(/Thửa mới chồng lấn thửa AT-\d{4} [\d.]+ % diện tích/);
    expect(await alert.textContent()).not.toContain('{');
    await page.screenshot({ path: resolve(ARTIFACTS, 'draw-overlap.png') });
  });

  it('saves a valid plot drawn outside the zones and shows it on the map', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'htx.anthanh');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    const before = Number(
      (await page.getByRole('status').first().textContent())?.match(/\d+/)?.[0],
    );
    const box = (await page.getByTestId('map').boundingBox())!;
    await drawSquare(page, box.x + 120, box.y + box.height - 140, 24);
    await page.getByRole('complementary', { name: 'Thửa mới' }).waitFor();
    await page.getByLabel('Mã thửa', { exact: true }).fill('AT-9002');
    await page.getByLabel('Vùng sản xuất').selectOption({ label: '— Không thuộc vùng —' });
    await page.getByRole('button', { name: 'Lưu thửa' }).click();
    await expect
      .poll(async () =>
        Number((await page.getByRole('status').first().textContent())?.match(/\d+/)?.[0]),
      )
      .toBe(before + 1);
  });

  it('works on a 360-px phone: find a plot, see its panel, draw a plot', async () => {
    const page = await offlinePage(browser, 360, 740);
    await logIn(page, baseUrl, 'htx.anthanh');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    await page.getByRole('searchbox').fill('AT-0012');
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('button', { name: 'Thửa ruộng AT-0012' }).click();
    const panel = page.getByRole('complementary', { name: 'Thửa ruộng' });
    await expect.poll(() => panel.textContent()).toContain('Thửa ruộng AT-0012');
    expect(await panel.textContent()).toMatch(/sào/);
    // Its harvests, since there are some.
    await expect.poll(() => panel.textContent()).toMatch(/Thu hoạch\d{2}\/05\/2024 · Thóc/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await page.screenshot({ path: resolve(ARTIFACTS, 'phone-plot-panel.png') });
    await page.getByRole('button', { name: 'Đóng' }).click();

    const box = (await page.getByTestId('map').boundingBox())!;
    // On a phone the outline is closed with Geoman's Finish button rather than the first corner.
    await page.locator('.leaflet-pm-icon-polygon').click();
    const [x, y] = [box.x + box.width / 2 - 20, box.y + box.height * 0.62];
    for (const [cx, cy] of [
      [x, y],
      [x + 40, y],
      [x + 40, y + 40],
      [x, y + 40],
    ]) {
      await page.mouse.click(cx!, cy!);
      await page.waitForTimeout(80);
    }
    await page.getByRole('button', { name: 'Hoàn tất' }).click();
    const form = page.getByRole('complementary', { name: 'Thửa mới' });
    await form.waitFor();
    expect(await form.textContent()).toMatch(/Diện tích: [\d,]+ ha · [\d,]+ sào/);
    await page.screenshot({ path: resolve(ARTIFACTS, 'phone-draw.png') });
  });

  it('offers no drawing tool to roles that cannot change plots', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky');
    await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
    expect(await page.locator('.leaflet-pm-icon-polygon').count()).toBe(0);
  });
});

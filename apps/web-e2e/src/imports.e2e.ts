import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ARTIFACTS,
  DEMO_PASSWORD,
  launch,
  logIn,
  offlinePage,
  openMenu,
} from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function api<T>(path: string): Promise<T> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'htx.anthanh', password: DEMO_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return (await response.json()) as T;
}

async function choose(page: Page, name: string, content: string) {
  await page
    .locator('input[type=file]')
    .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(content) });
  await page.getByRole('button', { name: 'Tải lên và kiểm tra' }).click();
}

const idNumber = () => `001${String(randomInt(0, 1e9)).padStart(9, '0')}`;

describe('importing files in the browser', () => {
  it('shows each mistake of a household list on its row, then imports the fixed list', async () => {
    const page = await offlinePage(browser, 360, 740);
    await logIn(page, baseUrl, 'htx.anthanh', '/app/imports');
    await openMenu(page);
    await page.getByRole('link', { name: 'Nhập tệp' }).click();
    const [a, b] = [idNumber(), idNumber()];
    const header = 'DANH SÁCH HỘ\nChủ hộ;Số CCCD;SĐT;Ngày vào HTX';
    await choose(
      page,
      'ds-ho.csv',
      `${header}\nVũ Thị Nhập;${a};0912345678;01/03/2021\nĐỗ Văn Sai;12345;0912345679;01/03/2021\n`,
    );
    await expect
      .poll(() => page.locator('.import-counts').textContent(), { timeout: 15_000 })
      .toBe('1 mới · 0 cập nhật · 0 không đổi · 1 lỗi');
    const wrong = page.locator('tr.verdict-error');
    expect(await wrong.textContent()).toContain('Số CCCD: Số CCCD phải có đủ 12 chữ số.');
    expect(await page.getByRole('button', { name: 'Nhập vào sổ đăng ký' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Tải các dòng lỗi (XLSX)' }).count()).toBe(1);
    await page.screenshot({ path: resolve(ARTIFACTS, 'import-households-errors.png') });

    await choose(
      page,
      'ds-ho.csv',
      `${header}\nVũ Thị Nhập;${a};0912345678;01/03/2021\nĐỗ Văn Sửa;${b};0912345679;01/03/2021\n`,
    );
    await expect
      .poll(() => page.locator('.import-counts').textContent(), { timeout: 15_000 })
      .toBe('2 mới · 0 cập nhật · 0 không đổi · 0 lỗi');
    await page.getByRole('button', { name: 'Nhập vào sổ đăng ký' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Đã nhập vào sổ đăng ký.');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    // Nothing in the page scrolls sideways either (a wide table scrolls in its own box).
    const sideways = await page.evaluate(() => {
      const box = document.querySelector('.imports')!;
      return box.scrollWidth - box.clientWidth;
    });
    expect(sideways).toBeLessThanOrEqual(0);
    const found = await api<{ items: { headName: string }[] }>(
      `/households?q=${encodeURIComponent('Đỗ Văn Sửa')}`,
    );
    expect(found.items.map((h) => h.headName)).toContain('Đỗ Văn Sửa');
    await page.close();
  });

  it('draws a plot file on the map with its errors in red, and imports it once fixed', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'htx.anthanh', '/app/imports');
    const household = (await api<{ items: { code: string }[] }>('/households?pageSize=1'))
      .items[0]!;
    // Far from the demo's fields, on no zone: the plots meet nothing but each other.
    const lng = 105.2 + randomInt(0, 1000) / 10_000;
    const lat = 10.1 + randomInt(0, 1000) / 10_000;
    const square = (dx: number, code: string) => ({
      type: 'Feature',
      properties: { MA_THUA: code, MA_HO: household.code },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [lng + dx, lat],
            [lng + dx + 0.0004, lat],
            [lng + dx + 0.0004, lat + 0.0003],
            [lng + dx, lat + 0.0003],
            [lng + dx, lat],
          ],
        ],
      },
    });
    const codes = [0, 1, 2].map((i) => `E2E-${randomInt(1e6)}-${i}`);
    await page.locator('select').first().selectOption('plots');
    await choose(
      page,
      'thua.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [square(0, codes[0]!), square(0.001, codes[1]!), square(0.0001, codes[2]!)],
      }),
    );
    await expect
      .poll(() => page.locator('.import-counts').textContent(), { timeout: 15_000 })
      .toBe('2 mới · 0 cập nhật · 0 không đổi · 1 lỗi');
    const map = page.getByRole('img', { name: 'import-map' });
    expect(await map.getAttribute('data-plots')).toBe('3');
    expect(await map.getAttribute('data-errors')).toBe('1');
    expect(await page.locator('tr.verdict-error').textContent()).toContain(
      'Chồng lấn thửa khác quá 5 % diện tích.',
    );
    await page.screenshot({ path: resolve(ARTIFACTS, 'import-plots-preview.png') });

    await choose(
      page,
      'thua.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [square(0, codes[0]!), square(0.001, codes[1]!)],
      }),
    );
    await expect
      .poll(() => page.locator('.import-counts').textContent(), { timeout: 15_000 })
      .toBe('2 mới · 0 cập nhật · 0 không đổi · 0 lỗi');
    await page.getByRole('button', { name: 'Nhập vào sổ đăng ký' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Đã nhập vào sổ đăng ký.');
    const plots = await api<{ items: { code: string }[] }>(`/plots?q=${codes[0]}`);
    expect(plots.items.map((p) => p.code)).toEqual([codes[0]]);
    await page.close();
  });
});

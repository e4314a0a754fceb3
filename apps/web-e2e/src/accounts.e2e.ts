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

/** What each demo account finds in the navigation: only what its role can use. */
const NAVIGATION: Record<string, string[]> = {
  'admin.tuky': [
    'Bản đồ',
    'Sổ đăng ký',
    'Hộ gia đình',
    'Doanh nghiệp',
    'Nhập tệp',
    'Thu hoạch',
    'Lô hàng',
    'Hợp đồng',
    'Tổng quan',
    'Kiểm tra nội bộ',
    'Tài khoản',
    'Nhật ký',
  ],
  'staff.tuky': [
    'Bản đồ',
    'Sổ đăng ký',
    'Hộ gia đình',
    'Doanh nghiệp',
    'Thu hoạch',
    'Lô hàng',
    'Hợp đồng',
    'Tổng quan',
    'Kiểm tra nội bộ',
  ],
  'kiemtra.tuky': [
    'Bản đồ',
    'Sổ đăng ký',
    'Hộ gia đình',
    'Thu hoạch',
    'Lô hàng',
    'Tổng quan',
    'Kiểm tra nội bộ',
  ],
  'htx.anthanh': [
    'Bản đồ',
    'Sổ đăng ký',
    'Hộ gia đình',
    'Doanh nghiệp',
    'Nhập tệp',
    'Thu hoạch',
    'Lô hàng',
    'Hợp đồng',
    'Kiểm tra nội bộ',
  ],
  'xavien.anthanh': ['Bản đồ', 'Sổ đăng ký', 'Thu hoạch', 'Lô hàng'],
  'buyer.hanoi': ['Bản đồ', 'Sổ đăng ký', 'Doanh nghiệp', 'Lô hàng', 'Hợp đồng'],
  'htx.thoibinh': [
    'Bản đồ',
    'Sổ đăng ký',
    'Hộ gia đình',
    'Doanh nghiệp',
    'Nhập tệp',
    'Thu hoạch',
    'Lô hàng',
    'Hợp đồng',
    'Kiểm tra nội bộ',
  ],
};

describe('accounts in the browser', () => {
  it('asks for a login first and says clearly when the password is wrong', async () => {
    const page = await offlinePage(browser);
    await page.goto(baseUrl);
    await page.getByLabel('Tên đăng nhập').fill('htx.anthanh');
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Sai tên đăng nhập hoặc mật khẩu.');
  });

  for (const [username, expected] of Object.entries(NAVIGATION)) {
    it(`shows ${username} only what the role can use`, async () => {
      const page = await offlinePage(browser);
      await logIn(page, baseUrl, username);
      const links = await page.locator('header nav a').allTextContents();
      expect(links.filter((l) => l !== 'Tài liệu API')).toEqual(expected);
    });
  }

  it('shows a cooperative manager its own households only, ID numbers masked, and keeps the session on reload', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'htx.thoibinh', '/app/households');
    await page.getByRole('link', { name: 'Hộ gia đình' }).click();
    await page.getByText(/Trang 1\/1 · 14 bản ghi/).waitFor();
    const headers = await page.locator('thead th').allTextContents();
    const column = headers.indexOf('Số CCCD') + 1;
    expect(column).toBeGreaterThan(0);
    const ids = await page.locator(`tbody tr td:nth-child(${column})`).allTextContents();
    expect(ids).toHaveLength(14);
    expect(ids.every((id) => /^096\*{6}\d{3}$/.test(id))).toBe(true);
    await page.reload();
    await page.getByText(/14 bản ghi/).waitFor();
    await page.screenshot({ path: resolve(ARTIFACTS, 'households-thoibinh.png') });
  });

  it('logs out back to the login form', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'admin.tuky', '/app/audit');
    await page.getByRole('link', { name: 'Nhật ký' }).click();
    await page.getByText('auth.login').first().waitFor();
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('form', { name: 'Đăng nhập' }).waitFor();
    await page.reload();
    await page.getByRole('form', { name: 'Đăng nhập' }).waitFor();
  });
});

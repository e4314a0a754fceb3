import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, session, square } from './support/api.js';
import { ARTIFACTS, drawSquare, launch, logIn, offlinePage, openMenu } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const idNumber = () => `001${String(randomInt(0, 1e9)).padStart(9, '0')}`;
const PDF = Buffer.from('%PDF-1.4\n% giấy chứng nhận\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** The error shown beside a field, by the field's label. */
const fieldError = (page: Page, label: string | RegExp) =>
  page.locator('.field').filter({ hasText: label }).locator('.field-error');

describe('the registry in the browser', () => {
  for (const [device, width] of [
    ['a desktop', 1280],
    ['a 360-px phone', 360],
  ] as const) {
    it(`a cooperative manager registers a household with its consent and draws its plot, on ${device}`, async () => {
      const page = await offlinePage(browser, width, width === 360 ? 740 : 800);
      await logIn(page, baseUrl, 'htx.anthanh', '/app/households');
      await page.getByRole('link', { name: 'Đăng ký hộ mới' }).click();

      // Mistakes are said beside their field, in Vietnamese, before anything is sent.
      await page.getByRole('button', { name: 'Lưu' }).click();
      await expect.poll(() => page.locator('.field-error').count()).toBeGreaterThanOrEqual(2);
      await page.getByLabel('Chủ hộ', { exact: true }).fill('Phạm Thị Đăng Ký');
      await page.getByLabel('Số CCCD').fill('0012345');
      await page.getByLabel('Điện thoại').fill('912');
      await page.getByRole('button', { name: 'Lưu' }).click();
      await expect
        .poll(() => fieldError(page, 'Số CCCD').textContent())
        .toBe('Số CCCD có 12 chữ số.');
      expect(await fieldError(page, 'Điện thoại').textContent()).toBe(
        'Số điện thoại có 10 chữ số, bắt đầu bằng 0.',
      );

      const id = idNumber();
      await page.getByLabel('Số CCCD').fill(id);
      await page.getByLabel('Điện thoại').fill('0912000111');
      await page.getByLabel('Thôn').fill('Thôn Đông');
      await page.getByLabel(/Hộ đồng ý hiện tên chủ hộ/).check();
      await page.getByRole('button', { name: 'Lưu' }).click();
      await page.getByRole('heading', { name: /Phạm Thị Đăng Ký · H\d{4}/ }).waitFor();
      const recordUrl = page.url();
      expect(recordUrl).toMatch(/\/app\/households\/[0-9a-f-]{36}$/);
      await expect
        .poll(() => page.locator('section').filter({ hasText: 'Sự đồng ý' }).textContent())
        .toContain('Đang có hiệu lực');

      // The page is its own address: a reload opens it again.
      await page.reload();
      await page.getByRole('heading', { name: /Phạm Thị Đăng Ký/ }).waitFor();
      await page.screenshot({
        path: resolve(ARTIFACTS, `household-record-${width}.png`),
        fullPage: true,
      });

      // The same ID number twice is refused by the server, and said beside the field.
      await page.goto(`${baseUrl}/app/households/new`);
      await page.getByLabel('Chủ hộ', { exact: true }).fill('Phạm Thị Trùng');
      await page.getByLabel('Số CCCD').fill(id);
      await page.getByRole('button', { name: 'Lưu' }).click();
      await expect
        .poll(() => fieldError(page, 'Số CCCD').textContent())
        .toBe('Số CCCD này đã được đăng ký cho một hộ khác.');
      expect(await page.getByRole('alert').last().textContent()).toContain('Chưa lưu');

      // Its plot, drawn on the map for this household.
      await page.goto(recordUrl);
      await page.getByRole('link', { name: 'Vẽ thửa cho hộ này trên bản đồ' }).click();
      await page.getByText(/\d+ thửa trong khung nhìn/).waitFor();
      // Away from the demo's fields, where nothing is drawn yet.
      await page.evaluate(
        (east) => {
          const map = (window as unknown as { huucoMap: import('leaflet').Map }).huucoMap;
          const centre = map.getCenter();
          map.setView([centre.lat - 0.08, centre.lng + 0.08 + east], 18, { animate: false });
        },
        width === 360 ? 0.002 : 0,
      );
      await page.waitForTimeout(300);
      const box = (await page.getByTestId('map').boundingBox())!;
      await drawSquare(page, box.x + box.width / 2 - 20, box.y + box.height / 2 - 20, 40);
      await page.getByRole('complementary', { name: 'Thửa mới' }).waitFor();
      const plotCode = `AT-${width === 360 ? 8801 : 8802}`;
      await page.getByLabel('Mã thửa', { exact: true }).fill(plotCode);
      expect(await page.getByLabel('Hộ').locator('option:checked').textContent()).toContain(
        'Phạm Thị Đăng Ký',
      );
      await page.getByLabel('Vùng sản xuất').selectOption({ label: '— Không thuộc vùng —' });
      await page.getByRole('button', { name: 'Lưu thửa' }).click();
      await page.getByRole('complementary', { name: 'Thửa mới' }).waitFor({ state: 'detached' });
      await page.goBack();
      await expect
        .poll(() => page.locator('section').filter({ hasText: 'Thửa của hộ' }).textContent())
        .toContain(plotCode);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth).toBeLessThanOrEqual(width);
    });
  }

  it('district staff record a zone’s new certificate with its PDF, suspend the zone from a date and set next year’s targets', async () => {
    // A zone of its own beside the demo's, so the demo's zones keep their status.
    const staff = await session('staff.tuky');
    const demo = await api<{
      items: { geometry: { coordinates: number[][][] }; communes: { id: string }[] }[];
    }>(staff, '/zones?pageSize=1');
    const [lng, lat] = demo.items[0]!.geometry.coordinates[0]![0]!;
    const zone = await api<{ id: string; name: string }>(staff, '/zones', {
      code: `Z-E2E-${randomInt(1e6)}`,
      name: `Vùng thử chứng nhận ${Date.now().toString(36)}`,
      kind: 'organic',
      geometry: square(lng! + 0.05, lat! - 0.05, 0.004),
      communeIds: [demo.items[0]!.communes[0]!.id],
    });

    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky', '/app/registry');
    await page.getByRole('searchbox').first().fill(zone.name);
    await page.getByRole('button', { name: 'Tìm' }).first().click();
    await page.getByRole('link', { name: zone.name }).click();
    await page.getByRole('heading', { name: new RegExp(zone.name) }).waitFor();

    // The certificate, with the body's paper attached.
    await page.getByRole('button', { name: 'Ghi nhận giấy chứng nhận mới' }).click();
    const form = page.getByRole('form', { name: 'Ghi nhận giấy chứng nhận mới' });
    const number = `E2E-${randomInt(1e6)}`;
    await form.getByLabel('Số giấy chứng nhận').fill(number);
    await form.getByLabel('Tổ chức chứng nhận').fill('Trung tâm Chứng nhận Thử');
    await form
      .getByLabel('Bản giấy chứng nhận (PDF, ảnh)')
      .setInputFiles({ name: 'chứng nhận.pdf', mimeType: 'application/pdf', buffer: PDF });
    await form.getByRole('button', { name: 'Lưu' }).click();
    const certificate = page.locator('.cert-card');
    await expect.poll(() => certificate.textContent()).toContain('Còn hiệu lực');
    await expect.poll(() => certificate.textContent()).toContain('chứng nhận.pdf');

    // The zone's status from a date: into conversion, then suspended.
    const status = page.getByRole('form', { name: 'Đổi trạng thái từ một ngày' });
    await status.getByLabel('Trạng thái mới').selectOption({ label: 'Đang chuyển đổi' });
    await status.getByLabel('Từ ngày').fill('2025-01-10');
    await status.getByLabel('Lý do', { exact: true }).fill('Bắt đầu chuyển đổi');
    await status.getByRole('button', { name: 'Ghi nhận' }).click();
    await expect
      .poll(() => page.locator('section').filter({ hasText: 'Lịch sử trạng thái' }).textContent())
      .toContain('Bắt đầu chuyển đổi');
    await status.getByLabel('Trạng thái mới').selectOption({ label: 'Tạm đình chỉ' });
    await status.getByLabel('Từ ngày').fill('2026-11-15');
    await status.getByLabel('Lý do', { exact: true }).fill('Đánh giá giám sát');
    await status.getByRole('button', { name: 'Ghi nhận' }).click();
    await expect.poll(() => page.locator('.badge').first().textContent()).toBe('Tạm đình chỉ');
    await page.reload();
    await expect
      .poll(() => page.locator('section').filter({ hasText: 'Lịch sử trạng thái' }).textContent())
      .toMatch(/Tạm đình chỉ · 15\/11\/2026 · Đánh giá giám sát/);
    await page.screenshot({ path: resolve(ARTIFACTS, 'zone-record.png'), fullPage: true });

    // The certificate at its own address: it survives a reload, and leads back to its zone.
    await page.getByRole('link', { name: number }).click();
    await page.waitForURL(/\/app\/certifications\/[0-9a-f-]{36}$/);
    await page.reload();
    await page.getByRole('heading', { name: `Giấy chứng nhận ${number}` }).waitFor();
    await expect.poll(() => page.locator('.cert-card').textContent()).toContain('chứng nhận.pdf');
    await page.screenshot({ path: resolve(ARTIFACTS, 'certificate-record.png'), fullPage: true });
    await page.getByRole('link', { name: new RegExp(zone.name) }).click();
    await page.getByRole('heading', { name: new RegExp(zone.name) }).waitFor();

    // Next year's target for the district, then the same one again, refused in words.
    const nextYear = new Date().getFullYear() + 1;
    await page.goto(`${baseUrl}/app/dashboard`);
    await page.getByRole('button', { name: 'Đặt chỉ tiêu' }).click();
    const targets = page.getByRole('form', { name: 'Đặt chỉ tiêu' });
    const setTarget = async () => {
      await targets.getByLabel('Năm').fill(String(nextYear));
      await targets
        .getByLabel('Chỉ tiêu', { exact: true })
        .selectOption({ label: 'Số hộ tham gia' });
      await targets.getByLabel('Mức chỉ tiêu').fill('420');
      await targets.getByRole('button', { name: 'Lưu' }).click();
    };
    await setTarget();
    await expect
      .poll(() => targets.getByRole('status').textContent())
      .toContain(`Đã đặt chỉ tiêu Số hộ tham gia năm ${nextYear}`);
    await expect
      .poll(() => page.locator('.card').filter({ hasText: 'Số hộ tham gia' }).textContent())
      .toMatch(/chỉ tiêu 420/);
    await setTarget();
    await expect
      .poll(() => targets.locator('.field-error').textContent())
      .toBe('Chỉ tiêu này đã có cho đơn vị và năm đó.');
  });

  it('an administrator creates an account for a new cooperative member, in English on a phone, who then records a harvest', async () => {
    const page = await offlinePage(browser, 360, 740);
    await logIn(page, baseUrl, 'admin.tuky', '/app/users/new');
    await openMenu(page);
    await page.getByRole('button', { name: 'English' }).click();
    const username = `xavien.moi${randomInt(1e6)}`;
    const password = 'mat-khau-rat-dai-2026';
    const fill = async (name: string) => {
      await page.getByLabel('Username').fill(name);
      await page.getByLabel('Display name').fill('Xã viên Mới');
      await page.getByLabel('First password').fill(password);
      await page.getByLabel('Role').selectOption({ label: 'Cooperative member' });
      await page
        .getByLabel('Cooperative', { exact: true })
        .selectOption({ label: 'HTX Dịch vụ Nông nghiệp An Thanh' });
      await page.getByRole('button', { name: 'Save' }).click();
    };
    await fill(username);
    await page.getByRole('heading', { name: `Xã viên Mới · ${username}` }).waitFor();
    await page.screenshot({ path: resolve(ARTIFACTS, 'account-record.png'), fullPage: true });

    // The same username again: refused, and said beside the field in English.
    await page.goto(`${baseUrl}/app/users/new`);
    await fill(username);
    await expect
      .poll(() => fieldError(page, 'Username').textContent())
      .toBe('This username is taken.');

    // The new member logs in and records a harvest.
    await openMenu(page);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Menu' }).waitFor();
    await page.goto(`${baseUrl}/app/harvests`);
    await page.getByLabel('Plot').fill('AT-000');
    await page.getByRole('listbox').getByRole('option').first().click();
    const plotCode = await page.getByLabel('Plot').inputValue();
    await page.getByLabel('Product').selectOption({ index: 1 });
    await page.getByLabel('Harvested on').fill('2026-11-20');
    await page.getByLabel('Quantity (kg)').fill('12');
    await page.getByRole('button', { name: 'Record harvest' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain(`Recorded 12 kg from plot ${plotCode}`);
  });
});

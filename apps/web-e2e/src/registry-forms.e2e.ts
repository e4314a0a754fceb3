import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, session } from './support/api.js';
import { ARTIFACTS, launch, logIn, offlinePage } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const fieldError = (page: Page | Locator, label: string | RegExp) =>
  page.locator('.field').filter({ hasText: label }).locator('.field-error');

describe('every registry form, by role', () => {
  it('an administrator registers a cooperative, corrects it, and marks it inactive from a date', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'admin.tuky', '/app/registry');
    await page.getByRole('link', { name: 'Thêm hợp tác xã' }).click();
    const name = `HTX Thử ${randomInt(1e6)}`;
    await page.getByLabel('Tên', { exact: true }).fill(name);
    await page.getByLabel('Số đăng ký').fill('ab');
    await page.getByLabel('Xã', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(() => fieldError(page, 'Số đăng ký').textContent())
      .toBe('Số đăng ký gồm 4–30 chữ số, chữ in hoa, dấu chấm, gạch ngang hoặc gạch chéo.');
    await page.getByLabel('Số đăng ký').fill(`0400${randomInt(1e6)}`);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('heading', { name: new RegExp(name) }).waitFor();

    await page.getByRole('button', { name: 'Sửa thông tin HTX' }).click();
    await page.getByLabel('Địa chỉ').fill('Thôn Cống, xã Thử');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('Thôn Cống, xã Thử');

    const status = page.getByRole('form', { name: 'Đổi trạng thái từ một ngày' });
    await status.getByLabel('Từ ngày').fill('2026-11-01');
    await status.getByLabel('Lý do', { exact: true }).fill('Giải thể theo nghị quyết đại hội');
    await status.getByRole('button', { name: 'Ghi nhận' }).click();
    await expect.poll(() => page.locator('.badge').first().textContent()).toBe('Ngừng hoạt động');
    await expect
      .poll(() => page.locator('ol.timeline').first().textContent())
      .toContain('Ngừng hoạt động · 01/11/2026 · Giải thể theo nghị quyết đại hội');
    await expect
      .poll(() => page.locator('section').filter({ hasText: 'Lịch sử thay đổi' }).textContent())
      .toMatch(
        /Đăng ký HTX · admin\.tuky.*Sửa thông tin · admin\.tuky.*Trạng thái: ngừng hoạt động/,
      );
    await page.screenshot({ path: resolve(ARTIFACTS, 'cooperative-record.png'), fullPage: true });

    // The record and its forms on a phone, in English.
    const phone = await offlinePage(browser, 360, 740);
    await phone.addInitScript(() => localStorage.setItem('huuco.language', 'en'));
    await logIn(phone, baseUrl, 'admin.tuky', new URL(page.url()).pathname);
    await phone.getByRole('heading', { name: new RegExp(name) }).waitFor();
    await phone.getByRole('button', { name: 'Edit the cooperative' }).click();
    await phone.getByLabel('Name', { exact: true }).fill('');
    await phone.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fieldError(phone, 'Name').count()).toBe(1);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await phone.screenshot({ path: resolve(ARTIFACTS, 'cooperative-phone.png'), fullPage: true });
  });

  it('district staff draw a new zone on the map with its area checked live, then edit its target area', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky', '/app/registry');
    await page.getByRole('link', { name: 'Thêm vùng sản xuất' }).click();
    const name = `Vùng vẽ thử ${randomInt(1e6)}`;
    await page.getByLabel('Mã', { exact: true }).fill(`VT-${randomInt(1e6)}`);
    await page.getByLabel('Tên', { exact: true }).fill(name);
    await page.locator('fieldset').getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Lưu' }).click();
    expect(await page.getByText('Chạm trên bản đồ để đặt từng góc').count()).toBeGreaterThan(0);

    const box = (await page.getByTestId('outline-map').boundingBox())!;
    const [x, y] = [box.x + box.width - 140, box.y + 60];
    for (const [cx, cy] of [
      [x, y],
      [x + 80, y],
      [x + 80, y + 80],
      [x, y + 80],
      [x, y],
    ]) {
      await page.mouse.click(cx!, cy!);
      await page.waitForTimeout(80);
    }
    await expect
      .poll(() => page.locator('.outline-checks').textContent())
      .toMatch(/Diện tích: [\d.,]+ ha/);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('heading', { name: new RegExp(name) }).waitFor();

    await page.getByRole('button', { name: 'Sửa vùng và ranh giới' }).click();
    const edit = page.getByRole('form', { name: 'Sửa vùng và ranh giới' });
    await edit.getByLabel('Diện tích mục tiêu (ha)').fill('-5');
    await edit.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => fieldError(edit, 'Diện tích mục tiêu').count()).toBe(1);
    await edit.getByLabel('Diện tích mục tiêu (ha)').fill('12');
    await edit.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('12');
    await page.screenshot({ path: resolve(ARTIFACTS, 'zone-drawn.png'), fullPage: true });

    // The same record page on a phone, in English: usable, nothing wider than the screen.
    const phone = await offlinePage(browser, 360, 740);
    await phone.addInitScript(() => localStorage.setItem('huuco.language', 'en'));
    await logIn(phone, baseUrl, 'staff.tuky', new URL(page.url()).pathname);
    await phone.getByRole('heading', { name: new RegExp(name) }).waitFor();
    await phone.getByRole('button', { name: 'Edit the zone and its outline' }).click();
    await phone.getByTestId('outline-map').waitFor();
    await phone.getByRole('heading', { name: 'Status history' }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await phone.screenshot({ path: resolve(ARTIFACTS, 'zone-record-phone.png'), fullPage: true });
  });

  it('district staff register a buyer with a contact, then correct it; a buyer account reads it only', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky', '/app/buyers');
    await page.getByRole('link', { name: 'Thêm doanh nghiệp' }).click();
    const name = `Công ty Thử ${randomInt(1e6)}`;
    await page.getByLabel('Tên', { exact: true }).fill(name);
    await page.getByLabel('Mã số thuế').fill('123');
    await page.getByLabel('Tỉnh/thành').fill('Hải Dương');
    await page.getByRole('button', { name: 'Thêm người liên hệ' }).click();
    await page.getByLabel('Họ tên').fill('Trần Văn Mua');
    await page.getByLabel('Điện thoại', { exact: true }).fill('0987654321');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(() => fieldError(page, 'Mã số thuế').textContent())
      .toBe('Mã số thuế có 10 chữ số, hoặc 10-3 cho chi nhánh.');
    await page.getByLabel('Mã số thuế').fill(String(randomInt(1e9, 9e9)).padEnd(10, '1'));
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('heading', { name: new RegExp(name) }).waitFor();
    expect(
      await page.locator('section').filter({ hasText: 'Người liên hệ' }).textContent(),
    ).toContain('Trần Văn Mua · 0987654321');
    await page.getByRole('button', { name: 'Sửa thông tin doanh nghiệp' }).click();
    await page.getByLabel('Tỉnh/thành').fill('Hà Nội');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('Hà Nội');
    // Its timeline, from the audit trail: registered, then changed, each by whom.
    const timeline = page.locator('section').filter({ hasText: 'Lịch sử thay đổi' });
    await expect
      .poll(() => timeline.locator('li').allTextContents())
      .toEqual([
        expect.stringMatching(/Đăng ký doanh nghiệp · staff\.tuky$/),
        expect.stringMatching(/Sửa thông tin · staff\.tuky$/),
      ]);
    await page.screenshot({ path: resolve(ARTIFACTS, 'buyer-record.png'), fullPage: true });
    // The list finds it by name, and the search stays in the address.
    await page.goto(`${baseUrl}/app/buyers`);
    await page.getByRole('searchbox').fill(name);
    await page.getByRole('button', { name: 'Tìm' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe(name);

    // The same form on a phone, in English: a refused tax code said beside the field.
    const phone = await offlinePage(browser, 360, 740);
    await phone.addInitScript(() => localStorage.setItem('huuco.language', 'en'));
    await logIn(phone, baseUrl, 'staff.tuky', '/app/buyers/new');
    await phone.getByLabel('Name', { exact: true }).fill(`Phone Buyer ${randomInt(1e6)}`);
    await phone.getByLabel('Tax code').fill('12');
    await phone.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => fieldError(phone, 'Tax code').textContent())
      .toBe('A tax code (MST) is 10 digits, or 10-3 for a branch.');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );

    const buyer = await offlinePage(browser);
    await logIn(buyer, baseUrl, 'buyer.hanoi', '/app/buyers');
    await buyer.getByRole('heading', { name: 'Doanh nghiệp' }).waitFor();
    expect(await buyer.getByRole('link', { name: 'Thêm doanh nghiệp' }).count()).toBe(0);
  });

  it('district staff record an OCOP product; its stars follow from the score', async () => {
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky', '/app/dashboard');
    await page.getByRole('button', { name: 'Ghi nhận sản phẩm OCOP' }).click();
    const form = page.getByRole('form', { name: 'Ghi nhận sản phẩm OCOP' });
    const name = `Gạo thử ${randomInt(1e6)}`;
    await form.getByLabel('Tên sản phẩm').fill(name);
    await form.getByLabel('Hợp tác xã').selectOption({ label: 'HTX Dịch vụ Nông nghiệp An Thanh' });
    await form.getByLabel('Điểm đánh giá (0–100)').fill('120');
    await form.getByLabel('Số giấy chứng nhận').fill(`OCOP-${randomInt(1e6)}`);
    await form.getByLabel('Ngày chứng nhận').fill('2026-06-01');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => fieldError(form, 'Điểm').count()).toBe(1);
    await form.getByLabel('Điểm đánh giá (0–100)').fill('78');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain(`Đã ghi nhận ${name}: 4 sao.`);
    // The list is read again with the dashboard after the write; on a busy machine that takes a while.
    await expect
      .poll(() => page.getByRole('row', { name: new RegExp(name) }).count(), { timeout: 20_000 })
      .toBe(1);
    await page.getByRole('searchbox').fill(name);
    await page.getByRole('button', { name: 'Tìm' }).click();
    await expect.poll(() => page.locator('.paged-table tbody tr').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('ocop.q')).toBe(name);
  });

  it('a cooperative manager corrects a household, revokes and records consent, reveals its ID with a reason, and records that it left', async () => {
    const manager = await session('htx.anthanh');
    const [cooperative] = (
      await api<{ items: { id: string; commune: { id: string } }[] }>(
        manager,
        '/cooperatives?q=An%20Thanh',
      )
    ).items;
    const idNumber = `001${String(randomInt(0, 1e9)).padStart(9, '0')}`;
    const household = await api<{ id: string }>(manager, '/households', {
      headName: 'Lê Thị Vòng Đời',
      idNumber,
      cooperativeId: cooperative!.id,
      communeId: cooperative!.commune.id,
      joinedOn: '2024-03-01',
      consentPublicDisplay: true,
    });
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'htx.anthanh', `/app/households/${household.id}`);
    await page.getByRole('heading', { name: /Lê Thị Vòng Đời/ }).waitFor();

    await page.getByRole('button', { name: 'Sửa' }).click();
    await page.getByLabel('Điện thoại').fill('0911222333');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('0911222333');
    await expect
      .poll(() => page.locator('section').filter({ hasText: 'Lịch sử thay đổi' }).textContent())
      .toContain('Phiên bản 2');

    const consents = page.locator('section').filter({ hasText: 'Sự đồng ý' });
    await consents.getByRole('button', { name: 'Rút lại' }).click();
    await expect.poll(() => consents.textContent()).toMatch(/Đã rút ngày/);
    await consents.getByLabel('Bằng chứng (phiếu ký, họp HTX…)').fill('Phiếu ký lại ngày 2/12');
    await consents.getByRole('button', { name: 'Ghi nhận đồng ý' }).click();
    await expect.poll(() => consents.textContent()).toContain('Phiếu ký lại ngày 2/12');

    await page.getByRole('button', { name: 'Xem số CCCD đầy đủ' }).click();
    await page.getByLabel('Lý do (ghi vào nhật ký)').fill('ngắn');
    await page.getByRole('button', { name: 'Xem số CCCD đầy đủ' }).click();
    await expect
      .poll(() => fieldError(page, 'Lý do (ghi vào nhật ký)').textContent())
      .toBe('Ghi lý do, ít nhất 10 ký tự.');
    await page.getByLabel('Lý do (ghi vào nhật ký)').fill('Đối chiếu hồ sơ vay vốn của hộ');
    await page.getByRole('button', { name: 'Xem số CCCD đầy đủ' }).click();
    await expect.poll(() => page.locator('.revealed').textContent()).toBe(`Số CCCD: ${idNumber}`);

    await page.getByRole('button', { name: 'Rời hợp tác xã' }).click();
    await page.getByLabel('Ngày rời').fill('2026-11-30');
    await page.getByLabel('Lý do', { exact: true }).fill('Chuyển đi nơi khác');
    await page.getByRole('button', { name: 'Ghi nhận rời HTX' }).click();
    await expect
      .poll(() => page.getByText(/Đã rời HTX ngày 30\/11\/2026: Chuyển đi nơi khác/).count())
      .toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Sửa' }).count()).toBe(0);
  });

  it('an administrator disables and re-enables an account, and resets its password', async () => {
    const admin = await session('admin.tuky');
    const [cooperative] = (
      await api<{ items: { id: string }[] }>(admin, '/cooperatives?q=An%20Thanh')
    ).items;
    const username = `vongdoi.${randomInt(1e6)}`;
    const account = await api<{ id: string }>(admin, '/users', {
      username,
      displayName: 'Tài khoản Vòng Đời',
      password: 'mat-khau-ban-dau-2026',
      role: 'coop_member',
      cooperativeId: cooperative!.id,
    });
    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'admin.tuky', `/app/users/${account.id}`);
    await page.getByRole('button', { name: 'Khoá tài khoản' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('Đã khoá');
    await page.getByRole('button', { name: 'Mở lại tài khoản' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('Đang hoạt động');

    await page.getByLabel('Mật khẩu mới').fill('ngan');
    await page.getByRole('button', { name: 'Đặt lại mật khẩu' }).click();
    await expect
      .poll(() => fieldError(page, 'Mật khẩu mới').textContent())
      .toBe('Mật khẩu có ít nhất 12 ký tự.');
    await page.getByLabel('Mật khẩu mới').fill('mat-khau-moi-rat-dai-2026');
    await page.getByRole('button', { name: 'Đặt lại mật khẩu' }).click();
    await expect
      .poll(() => page.locator('section').filter({ hasText: 'Đặt lại mật khẩu' }).textContent())
      .toContain('Đã lưu.');
    await expect
      .poll(() => page.locator('section').filter({ hasText: 'Việc đã làm' }).textContent())
      .toContain('user.disable');
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'mat-khau-moi-rat-dai-2026' }),
    });
    expect(login.status).toBe(200);
  });
});

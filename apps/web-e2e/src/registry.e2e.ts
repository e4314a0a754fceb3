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

/** What a user reads, in each language the flows are tried in. */
const WORDS = {
  vi: {
    newHousehold: 'Đăng ký hộ mới',
    save: 'Lưu',
    head: 'Chủ hộ',
    idNumber: 'Số CCCD',
    phone: 'Điện thoại',
    idNumberFormat: 'Số CCCD có 12 chữ số.',
    phoneFormat: 'Số điện thoại có 10 chữ số, bắt đầu bằng 0.',
    village: 'Thôn',
    consentAtRegistration: /Hộ đồng ý hiện tên chủ hộ/,
    consents: 'Sự đồng ý',
    consentStanding: 'Đang có hiệu lực',
    idNumberTaken: 'Số CCCD này đã được đăng ký cho một hộ khác.',
    notSaved: 'Chưa lưu',
    drawPlot: 'Vẽ thửa cho hộ này trên bản đồ',
    plotsInView: /\d+ thửa trong khung nhìn/,
    newPlot: 'Thửa mới',
    plotCode: 'Mã thửa',
    zone: 'Vùng sản xuất',
    noZone: '— Không thuộc vùng —',
    savePlot: 'Lưu thửa',
    plotsOf: 'Thửa của hộ',
    find: 'Tìm',
    newCertificate: 'Ghi nhận giấy chứng nhận mới',
    certificateNumber: 'Số giấy chứng nhận',
    certificationBody: 'Tổ chức chứng nhận',
    certificateDocument: 'Bản giấy chứng nhận (PDF, ảnh)',
    inForce: 'Còn hiệu lực',
    changeStatus: 'Đổi trạng thái từ một ngày',
    newStatus: 'Trạng thái mới',
    inConversion: 'Đang chuyển đổi',
    from: 'Từ ngày',
    reason: 'Lý do',
    record: 'Ghi nhận',
    statusHistory: 'Lịch sử trạng thái',
    suspended: 'Tạm đình chỉ',
    certificateTitle: (number: string) => `Giấy chứng nhận ${number}`,
    setTarget: 'Đặt chỉ tiêu',
    year: 'Năm',
    indicator: 'Chỉ tiêu',
    indicatorName: 'Số hộ tham gia',
    targetValue: 'Mức chỉ tiêu',
    targetSet: (year: number) => `Đã đặt chỉ tiêu Số hộ tham gia năm ${year}`,
    ofTarget: /chỉ tiêu 420/,
    targetTaken: 'Chỉ tiêu này đã có cho đơn vị và năm đó.',
    username: 'Tên đăng nhập',
    displayName: 'Tên hiển thị',
    firstPassword: 'Mật khẩu ban đầu',
    role: 'Vai trò',
    coopMember: 'Xã viên HTX',
    cooperative: 'Hợp tác xã',
    usernameTaken: 'Tên đăng nhập này đã có người dùng.',
    logOut: 'Đăng xuất',
    password: 'Mật khẩu',
    logIn: 'Đăng nhập',
    plot: 'Thửa',
    product: 'Sản phẩm',
    harvestedOn: 'Ngày thu',
    quantity: 'Khối lượng (kg)',
    recordHarvest: 'Ghi thu hoạch',
    recorded: (plot: string) => `Đã ghi 12 kg từ thửa ${plot}`,
  },
  en: {
    newHousehold: 'Register a household',
    save: 'Save',
    head: 'Head of household',
    idNumber: 'ID number',
    phone: 'Phone',
    idNumberFormat: 'An ID number has 12 digits.',
    phoneFormat: 'A phone number has 10 digits and starts with 0.',
    village: 'Village',
    consentAtRegistration: /The household agrees to its head’s name/,
    consents: 'Consents',
    consentStanding: 'Standing',
    idNumberTaken: 'This ID number is registered to another household.',
    notSaved: 'Not saved',
    drawPlot: 'Draw a plot for this household on the map',
    plotsInView: /\d+ plots in view/,
    newPlot: 'New plot',
    plotCode: 'Plot code',
    zone: 'Production zone',
    noZone: '— In no zone —',
    savePlot: 'Save plot',
    plotsOf: 'The household’s plots',
    find: 'Search',
    newCertificate: 'Record a new certificate',
    certificateNumber: 'Certificate number',
    certificationBody: 'Certification body',
    certificateDocument: 'The certificate itself (PDF, image)',
    inForce: 'In force',
    changeStatus: 'Change the status from a date',
    newStatus: 'New status',
    inConversion: 'In conversion',
    from: 'From',
    reason: 'Reason',
    record: 'Record',
    statusHistory: 'Status history',
    suspended: 'Suspended',
    certificateTitle: (number: string) => `Certificate ${number}`,
    setTarget: 'Set a target',
    year: 'Year',
    indicator: 'Indicator',
    indicatorName: 'Organic area (ha)',
    targetValue: 'Target',
    targetSet: (year: number) => `Target for Organic area (ha) in ${year} set`,
    ofTarget: /target 420/,
    targetTaken: 'This target already exists for that unit and year.',
    username: 'Username',
    displayName: 'Display name',
    firstPassword: 'First password',
    role: 'Role',
    coopMember: 'Cooperative member',
    cooperative: 'Cooperative',
    usernameTaken: 'This username is taken.',
    logOut: 'Log out',
    password: 'Password',
    logIn: 'Log in',
    plot: 'Plot',
    product: 'Product',
    harvestedOn: 'Harvested on',
    quantity: 'Quantity (kg)',
    recordHarvest: 'Record harvest',
    recorded: (plot: string) => `Recorded 12 kg from plot ${plot}`,
  },
};
type Language = keyof typeof WORDS;

/** The flows of the brief, each tried on a desktop and on a 360-px phone, in both languages. */
const DEVICES = [
  { device: 'a desktop, in Vietnamese', width: 1280, language: 'vi' },
  { device: 'a 360-px phone, in English', width: 360, language: 'en' },
] as const;

/** A page of that size, in that language from the first screen on. */
async function pageFor(width: number, language: Language): Promise<Page> {
  const page = await offlinePage(browser, width, width === 360 ? 740 : 800);
  if (language === 'en')
    await page.addInitScript(() => localStorage.setItem('huuco.language', 'en'));
  return page;
}

/** The error shown beside a field, by the field's label. */
const fieldError = (page: Page, label: string | RegExp) =>
  page.locator('.field').filter({ hasText: label }).locator('.field-error');

describe('the registry in the browser', () => {
  for (const { device, width, language } of DEVICES) {
    it(`a cooperative manager registers a household with its consent and draws its plot, on ${device}`, async () => {
      const w = WORDS[language];
      const page = await pageFor(width, language);
      await logIn(page, baseUrl, 'htx.anthanh', '/app/households');
      await page.getByRole('link', { name: w.newHousehold }).click();

      // Mistakes are said beside their field, in Vietnamese, before anything is sent.
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await expect.poll(() => page.locator('.field-error').count()).toBeGreaterThanOrEqual(2);
      await page.getByLabel(w.head, { exact: true }).fill('Phạm Thị Đăng Ký');
      await page.getByLabel(w.idNumber).fill('0012345');
      await page.getByLabel(w.phone).fill('912');
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await expect.poll(() => fieldError(page, w.idNumber).textContent()).toBe(w.idNumberFormat);
      expect(await fieldError(page, w.phone).textContent()).toBe(w.phoneFormat);

      const id = idNumber();
      await page.getByLabel(w.idNumber).fill(id);
      await page.getByLabel(w.phone).fill('0912000111');
      await page.getByLabel(w.village).fill('Thôn Đông');
      await page.getByLabel(w.consentAtRegistration).check();
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await page.getByRole('heading', { name: /Phạm Thị Đăng Ký · H\d{4}/ }).waitFor();
      const recordUrl = page.url();
      expect(recordUrl).toMatch(/\/app\/households\/[0-9a-f-]{36}$/);
      await expect
        .poll(() => page.locator('section').filter({ hasText: w.consents }).textContent())
        .toContain(w.consentStanding);

      // The page is its own address: a reload opens it again.
      await page.reload();
      await page.getByRole('heading', { name: /Phạm Thị Đăng Ký/ }).waitFor();
      await page.screenshot({
        path: resolve(ARTIFACTS, `household-record-${width}.png`),
        fullPage: true,
      });

      // The same ID number twice is refused by the server, and said beside the field.
      await page.goto(`${baseUrl}/app/households/new`);
      await page.getByLabel(w.head, { exact: true }).fill('Phạm Thị Trùng');
      await page.getByLabel(w.idNumber).fill(id);
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await expect.poll(() => fieldError(page, w.idNumber).textContent()).toBe(w.idNumberTaken);
      expect(await page.getByRole('alert').last().textContent()).toContain(w.notSaved);

      // Its plot, drawn on the map for this household.
      await page.goto(recordUrl);
      await page.getByRole('link', { name: w.drawPlot }).click();
      await page.getByText(w.plotsInView).waitFor();
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
      await page.getByRole('complementary', { name: w.newPlot }).waitFor();
      const plotCode = `AT-${width === 360 ? 8801 : 8802}`;
      await page.getByLabel(w.plotCode, { exact: true }).fill(plotCode);
      expect(
        await page
          .getByRole('complementary', { name: w.newPlot })
          .getByLabel(w.head)
          .locator('option:checked')
          .textContent(),
      ).toContain('Phạm Thị Đăng Ký');
      await page
        .getByRole('complementary', { name: w.newPlot })
        .getByLabel(w.zone)
        .selectOption({ label: w.noZone });
      await page.getByRole('button', { name: w.savePlot }).click();
      await page.getByRole('complementary', { name: w.newPlot }).waitFor({ state: 'detached' });
      await page.goBack();
      await expect
        .poll(() => page.locator('section').filter({ hasText: w.plotsOf }).textContent())
        .toContain(plotCode);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth).toBeLessThanOrEqual(width);
    });
  }

  for (const { device, width, language } of DEVICES)
    it(`district staff record a zone’s new certificate with its PDF, suspend the zone from a date and set next year’s targets, on ${device}`, async () => {
      const w = WORDS[language];
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

      const page = await pageFor(width, language);
      await logIn(page, baseUrl, 'staff.tuky', '/app/registry');
      await page.getByRole('searchbox').first().fill(zone.name);
      await page.getByRole('button', { name: w.find }).first().click();
      await page.getByRole('link', { name: zone.name }).click();
      await page.getByRole('heading', { name: new RegExp(zone.name) }).waitFor();

      // The certificate, with the body's paper attached.
      await page.getByRole('button', { name: w.newCertificate }).click();
      const form = page.getByRole('form', { name: w.newCertificate });
      const number = `E2E-${randomInt(1e6)}`;
      await form.getByLabel(w.certificateNumber).fill(number);
      await form.getByLabel(w.certificationBody).fill('Trung tâm Chứng nhận Thử');
      await form
        .getByLabel(w.certificateDocument)
        .setInputFiles({ name: 'chứng nhận.pdf', mimeType: 'application/pdf', buffer: PDF });
      await form.getByRole('button', { name: w.save, exact: true }).click();
      const certificate = page.locator('.cert-card');
      await expect.poll(() => certificate.textContent()).toContain(w.inForce);
      await expect.poll(() => certificate.textContent()).toContain('chứng nhận.pdf');

      // The zone's status from a date: into conversion, then suspended.
      const status = page.getByRole('form', { name: w.changeStatus });
      await status.getByLabel(w.newStatus).selectOption({ label: w.inConversion });
      await status.getByLabel(w.from).fill('2025-01-10');
      await status.getByLabel(w.reason, { exact: true }).fill('Bắt đầu chuyển đổi');
      await status.getByRole('button', { name: w.record, exact: true }).click();
      await expect
        .poll(() => page.locator('section').filter({ hasText: w.statusHistory }).textContent())
        .toContain('Bắt đầu chuyển đổi');
      await status.getByLabel(w.newStatus).selectOption({ label: w.suspended });
      await status.getByLabel(w.from).fill('2026-11-15');
      await status.getByLabel(w.reason, { exact: true }).fill('Đánh giá giám sát');
      await status.getByRole('button', { name: w.record, exact: true }).click();
      await expect.poll(() => page.locator('.badge').first().textContent()).toBe(w.suspended);
      await page.reload();
      await expect
        .poll(() => page.locator('section').filter({ hasText: w.statusHistory }).textContent())
        .toContain(`${w.suspended} · 15/11/2026 · Đánh giá giám sát`);
      await page.screenshot({
        path: resolve(ARTIFACTS, `zone-record-${width}.png`),
        fullPage: true,
      });

      // The certificate at its own address: it survives a reload, and leads back to its zone.
      await page.getByRole('link', { name: number }).click();
      await page.waitForURL(/\/app\/certifications\/[0-9a-f-]{36}$/);
      await page.reload();
      await page.getByRole('heading', { name: w.certificateTitle(number) }).waitFor();
      await expect.poll(() => page.locator('.cert-card').textContent()).toContain('chứng nhận.pdf');
      await page.screenshot({
        path: resolve(ARTIFACTS, `certificate-record-${width}.png`),
        fullPage: true,
      });
      await page.getByRole('link', { name: new RegExp(zone.name) }).click();
      await page.getByRole('heading', { name: new RegExp(zone.name) }).waitFor();

      // Next year's target for the district, then the same one again, refused in words.
      const nextYear = new Date().getFullYear() + 1;
      await page.goto(`${baseUrl}/app/dashboard`);
      await page.getByRole('button', { name: w.setTarget }).click();
      const targets = page.getByRole('form', { name: w.setTarget });
      const setTarget = async () => {
        await targets.getByLabel(w.year).fill(String(nextYear));
        await targets
          .getByLabel(w.indicator, { exact: true })
          .selectOption({ label: w.indicatorName });
        await targets.getByLabel(w.targetValue).fill('420');
        await targets.getByRole('button', { name: w.save, exact: true }).click();
      };
      await setTarget();
      await expect
        .poll(() => targets.getByRole('status').textContent())
        .toContain(w.targetSet(nextYear));
      await expect
        .poll(() => page.locator('.card').filter({ hasText: w.indicatorName }).textContent())
        .toMatch(w.ofTarget);
      await setTarget();
      await expect.poll(() => targets.locator('.field-error').textContent()).toBe(w.targetTaken);
    });

  for (const { device, width, language } of DEVICES)
    it(`an administrator creates an account for a new cooperative member, who then records a harvest, on ${device}`, async () => {
      const w = WORDS[language];
      const page = await offlinePage(browser, width, width === 360 ? 740 : 800);
      await logIn(page, baseUrl, 'admin.tuky', '/app/users/new');
      if (language === 'en') {
        // Switched from the menu, as a user would.
        await openMenu(page);
        await page.getByRole('button', { name: 'English' }).click();
      }
      const username = `xavien.moi${randomInt(1e6)}`;
      const password = 'mat-khau-rat-dai-2026';
      const fill = async (name: string) => {
        await page.getByLabel(w.username).fill(name);
        await page.getByLabel(w.displayName).fill('Xã viên Mới');
        await page.getByLabel(w.firstPassword).fill(password);
        await page.getByLabel(w.role, { exact: true }).selectOption({ label: w.coopMember });
        await page
          .getByLabel(w.cooperative, { exact: true })
          .selectOption({ label: 'HTX Dịch vụ Nông nghiệp An Thanh' });
        await page.getByRole('button', { name: w.save, exact: true }).click();
      };
      await fill(username);
      await page.getByRole('heading', { name: `Xã viên Mới · ${username}` }).waitFor();
      await page.screenshot({
        path: resolve(ARTIFACTS, `account-record-${width}.png`),
        fullPage: true,
      });

      // The same username again: refused, and said beside the field.
      await page.goto(`${baseUrl}/app/users/new`);
      await fill(username);
      await expect.poll(() => fieldError(page, w.username).textContent()).toBe(w.usernameTaken);

      // The new member logs in and records a harvest.
      await openMenu(page);
      await page.getByRole('button', { name: w.logOut }).click();
      await page.getByLabel(w.username).fill(username);
      await page.getByLabel(w.password).fill(password);
      await page.getByRole('button', { name: w.logIn, exact: true }).click();
      await page
        .getByRole('button', { name: new RegExp(`^(${w.logOut}|Menu|Trình đơn)$`) })
        .and(page.locator(':visible'))
        .first()
        .waitFor();
      await page.goto(`${baseUrl}/app/harvests`);
      await page.getByLabel(w.plot, { exact: true }).fill('AT-000');
      await page.getByRole('listbox').getByRole('option').first().click();
      const plotCode = await page.getByLabel(w.plot, { exact: true }).inputValue();
      await page.getByLabel(w.product).selectOption({ index: 1 });
      await page.getByLabel(w.harvestedOn).fill('2026-11-20');
      await page.getByLabel(w.quantity).fill('12');
      await page.getByRole('button', { name: w.recordHarvest }).click();
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toContain(w.recorded(plotCode));
    });
});

import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { session } from './support/api.js';
import { ARTIFACTS, launch, logIn, openMenu } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

/** A phone on which the map's tiles never load, the rest of the network as the test sets it. */
async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    locale: 'vi-VN',
    serviceWorkers: 'allow',
  });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
  return { context, page: await context.newPage() };
}

/** The harvests the server holds for a plot, as its cooperative sees them. */
async function harvestsOf(token: string, plotCode: string) {
  const response = await fetch(
    `${baseUrl}/api/v1/harvests?pageSize=500&sort=createdAt&order=desc`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  const page = (await response.json()) as {
    items: { id: string; plotCode: string; quantityKg: number; harvestedOn: string }[];
  };
  return page.items.filter((h) => h.plotCode === plotCode);
}

/** A GET of the API as a user, answered as JSON. */
async function read<T>(token: string, path: string): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as T;
}

/** The outbox's records as the device stores them. */
function stored(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ id: string; body: { quantityKg: number }; state: string }[]>((done) => {
        const open = indexedDB.open('huuco-field');
        open.onsuccess = () => {
          const all = open.result.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => {
            open.result.close();
            done(all.result);
          };
        };
      }),
  );
}

/** Opens the harvest screen online, then waits until the device keeps what it needs offline. */
async function openOnceOnline(page: Page, username: string) {
  await logIn(page, baseUrl, username, '/app/harvests');
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const cached = (await (await caches.open('huuco-api')).keys()).map((r) => r.url);
          // Read without creating the database or holding it open: the app's own upgrade of it
          // must never wait on the test.
          if (!(await indexedDB.databases()).some((d) => d.name === 'huuco-field'))
            return 'no database';
          const kept = await new Promise<string[]>((done) => {
            const open = indexedDB.open('huuco-field');
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('snapshots')) {
                db.close();
                return done([]);
              }
              const keys = db.transaction('snapshots').objectStore('snapshots').getAllKeys();
              keys.onsuccess = () => {
                db.close();
                done((keys.result as [string, string][]).map(([, name]) => name));
              };
            };
          });
          return [
            ...['plots', 'zones', 'households'].map((name) =>
              kept.includes(name) ? name : `no ${name}`,
            ),
            cached.some((url) => url.endsWith('/api/v1/seasons')) ? 'seasons' : 'no seasons',
            cached.some((url) => url.endsWith('/api/v1/products')) ? 'products' : 'no products',
          ].join(' ');
        }),
      { timeout: 20_000 },
    )
    .toBe('plots zones households seasons products');
}

async function enterHarvest(page: Page, plotCode: string, kg: string, day: string) {
  // The plot of the last entry stays chosen; it is chosen again from the list.
  await page.getByLabel('Thửa').fill('');
  await page.getByLabel('Thửa').fill(plotCode);
  await page.getByRole('listbox').getByRole('option').first().click();
  await page.getByLabel('Sản phẩm').selectOption({ label: 'Rươi' });
  await page.getByLabel('Ngày thu').fill(day);
  await page.getByLabel('Khối lượng (kg)').fill(kg);
  await page.getByRole('button', { name: 'Ghi thu hoạch' }).click();
}

/** The code of the first plot the picker offers for a prefix; the field is emptied again. */
async function firstPlotCode(page: Page, prefix: string): Promise<string> {
  await page.getByLabel('Thửa').fill(prefix);
  const option = page.getByRole('listbox').getByRole('option').first();
  const code = (await option.textContent())!.split(' · ')[0]!.trim();
  await page.getByLabel('Thửa').fill('');
  return code;
}

/** A cooperative manager's phone after one online visit, a plot of theirs, its harvests so far. */
async function managerInTheField(plotPrefix: string) {
  const token = await session('htx.anthanh');
  const { context, page } = await phone();
  await openOnceOnline(page, 'htx.anthanh');
  const plotCode = await firstPlotCode(page, plotPrefix);
  const before = (await harvestsOf(token, plotCode)).length;
  return { token, context, page, plotCode, before };
}

describe('field work without signal', () => {
  it('records three harvests offline, keeps them over a reload, sends them once when the signal returns, and shows a refusal in words', async () => {
    const { token, context, page, plotCode, before } = await managerInTheField('AT-0003');

    await context.setOffline(true);
    await page.reload();
    await page.getByText('Không có mạng').waitFor();
    for (const [kg, day] of [
      ['3,5', '2026-11-21'],
      ['4', '2026-11-22'],
      ['5,25', '2026-11-23'],
    ] as const) {
      await enterHarvest(page, plotCode, kg, day);
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toContain(`kg từ thửa ${plotCode} trên máy này`);
    }
    // Far above what any field gives: the server will refuse it.
    await enterHarvest(page, plotCode, '90000', '2026-11-23');
    const outbox = page.getByRole('region', { name: 'Trên máy này' });
    await expect.poll(() => outbox.textContent()).toContain('4 bản ghi chờ gửi');

    await page.reload();
    await expect.poll(() => outbox.textContent()).toContain('4 bản ghi chờ gửi');
    await outbox.screenshot({ path: resolve(ARTIFACTS, 'offline-outbox-phone.png') });
    expect((await harvestsOf(token, plotCode)).length).toBe(before);

    await context.setOffline(false);
    // A renewal sent as the signal came back may never be answered: it is given up after 10 s
    // and asked again, so the records may take that long to go.
    await expect
      .poll(() => outbox.getByText('Đã gửi', { exact: true }).count(), { timeout: 40_000 })
      .toBe(3);
    await expect.poll(() => outbox.getByText('Bị từ chối', { exact: true }).count()).toBe(1);
    expect(await outbox.textContent()).toMatch(/t\/ha|tấn\/ha|năng suất/i);
    const sent = await harvestsOf(token, plotCode);
    expect(sent.length).toBe(before + 3);
    // Each keeps the day it happened in the field, not the day it reached the server.
    expect(
      sent
        .slice(0, 3)
        .map((h) => h.harvestedOn)
        .sort(),
    ).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);

    // A retry of a request whose answer was lost records nothing new and answers the same.
    const first = (await stored(page)).find((item) => item.state === 'sent')!;
    const retry = await fetch(`${baseUrl}/api/v1/harvests`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': first.id,
      },
      body: JSON.stringify(first.body),
    });
    expect(retry.status).toBe(201);
    expect(sent.map((h) => h.id)).toContain(((await retry.json()) as { id: string }).id);
    expect((await harvestsOf(token, plotCode)).length).toBe(before + 3);
    await outbox.screenshot({ path: resolve(ARTIFACTS, 'offline-sent-phone.png') });
    await context.close();
  }, 120_000);

  it('keeps what was entered over a logout, sends it after the same user logs in, never for another', async () => {
    const { token, context, page, plotCode, before } = await managerInTheField('AT-0004');

    await context.setOffline(true);
    await enterHarvest(page, plotCode, '2,5', '2026-11-24');
    await openMenu(page);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await context.setOffline(false);

    // Someone else on this phone sees nothing of it, and sends nothing of it.
    await logIn(page, baseUrl, 'htx.thoibinh', '/app/harvests');
    await page.getByRole('button', { name: 'Ghi thu hoạch' }).waitFor();
    expect(await page.getByRole('region', { name: 'Trên máy này' }).count()).toBe(0);
    expect((await harvestsOf(token, plotCode)).length).toBe(before);
    await openMenu(page);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();

    await logIn(page, baseUrl, 'htx.anthanh', '/app/harvests');
    const outbox = page.getByRole('region', { name: 'Trên máy này' });
    await expect
      .poll(() => outbox.getByText('Đã gửi', { exact: true }).count(), { timeout: 20_000 })
      .toBe(1);
    expect((await harvestsOf(token, plotCode)).length).toBe(before + 1);
    await context.close();
  });

  it('opens the map with no signal: the plots kept for the field outlined, and whose each one is', async () => {
    const { token, context, page, plotCode } = await managerInTheField('AT-0007');
    const plot = (
      await read<{ items: { id: string; code: string; householdId: string }[] }>(
        token,
        `/plots?q=${plotCode}`,
      )
    ).items.find((p) => p.code === plotCode)!;
    const household = await read<{ headName: string }>(token, `/households/${plot.householdId}`);

    // The map was never opened online: what it draws comes from what the harvest visit kept.
    await context.setOffline(true);
    await page.goto(`${baseUrl}/app/?plot=${plot.id}`);
    await page.getByText('Không có mạng').waitFor();
    const panel = page.getByRole('complementary', { name: 'Thửa ruộng' });
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain(plotCode);
    await expect.poll(() => panel.textContent()).toContain(household.headName);
    await expect
      .poll(async () => {
        const note = await page.locator('.map-note').first().textContent();
        return Number(/^(\d+) thửa trong khung nhìn$/.exec(note ?? '')?.[1] ?? 0);
      })
      .toBeGreaterThan(0);
    await page.screenshot({ path: resolve(ARTIFACTS, 'offline-map-phone.png') });
    await context.close();
  });

  it('lets a waiting record be corrected or dropped before it goes', async () => {
    const { token, context, page, plotCode, before } = await managerInTheField('AT-0006');

    await context.setOffline(true);
    await enterHarvest(page, plotCode, '7', '2026-11-26');
    await enterHarvest(page, plotCode, '8', '2026-11-27');
    const outbox = page.getByRole('region', { name: 'Trên máy này' });
    await expect.poll(() => outbox.textContent()).toContain('2 bản ghi chờ gửi');

    // The first was weighed wrong: corrected on the device, under the same key.
    const items = outbox.getByRole('listitem');
    await items.filter({ hasText: '7 kg' }).getByRole('button', { name: 'Sửa' }).click();
    await page.getByText('Đang sửa một bản ghi chờ gửi').waitFor();
    await expect.poll(() => page.getByLabel('Khối lượng (kg)').inputValue()).toBe('7');
    await page.getByLabel('Khối lượng (kg)').fill('7,5');
    await page.getByRole('button', { name: 'Lưu và gửi' }).click();
    await expect.poll(() => outbox.textContent()).toContain('7,5 kg');
    // The second was entered twice by mistake: dropped.
    page.once('dialog', (dialog) => void dialog.accept());
    await items.filter({ hasText: '8 kg' }).getByRole('button', { name: 'Bỏ' }).click();
    await expect.poll(() => outbox.textContent()).toContain('1 bản ghi chờ gửi');
    expect(await outbox.textContent()).not.toContain('8 kg');
    expect((await stored(page)).filter((item) => item.state === 'waiting')).toHaveLength(1);

    await context.setOffline(false);
    await expect
      .poll(() => outbox.getByText('Đã gửi', { exact: true }).count(), { timeout: 20_000 })
      .toBe(1);
    const sent = await harvestsOf(token, plotCode);
    expect(sent.length).toBe(before + 1);
    expect([sent[0]!.harvestedOn, sent[0]!.quantityKg]).toEqual(['2026-11-26', 7.5]);
    await context.close();
  });

  it('keeps what was entered when the session expires offline, and sends it after the same user logs in again', async () => {
    const { token, context, page, plotCode, before } = await managerInTheField('AT-0008');

    await context.setOffline(true);
    await enterHarvest(page, plotCode, '3', '2026-11-28');
    await page
      .getByRole('region', { name: 'Trên máy này' })
      .getByText('Chờ gửi', { exact: true })
      .waitFor();
    // Meanwhile the device's session ends on the server (expired, or ended from elsewhere).
    const refreshToken = await page.evaluate(() => localStorage.getItem('huuco.refreshToken'));
    const ended = await fetch(`${baseUrl}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    expect(ended.status).toBeLessThan(300);
    // The app is opened again later, still in the field.
    await page.reload();
    await page.getByText('Không có mạng').waitFor();
    await context.setOffline(false);

    // Back in signal, the app asks for a login; nothing was sent without one, nothing lost.
    await page.getByLabel('Tên đăng nhập').waitFor({ timeout: 20_000 });
    expect((await harvestsOf(token, plotCode)).length).toBe(before);
    expect((await stored(page)).filter((item) => item.state === 'waiting')).toHaveLength(1);

    await logIn(page, baseUrl, 'htx.anthanh', '/app/harvests');
    await expect
      .poll(
        () =>
          page
            .getByRole('region', { name: 'Trên máy này' })
            .getByText('Đã gửi', { exact: true })
            .count(),
        { timeout: 20_000 },
      )
      .toBe(1);
    const sent = await harvestsOf(token, plotCode);
    expect(sent.length).toBe(before + 1);
    expect(sent[0]!.harvestedOn).toBe('2026-11-28');
    await context.close();
  });

  it('stays logged in when the answer to its session renewal is lost as the signal returns, and sends what waited', async () => {
    const { token, context, page, plotCode, before } = await managerInTheField('AT-0009');

    await context.setOffline(true);
    await page.reload();
    await page.getByText('Không có mạng').waitFor();
    await enterHarvest(page, plotCode, '2', '2026-11-29');
    // The first renewal reaches the server, which spends the token, and its answer never comes.
    let renewals = 0;
    await page.route('**/api/v1/auth/refresh', async (route) => {
      renewals += 1;
      if (renewals > 1) return route.continue();
      await route.fetch();
      await route.abort('internetdisconnected');
    });
    await context.setOffline(false);

    const outbox = page.getByRole('region', { name: 'Trên máy này' });
    await expect
      .poll(() => outbox.getByText('Đã gửi', { exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    expect(renewals).toBeGreaterThan(1);
    expect(await page.getByLabel('Tên đăng nhập').count()).toBe(0);
    expect((await harvestsOf(token, plotCode)).length).toBe(before + 1);
    await context.close();
  });
});

describe('changes on the server while a device was offline', () => {
  it('shows a plot changed since the harvest was entered beside the plot as it is, and sends when the user decides', async () => {
    const { token, context, page, plotCode } = await managerInTheField('AT-0005');
    const plots = await fetch(`${baseUrl}/api/v1/plots?q=${plotCode}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const plot = ((await plots.json()) as { items: { id: string; code: string }[] }).items.find(
      (p) => p.code === plotCode,
    )!;

    await context.setOffline(true);
    await enterHarvest(page, plotCode, '6', '2026-11-25');
    // Meanwhile, at the office, the plot's declared area is corrected.
    const edited = await fetch(`${baseUrl}/api/v1/plots/${plot.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ declaredAreaM2: 777 }),
    });
    expect(edited.status).toBe(200);
    await context.setOffline(false);

    const outbox = page.getByRole('region', { name: 'Trên máy này' });
    await expect
      .poll(() => outbox.getByText('Bị từ chối', { exact: true }).count(), { timeout: 20_000 })
      .toBe(1);
    await expect.poll(() => outbox.textContent()).toContain('Hiện nay trên máy chủ');
    await expect.poll(() => outbox.textContent()).toMatch(/lần sửa 1 .*lần sửa 2/);
    await outbox.screenshot({ path: resolve(ARTIFACTS, 'offline-plot-conflict-phone.png') });
    await outbox.getByRole('button', { name: 'Gửi với thửa như hiện nay' }).click();
    await expect
      .poll(() => outbox.getByText('Đã gửi', { exact: true }).count(), { timeout: 20_000 })
      .toBe(1);
    const sent = await harvestsOf(token, plotCode);
    expect(sent.filter((h) => h.harvestedOn === '2026-11-25' && h.quantityKg === 6)).toHaveLength(
      1,
    );
    await context.close();
  });

  it('shows findings recorded meanwhile by someone else beside the device’s, and keeps the device’s as a new inspection', async () => {
    const token = await session('kiemtra.tuky');
    const households = await fetch(`${baseUrl}/api/v1/households?pageSize=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const household = ((await households.json()) as { items: { id: string }[] }).items[0]!;
    const today = new Date().toISOString().slice(0, 10);
    const planned = (await (
      await fetch(`${baseUrl}/api/v1/inspections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ kind: 'ICS', householdId: household.id, plannedOn: today }),
      })
    ).json()) as { id: string };

    const { context, page } = await phone();
    await logIn(page, baseUrl, 'kiemtra.tuky', `/app/inspections/${planned.id}`);
    await page.getByRole('heading', { name: 'Ghi kết quả' }).waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r));
    });
    await expect
      .poll(() =>
        page.evaluate(async (id) => {
          const kept = await (await caches.open('huuco-api')).keys();
          return kept.some((r) => r.url.endsWith(`/api/v1/inspections/${id}`));
        }, planned.id),
      )
      .toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.getByText('Không có mạng').waitFor();
    await page.getByLabel('Kết quả').fill('Ruộng sạch, không thấy bao phân hoá học');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã lưu kết quả trên máy này').waitFor();

    // Someone else records this inspection first, from another device.
    const other = await fetch(`${baseUrl}/api/v1/inspections/${planned.id}/record`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ inspectedOn: today, findings: 'Ghi từ máy khác', nonCompliances: [] }),
    });
    expect(other.status).toBe(201);
    await context.setOffline(false);

    await page.getByText('Đã được ghi trên máy chủ').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('region', { name: 'Trên máy này' }).textContent()).toContain(
      'Ghi từ máy khác',
    );
    await page.getByRole('button', { name: 'Giữ bản của tôi thành một lần kiểm tra mới' }).click();
    await expect
      .poll(async () => {
        const list = await fetch(
          `${baseUrl}/api/v1/inspections?q=${encodeURIComponent('không thấy bao phân')}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        return ((await list.json()) as { items: unknown[] }).items.length;
      })
      .toBe(1);
    await context.close();
  });
});

describe('an app on the home screen', () => {
  it('is installable: a manifest with its icons, and an install button when the browser offers one', async () => {
    const manifest = (await (await fetch(`${baseUrl}/manifest.webmanifest`)).json()) as {
      start_url: string;
      display: string;
      icons: { src: string; sizes: string }[];
    };
    expect([manifest.start_url, manifest.display]).toEqual(['/app/', 'standalone']);
    expect(manifest.icons.map((icon) => icon.sizes)).toContain('512x512');
    for (const icon of manifest.icons) {
      const image = await fetch(`${baseUrl}${icon.src}`);
      expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
    }

    const { context, page } = await phone();
    await logIn(page, baseUrl, 'htx.anthanh', '/app/harvests');
    await openMenu(page);
    const install = page.getByRole('button', { name: 'Cài ứng dụng lên máy' });
    expect(await install.count()).toBe(0);
    // What Chromium sends when the app meets its install criteria, answered "accepted".
    await page.evaluate(() => {
      const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: async () => void ((window as { prompted?: boolean }).prompted = true),
        userChoice: Promise.resolve({ outcome: 'accepted' }),
      });
      window.dispatchEvent(offer);
    });
    await install.click();
    expect(await page.evaluate(() => (window as { prompted?: boolean }).prompted)).toBe(true);
    await expect.poll(() => install.count()).toBe(0);
    await context.close();
  });
});

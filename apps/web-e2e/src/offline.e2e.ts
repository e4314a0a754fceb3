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

/** Opens the harvest screen online, then waits until the device keeps what it needs offline. */
async function openOnceOnline(page: Page, username: string) {
  await logIn(page, baseUrl, username, '/app/harvests');
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const kept = (await (await caches.open('huuco-api')).keys()).map((r) => r.url);
          // Read without creating the database or holding it open: the app's own upgrade of it
          // must never wait on the test.
          if (!(await indexedDB.databases()).some((d) => d.name === 'huuco-field'))
            return 'no database';
          const plots = await new Promise<number>((done) => {
            const open = indexedDB.open('huuco-field');
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('snapshots')) {
                db.close();
                return done(0);
              }
              const count = db.transaction('snapshots').objectStore('snapshots').count();
              count.onsuccess = () => {
                db.close();
                done(count.result);
              };
            };
          });
          return [
            plots > 0 ? 'plots' : 'no plots',
            kept.some((url) => url.endsWith('/api/v1/seasons')) ? 'seasons' : 'no seasons',
            kept.some((url) => url.endsWith('/api/v1/products')) ? 'products' : 'no products',
          ].join(' ');
        }),
      { timeout: 20_000 },
    )
    .toBe('plots seasons products');
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

describe('field work without signal', () => {
  it('records three harvests offline, keeps them over a reload, sends them once when the signal returns, and shows a refusal in words', async () => {
    const token = await session('htx.anthanh');
    const { context, page } = await phone();
    await openOnceOnline(page, 'htx.anthanh');
    const plotCode = await firstPlotCode(page, 'AT-0003');
    const before = (await harvestsOf(token, plotCode)).length;

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
    await expect
      .poll(() => outbox.getByText('Đã gửi', { exact: true }).count(), { timeout: 20_000 })
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
    const stored = await page.evaluate(
      () =>
        new Promise<{ id: string; body: unknown; state: string }[]>((done) => {
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
    const first = stored.find((item) => item.state === 'sent')!;
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
  });

  it('keeps what was entered over a logout, sends it after the same user logs in, never for another', async () => {
    const token = await session('htx.anthanh');
    const { context, page } = await phone();
    await openOnceOnline(page, 'htx.anthanh');
    const plotCode = await firstPlotCode(page, 'AT-0004');
    const before = (await harvestsOf(token, plotCode)).length;

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
});

describe('changes on the server while a device was offline', () => {
  it('shows a plot changed since the harvest was entered beside the plot as it is, and sends when the user decides', async () => {
    const token = await session('htx.anthanh');
    const { context, page } = await phone();
    await openOnceOnline(page, 'htx.anthanh');
    const plotCode = await firstPlotCode(page, 'AT-0005');
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
    expect(await outbox.textContent()).toMatch(/lần sửa 1 .*lần sửa 2/);
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

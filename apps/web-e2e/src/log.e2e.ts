import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, launch, offlinePage } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function tokenOf(username: string): Promise<string> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  return ((await login.json()) as { accessToken: string }).accessToken;
}

describe('a lot’s page and the public log', () => {
  it('says the lot is recorded in the public log, and its checkpoint opens from the page', async () => {
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'htx.anthanh', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const lots = await fetch(`${baseUrl}/api/v1/lots?pageSize=1`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const lot = ((await lots.json()) as { items: { provenanceUrl: string }[] }).items[0]!;
    const page = await offlinePage(browser, 360, 740);
    const address = new URL(lot.provenanceUrl);
    // The demo's events join the log within seconds of the start.
    await expect
      .poll(
        async () => {
          await page.goto(`${baseUrl}${address.pathname}${address.search}`);
          return page.getByText(/sổ công khai của huuco, điểm kiểm \d+/).count();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBe(1);
    await page.getByText(/điểm kiểm \d+/).click();
    await expect
      .poll(() => page.textContent('body'))
      .toMatch(/\/log\n\d+\n[A-Za-z0-9+/=]{44}\n\n— /);
    await page.close();
  });

  it('shows a buyer’s receiving, captured from a GS1 example document, on the lot’s page', async () => {
    const token = await tokenOf('buyer.hanoi');
    const deliveries = await fetch(`${baseUrl}/api/v1/deliveries?pageSize=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const [delivery] = (
      (await deliveries.json()) as {
        items: { lots: { code: string; provenanceUrl: string }[] }[];
      }
    ).items;
    const lot = delivery!.lots[0]!;
    // GS1's worked example 9.6.1: its receiving event, pointed at a lot delivered to the buyer.
    const example = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, '../../api/test/standards/Example_9.6.1-ObjectEvent.jsonld'),
        'utf8',
      ),
    );
    const { eventID: _id, epcList: _epcs, ...receiving } = example.epcisBody.eventList[1];
    example.epcisBody.eventList = [
      {
        ...receiving,
        eventTime: new Date(Date.now() - 60_000).toISOString(),
        eventTimeZoneOffset: '+07:00',
        quantityList: [{ epcClass: `urn:huuco:lot:${lot.code}`, quantity: 20, uom: 'KGM' }],
      },
    ];
    const captured = await fetch(`${baseUrl}/api/v1/epcis/capture`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/ld+json' },
      body: JSON.stringify(example),
    });
    expect(captured.status).toBe(202);
    const job = await fetch(`${baseUrl}${captured.headers.get('location')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await job.json()).toMatchObject({ success: true, errors: [] });

    const page = await offlinePage(browser, 360, 740);
    const address = new URL(lot.provenanceUrl);
    await page.goto(`${baseUrl}${address.pathname}${address.search}`);
    const partners = page.locator('h2', { hasText: 'Đối tác ghi nhận' }).locator('+ ul');
    await expect.poll(() => partners.textContent()).toContain('Nhận hàng');
    expect(await partners.textContent()).toContain('Nông sản Sạch Hà Nội');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await page.close();
  });
});

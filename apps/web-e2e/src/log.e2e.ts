import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, launch, offlinePage } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

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
});

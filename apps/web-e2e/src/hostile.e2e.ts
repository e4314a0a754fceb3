import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, launch, logIn, offlinePage } from './support/browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><b>Vùng giả</b>';

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function api<T>(token: string | null, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
  });
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

describe('text a user typed', () => {
  it('is shown as typed in the map’s zone labels, never drawn as markup', async () => {
    const { accessToken } = await api<{ accessToken: string }>(null, '/auth/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin.tuky', password: DEMO_PASSWORD }),
    });
    const zones = await api<{
      items: { geometry: { coordinates: number[][][] }; communes: { id: string }[] }[];
    }>(accessToken, '/zones?pageSize=5');
    const [lng, lat] = zones.items[0]!.geometry.coordinates[0]![0]!;
    const d = 0.003;
    const x = lng! + 0.01;
    const y = lat!;
    await api(accessToken, '/zones', {
      method: 'POST',
      body: JSON.stringify({
        code: `Z-XSS-${Date.now().toString(36).toUpperCase()}`,
        name: HOSTILE,
        kind: 'organic',
        communeIds: zones.items[0]!.communes.map((c) => c.id),
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x, y],
              [x + d, y],
              [x + d, y + d],
              [x, y + d],
              [x, y],
            ],
          ],
        },
      }),
    });

    const page = await offlinePage(browser);
    await logIn(page, baseUrl, 'staff.tuky');
    const label = page.locator('.zone-label', { hasText: 'Vùng giả' });
    await label.first().waitFor();
    expect(await label.first().textContent()).toContain('<b>Vùng giả</b>');
    expect(await page.locator('.zone-label img, .zone-label b').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
  });
});

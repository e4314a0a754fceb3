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
    const zone = await api<{ id: string }>(accessToken, '/zones', {
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

    // A plot of the cooperative in it, so the zone is on the district's dashboard too.
    const { accessToken: manager } = await api<{ accessToken: string }>(null, '/auth/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'htx.anthanh', password: DEMO_PASSWORD }),
    });
    const households = await api<{ items: { id: string }[] }>(manager, '/households?pageSize=1');
    const corner = (dx: number, dy: number) => [
      Number((x + 0.001 + dx).toFixed(7)),
      Number((y + 0.001 + dy).toFixed(7)),
    ];
    await api(manager, '/plots', {
      method: 'POST',
      body: JSON.stringify({
        code: `XSS-${Date.now().toString(36).toUpperCase()}`,
        householdId: households.items[0]!.id,
        zoneId: zone.id,
        farmingSystem: 'organic_rice',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              corner(0, 0),
              corner(0.0005, 0),
              corner(0.0005, 0.0005),
              corner(0, 0.0005),
              corner(0, 0),
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

    // The dashboard's zones by progress: the same name in each zone's hover tooltip, as text.
    await page.goto(`${baseUrl}/app/dashboard`);
    const shapes = page.locator('.contract-map path.leaflet-interactive');
    await expect.poll(() => shapes.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const tooltip = page.locator('.leaflet-tooltip', { hasText: 'Vùng giả' });
    await page.locator('.contract-map').scrollIntoViewIfNeeded();
    for (let i = 0; i < (await shapes.count()) && (await tooltip.count()) === 0; i++) {
      await shapes.nth(i).scrollIntoViewIfNeeded();
      await shapes.nth(i).hover({ force: true });
    }
    expect(await tooltip.first().textContent()).toContain('<b>Vùng giả</b>');
    expect(await page.locator('.leaflet-tooltip img, .leaflet-tooltip b').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
  });
});
